"""Synthetic annual reports with labelled defects: the measuring instrument of gkaudit.

`generate(out_dir, count, seed)` writes `count` reports — both templates, every
administrative level, every layout of DESIGN.md, real-world noise — and beside each one
`<name>.expected.yaml`: the findings the auditor must report, derived from what the
generator built and injected (synth.oracle), never from running the auditor.
`python -m auditor.eval DIR` measures the auditor against them.

Modules, one job each: model (the truth), figures (table values), bodies (names, levels,
dates), tables (printed rows and labels), prose (paragraphs and quoted figures), build (a
whole report), defects (labelled problems), noise (full-width digits, spaces in words),
runs (digits run together), grids (tables as cell grids), layouts/ (one renderer per
layout), oracle (expected findings), writer (files, `generate`).
"""

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def data_path(name: str) -> Path:
    return DATA / name


def generate(out_dir, count: int, seed: int = 1, layouts=None, defect_rate: float = 0.6, **options) -> dict:
    """Write `count` reports and their expectations to `out_dir`; see synth.writer.generate."""
    from .writer import generate as _generate

    return _generate(out_dir, count, seed, layouts=layouts, defect_rate=defect_rate, **options)
