"""Writing many new rows of a model to PostgreSQL with `COPY ... FROM STDIN` (psycopg 3).

Why: `bulk_create` of a 100,000-row import spends most of its time outside the database: Django
prepares every value, then psycopg quotes each JSON document into a `jsonb[]` array literal for
`UNNEST` with a Python regular expression. `COPY` streams the rows in PostgreSQL's text format,
escaped in C, and does the same inserts several times faster.

`COPY` runs on the connection's current transaction, so it is rolled back with it; and, unlike
`bulk_create`, it cannot return the ids it inserted, so a caller that needs them (to write rows
that refer to them in the same pass) reserves them first with `reserve_ids()`.

The values written are those `bulk_create` would write for the same unsaved instances: fields a
row leaves out get the model's default (`auto_now`/`auto_now_add` fields get the time of the
call), JSON fields are serialised with the field's encoder, and other values are prepared by
the field unless psycopg adapts them the same way already (numbers, text, booleans).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from itertools import chain
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.postgresql.psycopg_any import is_psycopg3
from django.utils import timezone

# Field types whose Python values psycopg writes exactly as Django's preparation would: the
# hot columns are not passed through a Python method call each.
_ADAPTED_AS_IS = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
        "IntegerField",
        "BigIntegerField",
        "SmallIntegerField",
        "PositiveIntegerField",
        "PositiveBigIntegerField",
        "PositiveSmallIntegerField",
        "FloatField",
        "CharField",
        "TextField",
        "SlugField",
        "BooleanField",
    }
)
# Defaults that build a fresh, plain value: preparing them once is the same as once per row.
_PLAIN_DEFAULT_FACTORIES = (dict, list, tuple, str, int, float, bool)


def copy_supported(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether `copy_rows()` can run on this database: PostgreSQL through psycopg 3."""
    return connections[using].vendor == "postgresql" and is_psycopg3


def reserve_ids(model: type[models.Model], count: int, using: str = DEFAULT_DB_ALIAS) -> list[int]:
    """Take `count` values from the sequence of the model's primary key, in increasing order.

    They are taken as `INSERT` would take them, so rows written with them never collide with
    rows inserted otherwise, even by other connections at the same time (the values may then
    not be consecutive). A rolled-back transaction does not give them back, as with `INSERT`.
    """
    if count <= 0:
        return []
    connection = connections[using]
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, model._meta.pk.column, count],
        )
        return sorted(value for (value,) in cursor.fetchall())


def _json_writer(field: models.JSONField) -> Callable[[Any], str | None]:
    encoder = field.encoder

    def write(value: Any) -> str | None:
        # None is SQL NULL, as JSONField.get_db_prep_save() makes it. jsonb stores the decoded
        # document, so ensure_ascii (smaller, faster text) does not change what is stored.
        if value is None:
            return None
        return json.dumps(value, cls=encoder, ensure_ascii=False)

    return write


def _value_writer(field: models.Field, connection) -> Callable[[Any], Any] | None:
    """How a Python value of `field` becomes what COPY writes for it: None when it is written
    as it is (psycopg adapts it as Django would prepare it, given a value of the field's type)."""
    if isinstance(field, models.JSONField):
        return _json_writer(field)
    target = field.target_field if field.is_relation else field
    if target.get_internal_type() in _ADAPTED_AS_IS:
        return None

    def prepare(value: Any) -> Any:
        return field.get_db_prep_save(value, connection)

    return prepare


def _default_value(
    field: models.Field, write: Callable[[Any], Any] | None, now
) -> tuple[bool, Any]:
    """What COPY writes for a field a row leaves out, as (same for every row, value or maker).

    As for an unsaved instance: `auto_now`/`auto_now_add` fields get the time of the call (one
    time for all the rows, where `bulk_create` reads the clock once per instance), the others
    `field.get_default()`, called for each row unless it makes the same plain value each time.
    """
    write = write or _as_is
    if _is_auto_now(field):
        return True, write(now)
    default = field.default
    if not field.has_default() or not callable(default) or default in _PLAIN_DEFAULT_FACTORIES:
        return True, write(field.get_default())
    return False, lambda: write(field.get_default())


def _as_is(value: Any) -> Any:
    return value


def _is_auto_now(field: models.Field) -> bool:
    return getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)


def _pk_writer(write: Callable[[Any], Any] | None) -> Callable[[Any], Any]:
    """For a foreign key given as an instance (or None) rather than as an id."""
    write = write or _as_is

    def write_pk(instance: models.Model | None) -> Any:
        return write(None if instance is None else instance.pk)

    return write_pk


def copy_rows(
    model: type[models.Model],
    rows: Iterable[Mapping[str, Any]],
    using: str = DEFAULT_DB_ALIAS,
) -> int:
    """Insert `rows` (one mapping of field values per row) into the model's table with COPY.

    Keys are attribute names (`dataset_id` for a foreign key; `dataset`, with an instance or
    None, works too). The first row decides which fields are given: every row must give the
    same ones. A field left out gets its default; the primary key, when left out, is assigned
    by the database, and so is a field with a `db_default`. Returns the number of rows written.
    Errors are raised as Django's database exceptions, as they would be from `bulk_create`.
    """
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return 0
    opts = model._meta
    if opts.parents:
        raise ValueError(f"{model.__name__}: COPY of an inherited model is not supported.")
    connection = connections[using]
    now = timezone.now()
    columns: list[str] = []
    template: list[Any] = []  # the values that are the same for every row
    as_is: list[tuple[int, str]] = []  # (column, key in row) of values written unchanged
    converted: list[tuple[int, str, Callable[[Any], Any]]] = []  # (column, key, writer)
    defaults: list[tuple[int, Callable[[], Any]]] = []  # (column, maker) of per-row defaults
    for field in opts.local_concrete_fields:
        if getattr(field, "generated", False):
            continue
        write = _value_writer(field, connection)
        index = len(columns)
        template.append(None)
        # As Field.pre_save(): an auto_now(_add) field gets the time even when a value is given.
        if field.attname in first and not _is_auto_now(field):
            if write is None:
                as_is.append((index, field.attname))
            else:
                converted.append((index, field.attname, write))
        elif field.is_relation and field.name in first:
            converted.append((index, field.name, _pk_writer(write)))
        elif field.primary_key or field.has_db_default():
            template.pop()
            continue
        else:
            constant, value = _default_value(field, write, now)
            if constant:
                template[index] = value
            else:
                defaults.append((index, value))
        columns.append(connection.ops.quote_name(field.column))

    sql = "COPY {} ({}) FROM STDIN".format(
        connection.ops.quote_name(opts.db_table), ", ".join(columns)
    )
    written = 0
    with connection.cursor() as cursor, connection.wrap_database_errors:
        with cursor.copy(sql) as copy:
            for row in chain([first], rows):
                values = template.copy()
                for index, key in as_is:
                    values[index] = row[key]
                for index, key, write in converted:
                    values[index] = write(row[key])
                for index, make in defaults:
                    values[index] = make()
                copy.write_row(values)
                written += 1
    return written
