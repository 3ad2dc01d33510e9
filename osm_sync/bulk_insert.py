"""Plain parameterised INSERTs for the large writes of the OSM side (snapshot objects, node
locations, reconciliation lines).

The ORM's bulk_create compiles SQL and prepares every value of every row in Python, which made
these writes cost more than reading a country extract. Here the SQL is built once and the
values go to the database driver with executemany; only JSON and datetime values need the
backend's adaptation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import islice

from django.db import connection, models

BATCH_SIZE = 2000


def insert_rows(
    model: type[models.Model],
    field_names: Sequence[str],
    rows: Iterable[Sequence],
    ignore_conflicts: bool = False,
) -> None:
    """Insert `rows` (values in the order of `field_names`) into `model`'s table.

    With `ignore_conflicts`, rows that would break a unique constraint are skipped (SQLite
    and PostgreSQL both understand ON CONFLICT DO NOTHING).
    """
    fields = [model._meta.get_field(name) for name in field_names]
    quote = connection.ops.quote_name
    sql = "INSERT INTO %s (%s) VALUES (%s)%s" % (
        quote(model._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
        " ON CONFLICT DO NOTHING" if ignore_conflicts else "",
    )
    adapters = [_adapter(field) for field in fields]
    iterator = iter(rows)
    with connection.cursor() as cursor:
        while batch := list(islice(iterator, BATCH_SIZE)):
            cursor.executemany(
                sql,
                [
                    tuple(
                        value if adapt is None or value is None else adapt(value)
                        for adapt, value in zip(adapters, row, strict=True)
                    )
                    for row in batch
                ],
            )


def _adapter(field: models.Field) -> Callable | None:
    if isinstance(field, models.JSONField):
        return lambda value: connection.ops.adapt_json_value(value, field.encoder)
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    return None
