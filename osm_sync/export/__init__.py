"""Taking accepted contributions to OpenStreetMap mappers, as an osmChange or a JOSM file.

Citizens never upload to OpenStreetMap: the files written here are proposals that an
experienced mapper reviews in an editor and uploads under their own name, with `version` on
every modified object so that the API refuses an edit made on an outdated object.
"""

from .changes import OsmExport
from .errors import ExportRefused
from .plan import build_export
from .report import report_lines
from .writers import write_josm, write_osmchange

__all__ = [
    "ExportRefused",
    "OsmExport",
    "build_export",
    "report_lines",
    "write_josm",
    "write_osmchange",
]
