"""The history store: carry summaries of audited reports, kept between runs (SQLite).

`auditor audit … --history PATH` keeps every report's summary in PATH; a later run pairs its
reports with last year's found there. Without --history the batch's own summaries go to a
temporary store that is deleted after the run (memory stays flat however long the batch).

Schema (version SCHEMA_VERSION in table `schema_version`; a store of another version is
refused, never silently rewritten): `reports` — one row per audited report: run id and
position in that run, body identity (identity.py) and year (indexed together), file, body
as printed, template, level, and the summary as JSON (cells, table digests, section
signatures in hex). A report audited again (same identity and year) replaces the row an
earlier run left; two reports of one body and year within one run are both kept.
"""

import json
import sqlite3
import uuid
from pathlib import Path

from .summary import Summary

SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS reports (
    id INTEGER PRIMARY KEY,
    run TEXT NOT NULL,
    seq INTEGER NOT NULL,
    identity TEXT NOT NULL,
    year INTEGER NOT NULL,
    path BLOB NOT NULL,
    body TEXT NOT NULL,
    template TEXT NOT NULL,
    level TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS reports_identity_year ON reports (identity, year);
CREATE INDEX IF NOT EXISTS reports_run_seq ON reports (run, seq);
"""


class HistoryError(ValueError):
    """A history file that cannot be used (not SQLite, another schema version)."""


class Store:
    def __init__(self, path: Path | str):
        self.path = str(path)
        self.run = uuid.uuid4().hex
        try:
            self.db = sqlite3.connect(self.path)
            self.db.executescript(_SCHEMA)
            versions = [row[0] for row in self.db.execute("SELECT version FROM schema_version")]
        except sqlite3.DatabaseError as error:
            raise HistoryError(f"{self.path}: 不是可用的历史库（{error}）") from None
        if not versions:
            self.db.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,))
        elif versions != [SCHEMA_VERSION]:
            raise HistoryError(f"{self.path}: 历史库的版本为 {versions[0]}，本工具使用版本 {SCHEMA_VERSION}")
        self.db.commit()
        self._pending = 0

    def add(self, summary: Summary) -> None:
        """Keep one report of this run (committed in batches; `close` commits the rest)."""
        self.db.execute(
            "DELETE FROM reports WHERE identity = ? AND year = ? AND run != ?", (summary.identity, summary.year, self.run),
        )
        self.db.execute(
            "INSERT INTO reports (run, seq, identity, year, path, body, template, level, data) VALUES (?,?,?,?,?,?,?,?,?)",
            (self.run, summary.seq, summary.identity, summary.year, _encode(summary.path), summary.body, summary.template,
             summary.level, _dump(summary)),
        )
        self._pending += 1
        if self._pending >= 1000:
            self.db.commit()
            self._pending = 0

    def this_run(self):
        """This run's summaries in batch order (streamed from the store)."""
        self.db.commit()
        for row in self.db.execute(f"SELECT {_COLUMNS} FROM reports WHERE run = ? ORDER BY seq", (self.run,)):
            yield _load(row)

    def previous(self, summary: Summary) -> Summary | None:
        """The latest report of the same body from an earlier year: this run's first (lowest
        position), else the history's; None when there is none."""
        row = self.db.execute(
            f"SELECT {_COLUMNS} FROM reports WHERE identity = ? AND year < ? "
            "ORDER BY year DESC, (run = ?) DESC, seq, id LIMIT 1",
            (summary.identity, summary.year, self.run),
        ).fetchone()
        if row is None:
            return None
        found = _load(row)
        if row[0] != self.run:
            found.seq = -1
        return found

    def at(self, seq: int) -> Summary:
        """The report of this run at position `seq`."""
        row = self.db.execute(f"SELECT {_COLUMNS} FROM reports WHERE run = ? AND seq = ?", (self.run, seq)).fetchone()
        return _load(row)

    def close(self) -> None:
        self.db.commit()
        self.db.close()


_COLUMNS = "run, seq, identity, year, path, body, template, level, data"


def _encode(path: str) -> bytes:
    """A file name as bytes (one that is not UTF-8 reaches here as surrogate escapes)."""
    return path.encode("utf-8", "surrogateescape")


def _dump(summary: Summary) -> str:
    sections = {k: [label, line, chars, sig.hex()] for k, (label, line, chars, sig) in summary.sections.items()}
    return json.dumps({"cells": summary.cells, "tables": summary.tables, "sections": sections}, ensure_ascii=False)


def _load(row) -> Summary:
    run, seq, identity, year, path, body, template, level, data = row
    data = json.loads(data)
    summary = Summary(bytes(path).decode("utf-8", "surrogateescape"), body, identity, year, template, level, seq=seq)
    summary.cells = {k: tuple(v) for k, v in data["cells"].items()}
    summary.tables = {k: tuple(v) for k, v in data["tables"].items()}
    summary.sections = {k: (v[0], v[1], v[2], bytes.fromhex(v[3])) for k, v in data["sections"].items()}
    return summary
