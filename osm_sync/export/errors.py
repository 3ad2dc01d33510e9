"""The one error of the export: a refusal whose message tells the user what to do."""


class ExportRefused(Exception):
    """Nothing can be exported (licence, missing reconciliation…); nothing was written."""
