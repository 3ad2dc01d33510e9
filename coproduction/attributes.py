"""Attribute helpers shared by pages, API and exports."""


def in_source_order(properties: dict, columns: list[str]) -> dict:
    """Properties in the source file's column order (PostgreSQL's jsonb sorts keys), with any
    property the columns do not name at the end."""
    ordered = {name: properties[name] for name in columns if name in properties}
    ordered.update((name, value) for name, value in properties.items() if name not in ordered)
    return ordered
