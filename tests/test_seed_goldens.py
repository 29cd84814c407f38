"""The parser's view of the five seed reports against goldens checked by hand (tests/golden/).

Each golden was written from the seed text, not from parser output. Where the parser is
wrong, the case is marked xfail(strict=True) in KNOWN_PARSER_BUGS with the evidence, so a
fix makes it pass loudly and the mark can be removed.
"""

import re
import unicodedata
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from auditor.pipeline import parse_file

from .conftest import seed

GOLDEN = Path(__file__).resolve().parent / "golden"
SEEDS = ("000", "001", "002", "003", "004")
COLUMNS = {  # template column order for list-form cells
    "t3": ("natural", "commercial", "research", "charity", "legal", "other_org", "total"),
    "t4": ("upheld", "corrected", "other", "pending", "total"),
}

# (seed, *case) -> reason, case as in the test ids: a metadata field, "sections",
# (table, row) for cells, (table, row, "line") for a row's line, (table, key) of a deviation.
KNOWN_PARSER_BUGS: dict = {}  # none open


@lru_cache(maxsize=None)
def golden(prefix: str) -> dict:
    return yaml.safe_load((GOLDEN / f"{prefix}.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def report(prefix: str):
    return parse_file(seed(prefix)).report


def cases(what):
    """pytest params for (seed, *item) over `what(golden)`, xfail where a parser bug is known."""
    params = []
    for prefix in SEEDS:
        for item in what(golden(prefix)):
            reason = KNOWN_PARSER_BUGS.get((prefix, *item))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            params.append(pytest.param(prefix, *item, marks=marks, id="-".join((prefix, *map(str, item)))))
    return params


def norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def label(text: str) -> str:
    """A printed row label without its row number ("(二)", "1.", "一、"), which the template keeps apart."""
    return re.sub(r"^(?:\([一二三四五六七]\)|\d+\.|[一二三四]、)", "", norm(text))


def test_golden_names_its_seed():
    for prefix in SEEDS:
        assert golden(prefix)["file"] == seed(prefix).name


@pytest.mark.parametrize("prefix, field", cases(lambda g: [(f,) for f in g["metadata"]]))
def test_metadata(prefix, field):
    want = golden(prefix)["metadata"][field]
    got = getattr(report(prefix).metadata, field)
    assert (norm(got) if isinstance(got, str) else got) == (norm(want) if isinstance(want, str) else want)


@pytest.mark.parametrize("prefix, part", cases(lambda g: [("sections",)]))
def test_sections(prefix, part):
    got = [(s.numeral, s.key, s.line) for s in report(prefix).sections]
    assert got == [tuple(s) for s in golden(prefix)["sections"]]


def row_cases(g):
    return [(table, key) for table, rows in g["tables"].items() for key in rows]


def line_cases(g):
    return [(t, key, "line") for t, key in row_cases(g) if not g["tables"][t][key].get("missing")]


@pytest.mark.parametrize("prefix, table, key, part", cases(line_cases))
def test_row_line(prefix, table, key, part):
    assert report(prefix).tables[table].rows[key].line == golden(prefix)["tables"][table][key]["line"]


def expect_cell(cell, want) -> str:
    """'' when the cell matches the golden value, else what differs."""
    if want == "blank":
        ok = cell.status == "blank"
    elif isinstance(want, str):  # decimal amount
        ok = cell.status == "ok" and cell.value == Decimal(want)
    else:
        ok = cell.status == "ok" and cell.value == want and not isinstance(cell.value, bool)
    return "" if ok else f"{cell.col}: want {want!r}, got {cell.value!r} ({cell.status}, raw {cell.raw!r})"


@pytest.mark.parametrize("prefix, table, key", cases(row_cases))
def test_row(prefix, table, key):
    want = golden(prefix)["tables"][table][key]
    row = report(prefix).tables[table].rows.get(key)
    if want.get("missing"):
        assert row is None or not row.present, f"row printed at line {row.line}"
        return
    assert row is not None and row.present, "row not found"
    if want.get("short"):
        assert (row.short, row.printed) == (True, want["printed"])
        assert all(c.status == "unknown" for c in row.cells.values()), {c.col: c.status for c in row.cells.values()}
        if "blanks" in want:
            assert row.blanks == want["blanks"]
        return
    cells = want["cells"]
    if isinstance(cells, list):
        cells = dict(zip(COLUMNS[table], cells, strict=True))
    assert set(row.cells) == set(cells), "column keys differ"
    problems = [p for col, value in cells.items() if (p := expect_cell(row.cells[col], value))]
    assert not problems


def deviation_cases(g):
    return [(d["table"], d["key"]) for d in g.get("deviations") or []]


@pytest.mark.parametrize("prefix, table, key", cases(deviation_cases))
def test_deviation_recorded(prefix, table, key):
    (printed,) = [d["printed"] for d in golden(prefix)["deviations"] if (d["table"], d["key"]) == (table, key)]
    found = [(d.table, d.key, label(d.printed)) for d in report(prefix).deviations]
    assert (table, key, label(printed)) in found, found
