"""What the benchmarks share: a throw-away PostgreSQL database and a description of the
database measured."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit


@contextmanager
def postgres_database(database_url: str | None) -> Iterator[None]:
    """Create the benchmark database, and drop it afterwards whatever happens.

    Only a database whose name contains "bench" is accepted, since it is dropped: a mistyped
    URL must not destroy someone's data.
    """
    if not database_url:
        yield  # the embedded SQLite database: nothing to create
        return
    import psycopg
    from psycopg import sql

    name = urlsplit(database_url).path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(f"Refusing to use database {name!r}: its name must contain 'bench'.")
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with psycopg.connect(database_url, dbname="postgres", autocommit=True) as admin:
        admin.execute(drop)  # left over by an interrupted run
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(database_url, dbname="postgres", autocommit=True) as admin:
            admin.execute(drop)


def database_description() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        version = connection.pg_version
        return f"PostgreSQL {version // 10000}.{version % 10000}"
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    return connection.vendor


def percentile(samples: list[float], share: float) -> float:
    """Nearest-rank percentile: a value that was actually measured."""
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]
