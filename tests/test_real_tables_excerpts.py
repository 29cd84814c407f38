"""Table cells of the real excerpts in ../shared/real/excerpts (skipped where absent).

The excerpts are the first ~2,000 bytes of real pages, cut mid-text. Below, for each one
that prints table text, every table row the parser must read, with the values read by hand
from the excerpt (a blank cell reads as 0 with status blank: BLANKS counts them). No other
row may be read: a row cut by the end of the excerpt is not a complete row.
"""

from pathlib import Path

import pytest

from auditor.model import BLANK
from auditor.pipeline import parse_file

EXCERPTS = Path(__file__).resolve().parents[2] / "shared" / "real" / "excerpts"
pytestmark = pytest.mark.skipif(not EXCERPTS.is_dir(), reason="../shared/real is not available on this machine")

Z3, Z7 = [0, 0, 0], [0] * 7
T2_2019 = {"regulations": Z3, "normative_docs": Z3, "licensing": Z3, "other_services": Z3, "penalty": Z3,
           "enforcement": Z3, "admin_fees": [0, 0], "procurement": [0, 0]}
T2_2021 = {"regulations": Z3, "normative_docs": Z3, "licensing": [0], "penalty": [0], "enforcement": [0],
           "admin_fees": [0]}


def _first(rows: dict, *keys: str) -> dict:
    return {key: rows[key] for key in keys}


# excerpt -> {"t2.row": values, "t3.row": values}; hand-read from the excerpt text
EXPECTED = {
    # one cell per line with blank lines; in 表三 six empty cells (blank lines) then 总计 " 0"
    "007": {**{f"t2.{k}": v for k, v in T2_2019.items()}, "t3.received": Z7, "t3.carried_in": Z7},
    "008": {f"t2.{k}": v for k, v in _first(T2_2019, "regulations", "normative_docs").items()},
    "010": {f"t2.{k}": v for k, v in _first(T2_2021, "regulations", "normative_docs", "licensing", "penalty", "enforcement").items()},
    "011": {f"t2.{k}": v for k, v in T2_2021.items()},
    "013": {**{f"t2.{k}": v for k, v in T2_2019.items()}, "t2.procurement": [6, 152790]},
    "014": {f"t2.{k}": v for k, v in T2_2019.items()},
    "015": {f"t2.{k}": v for k, v in T2_2021.items()},
    "024": {**{f"t2.{k}": v for k, v in T2_2021.items()}, "t3.received": Z7, "t3.carried_in": Z7},
    "031": {f"t2.{k}": v for k, v in _first(T2_2021, "regulations", "normative_docs", "licensing").items()},
    "040": {f"t2.{k}": v for k, v in T2_2021.items()},
    "057": {**{f"t2.{k}": v for k, v in T2_2021.items()}, "t2.regulations": [0, 1, 0], "t2.normative_docs": [1, 0, 2]},
    "060": {**{f"t2.{k}": v for k, v in _first(T2_2021, "regulations", "normative_docs").items()},
            "t2.licensing": [691], "t2.penalty": [136], "t2.enforcement": [68]},
    "066": {f"t2.{k}": v for k, v in T2_2019.items()},
    "072": {**{f"t2.{k}": v for k, v in T2_2021.items()}, "t3.received": Z7, "t3.carried_in": Z7},
}
BLANKS = {("007", "t3.received"): 6, ("007", "t3.carried_in"): 6, ("072", "t2.enforcement"): 1}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_excerpt_rows_read_as_printed(name):
    rep = parse_file(EXCERPTS / f"{name}.txt").report
    got = {}
    for table in ("t2", "t3", "t4"):
        for key, row in rep.tables[table].rows.items():
            if row.match not in ("missing", "derived"):
                got[f"{table}.{key}"] = [cell.value if cell.known else None for cell in row.cells.values()]
    assert got == EXPECTED[name]
    for (excerpt, address), count in BLANKS.items():
        if excerpt == name:
            table, key = address.split(".")
            assert sum(c.status == BLANK for c in rep.tables[table].rows[key].cells.values()) == count
