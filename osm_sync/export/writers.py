"""Writing an export as osmChange (for any uploader) or as a JOSM `.osm` file.

Both are written by hand rather than through an XML library so that the explanatory comment
comes first, before the root element, where a mapper opening the file sees it.

The JOSM file follows JOSM's own conventions: `upload="false"` makes JOSM warn before an
upload (a reviewed change, not a blind one; "never" would forbid it altogether),
`action="modify"` marks the changed and new objects, and a `<changeset>` element carries the
changeset tags into JOSM's upload dialog. A modified way lists its nodes by reference only:
JOSM refuses an existing object without its `version`, and the snapshot keeps the locations of
way nodes but not their versions, so JOSM loads them as incomplete nodes that downloading the
area completes.
"""

from __future__ import annotations

import re
from typing import IO
from xml.sax.saxutils import quoteattr

from django.utils.translation import gettext as _

from .changes import NewNode, ObjectEdit, OsmExport
from .changeset import GENERATOR

Attributes = dict[str, object]
# Characters that XML 1.0 does not allow anywhere, comments included.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def write_osmchange(export: OsmExport, stream: IO[str]) -> None:
    """Creations, then modifications; never a `<delete>` block. Like JOSM's own uploads, new
    nodes carry no version and no object carries a changeset id: the uploading tool sets it."""
    _prologue(export, stream)
    stream.write(f'<osmChange version="0.6" generator={quoteattr(GENERATOR)}>\n')
    if export.created:
        stream.write("  <create>\n")
        for node in export.created:
            _new_node(stream, node, {}, indent="    ")
        stream.write("  </create>\n")
    if export.modified:
        stream.write("  <modify>\n")
        for edit in export.modified:
            _edited_object(stream, edit, {}, indent="    ")
        stream.write("  </modify>\n")
    stream.write("</osmChange>\n")


def write_josm(export: OsmExport, stream: IO[str]) -> None:
    _prologue(export, stream)
    stream.write(f'<osm version="0.6" generator={quoteattr(GENERATOR)} upload="false">\n')
    stream.write("  <changeset>\n")
    for key, value in export.changeset_tags.items():
        stream.write(f"    <tag k={quoteattr(key)} v={quoteattr(value)}/>\n")
    stream.write("  </changeset>\n")
    josm = {"action": "modify", "visible": "true"}
    for node in export.created:
        _new_node(stream, node, josm, indent="  ")
    # OSM XML lists nodes, then ways.
    for edit in sorted(export.modified, key=lambda e: e.osm_object.osm_type != "node"):
        _edited_object(stream, edit, josm, indent="  ")
    stream.write("</osm>\n")


def _prologue(export: OsmExport, stream: IO[str]) -> None:
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(_comment(_header_lines(export)))


def _header_lines(export: OsmExport) -> list[str]:
    dataset = export.dataset
    lines = [
        _("%(generator)s — jeu de données « %(title)s » (licence %(licence)s).")
        % {"generator": GENERATOR, "title": dataset.title, "licence": dataset.licence},
        _(
            "Contributions acceptées par le producteur des données : à relire dans un éditeur "
            "avant tout envoi à OpenStreetMap, sous votre nom."
        ),
        _("Attributs du groupe de modifications (changeset) à utiliser à l’envoi :"),
        *(f"  {key}={value}" for key, value in export.changeset_tags.items()),
    ]
    if export.to_check:
        lines.append(_("Lieux signalés fermés ou disparus, à vérifier (rien n’est supprimé ici) :"))
        lines += [
            f"  - {item.name} ({item.osm_ref or _('objet OSM inconnu')})"
            for item in export.to_check
        ]
    return lines


def _comment(lines: list[str]) -> str:
    """An XML comment may not contain "--" nor end with "-"."""
    text = _NOT_XML.sub(" ", "\n".join(f"  {line}" for line in lines))
    while "--" in text:
        text = text.replace("--", "- -")
    return f"<!--\n{text}\n-->\n"


def _new_node(stream: IO[str], node: NewNode, extra: Attributes, indent: str) -> None:
    attributes = {
        "id": node.id,
        **extra,
        "lat": _coordinate(node.lat),
        "lon": _coordinate(node.lon),
    }
    _element(stream, "node", attributes, _tag_lines(node.tags), indent)


def _edited_object(stream: IO[str], edit: ObjectEdit, extra: Attributes, indent: str) -> None:
    osm_object = edit.osm_object
    attributes: Attributes = {"id": osm_object.osm_id, **extra, "version": osm_object.version}
    children = []
    if osm_object.osm_type == "node":
        attributes.update(lat=_coordinate(edit.lat), lon=_coordinate(edit.lon))
    else:
        children = [f"<nd ref={quoteattr(str(ref))}/>" for ref in osm_object.node_refs]
    _element(stream, osm_object.osm_type, attributes, children + _tag_lines(edit.tags), indent)


def _element(
    stream: IO[str], name: str, attributes: Attributes, children: list[str], indent: str
) -> None:
    opening = " ".join(f"{key}={quoteattr(str(value))}" for key, value in attributes.items())
    if not children:
        stream.write(f"{indent}<{name} {opening}/>\n")
        return
    stream.write(f"{indent}<{name} {opening}>\n")
    for child in children:
        stream.write(f"{indent}  {child}\n")
    stream.write(f"{indent}</{name}>\n")


def _tag_lines(tags: dict[str, str]) -> list[str]:
    return [
        f"<tag k={quoteattr(key)} v={quoteattr(value)}/>" for key, value in sorted(tags.items())
    ]


def _coordinate(value: float) -> str:
    return f"{value:.7f}"
