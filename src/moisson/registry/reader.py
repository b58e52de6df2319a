"""Read path of the hot lookups: one DB-API connection per thread, no ORM, no pool round trip.

Crawlers check every domain and identifier they meet (REG-02, REG-03), so these two queries
carry the load; they run on a long-lived connection in autocommit (each statement sees the
latest committed data: SQLite in WAL mode, PostgreSQL in autocommit).
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Engine

__all__ = ("RawReader",)


class RawReader:
    """``reader.rows("SELECT ... WHERE x = ?", [value])``: qmark SQL on either database.

    Meant for the event-loop thread of each worker (one connection each); other threads get
    their own connection, closed by :meth:`close` only for the calling thread.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._pyformat = engine.dialect.paramstyle in ("pyformat", "format")
        self._local = threading.local()

    def _connection(self) -> Any:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            # Outside the engine's pool: a held reader never starves the write path's pool.
            dialect = self.engine.dialect
            cargs, cparams = dialect.create_connect_args(self.engine.url)
            connection = dialect.loaded_dbapi.connect(*cargs, **cparams)
            if self._pyformat:
                connection.autocommit = True  # psycopg: no transaction held between lookups
            self._local.connection = connection
        return connection

    def rows(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        if self._pyformat:
            sql = sql.replace("?", "%s")
        connection = self._connection()
        try:
            cursor = connection.cursor()
            cursor.execute(sql, params)
            result: list[tuple[Any, ...]] = cursor.fetchall()
            cursor.close()
        except Exception:
            self._local.connection = None
            connection.close()
            raise
        return result

    def close(self) -> None:
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            self._local.connection = None
            connection.close()
