"""Every layout in DESIGN.md parses to the values written by hand in its .expected.yaml.

One hand-written report per layout lives in tests/fixtures/layouts/ (the DOCX one is built
by tests/fixtures/make_docx.py). Its sidecar <stem>.expected.yaml gives body, year,
template, layout, sections and a selection of cells of every table:

    t3.received.total: 39                      # a count: status ok, this value
    t2.procurement.amount: "326.5"             # a decimal amount (compared as Decimal)
    t3.partial.research: {value: 0, status: blank}
    t3.denied_7.natural: {status: unknown}     # any status: ok blank unknown missing derived
    t3.received.total: {value: 66, status: ok, line: 50}   # and the source line it cites

and optionally the source line of each section heading (section_lines:), row attributes
(rows:), the exact label deviations (deviations:, [] = none), prose figures that must be
found (figures:) and the fee disclosure (fee:).
"""

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from auditor.pipeline import parse_file

from .conftest import FIXTURES
from .fixtures import make_docx

LAYOUTS = FIXTURES / "layouts"
DOCX_STEM = "docx_merged_2020"


def _cases() -> list[str]:
    return sorted(p.name.removesuffix(".expected.yaml") for p in LAYOUTS.glob("*.expected.yaml"))


def _report_file(stem: str, tmp_path: Path) -> Path:
    if stem == DOCX_STEM:
        path = tmp_path / f"{stem}.docx"
        make_docx.build(path)
        return path
    (path,) = [p for p in LAYOUTS.glob(f"{stem}.*") if not p.name.endswith(".expected.yaml")]
    return path


def _expected_cell(spec) -> dict:
    if isinstance(spec, dict):
        return spec
    if isinstance(spec, str):
        return {"value": Decimal(spec), "status": "ok"}
    return {"value": spec, "status": "ok"}


def test_every_layout_has_a_fixture():
    stems = {s.rsplit("_", 1)[0] for s in _cases()}
    assert stems >= {
        "cell_per_line", "tab_word", "pipe_cells", "pipe_rows", "pdf_text", "html", "run_together", "markdown", "docx_merged",
    }


@pytest.mark.parametrize("stem", _cases())
def test_layout(stem, tmp_path):
    expected = yaml.safe_load((LAYOUTS / f"{stem}.expected.yaml").read_text(encoding="utf-8"))
    report = parse_file(_report_file(stem, tmp_path)).report
    meta = report.metadata
    assert (meta.body, meta.year, meta.template) == (expected["body"], expected["year"], expected["template"])
    assert report.layout == expected["layout"]
    if "published" in expected:
        assert meta.published == expected["published"]
    assert [s.key for s in report.sections] == expected["sections"]
    if "section_lines" in expected:
        assert [s.line for s in report.sections] == expected["section_lines"]
    assert all(table.present for table in report.tables.values())

    wrong = {}
    for address, spec in expected["cells"].items():
        table, row, col = address.split(".")
        cell = report.tables[table].cell(row, col)
        want = _expected_cell(spec)
        got = {"status": cell.status if cell else "no such cell"}
        if "value" in want and cell is not None:
            got["value"] = cell.value
        if "line" in want and cell is not None:
            got["line"] = cell.line
        if got != want:
            wrong[address] = (want, got)
    assert not wrong, f"cells differ (expected, parsed): {wrong}"
    for tables in ("t2", "t3", "t4"):
        assert sum(address.startswith(tables + ".") for address in expected["cells"]) >= 3

    for address, attributes in (expected.get("rows") or {}).items():
        table, key = address.split(".")
        row = report.tables[table].rows[key]
        got = {name: getattr(row, name) for name in attributes}
        assert got == attributes, address

    if "deviations" in expected:
        got = [
            {"kind": d.kind, "table": d.table, "key": d.key, "printed": d.printed, "match": d.match}
            for d in report.deviations
        ]
        assert got == expected["deviations"]

    figures = {(f.measure, f.value) for f in report.figures}
    for figure in expected.get("figures") or []:
        assert (figure["measure"], figure["value"]) in figures

    fee = expected.get("fee")
    if fee:
        if "none_stated" in fee:
            assert report.fee.none_stated == fee["none_stated"]
        for key in ("notices", "notified", "collected"):
            if key in fee:
                assert getattr(report.fee, key) is not None and getattr(report.fee, key).value == fee[key], key
