"""Generate reports and write them with their expectations: `generate(out_dir, count, seed)`.

Report i is generated from its own random stream (seed and i), so any report can be rebuilt
alone and a run is the same bytes every time. Layouts take turns (report i is in layout
i mod L); within a layout, a `defect_rate` share of the reports carry one defect, the kinds
taking turns too, so every layout meets every kind that applies to it. Files are written one
report at a time (memory stays flat however many are asked for):

    <i>_<layout>_<defect or clean>.<txt|html|md>
    <i>_<layout>_<defect or clean>.expected.yaml
"""

import math
import time
from pathlib import Path
from random import Random

import yaml

from . import build
from .bodies import LEVELS, pick_level
from .defects import DEFECTS, NEW_YEARS, YEARS, Defect, applicable, compatible
from .layouts import LAYOUTS, render
from .model import Para
from .oracle import expected_findings
from .prose import prose_data
from .series import bodies_before

try:
    _Dumper = yaml.CSafeDumper
except AttributeError:  # PyYAML without libyaml
    _Dumper = yaml.SafeDumper

FORMAT_VERSION = 1


def schedule(index: int, layouts: tuple[str, ...], defect_rate: float, kinds: tuple[str, ...] | None = None) -> tuple[str, Defect | None]:
    """The layout and defect kind (None: clean) of report `index`. Each layout starts its
    turn of kinds at a different place, so that even a small corpus meets every kind."""
    position = index % len(layouts)
    layout = layouts[position]
    k = index // len(layouts)
    if math.floor((k + 1) * defect_rate) <= math.floor(k * defect_rate):
        return layout, None
    options = [d for d in applicable(layout) if kinds is None or d.name in kinds]
    if not options:
        return layout, None
    offset = position * (len(options) // len(layouts) + 1)
    return layout, options[(math.floor(k * defect_rate) + offset) % len(options)]


def make_report(index: int, seed: int, layout: str, defect: Defect | None, second_rate: float = 0.2, series=None):
    """(spec, rendered) of one report; `defect` (None: clean) and now and then a second one.
    `series`: a report of a series (synth.crossdefects.SeriesReport): year, level and body
    given, figures chained from last year's, its cross defect."""
    rng = Random(f"gkaudit-synth:{seed}:{index}")
    defects = [defect] if defect else []
    if defect and rng.random() < second_rate:
        options = [d for d in DEFECTS.values() if compatible(defect, d, layout) and (series is None or series.fits(d))]
        if options:
            defects.append(rng.choice(options))
    years = tuple(y for y in YEARS if all(y in d.years for d in defects))
    year = rng.choice(years)
    levels = next((d.levels for d in defects if d.levels), None)
    level = pick_level(rng, levels)
    if series is not None:
        year, level = series.year, series.level
    style = rng.choice(("page", "lines")) if layout == "run-together" else ""
    template = None
    if any(d.template == "other" for d in defects):
        template = "2019" if year >= 2021 else "2021"
    noise = {
        "fullwidth": rng.choice((0.0, 0.0, 0.3)), "spaces": rng.choice((0.0, 0.1, 0.3)),
        "commas": layout not in ("run-together", "pdf-text") and rng.random() < 0.2,
    }
    variant_rate = rng.choice((0.0, 0.0, 0.0, 0.02))
    if any(d.group == "template" for d in defects):
        variant_rate = 0.0
    zero = False if any(d.nonzero for d in defects) else None
    if series is not None and series.zero is not None:
        zero = series.zero
    spec = build.base(rng, index, seed, layout, style, year, level, template, variant_rate, zero,
                      chain=series.chain if series is not None else None)
    spec.noise.update(noise)
    if series is not None:
        series.tables(spec, rng)
    for item in defects:
        spec.defects.append(item.name)
        if item.tables:
            item.tables(spec, rng)
    chrome = layout not in ("pdf-text", "run-together") and (rng.random() < 0.8 or any(d.name == "early_date" for d in defects))
    build.document(spec, rng, heading_alias_rate=0.05, chrome=chrome, intros=layout != "run-together",
                   own_words=layout != "run-together")
    if layout in ("run-together", "pdf-text"):
        _no_fee_table(spec, rng)
    if layout in ("cell-per-line", "pipe-cell", "tab") and rng.random() < 0.15 and len(spec.body) <= 20 and spec.title.startswith(spec.body):
        spec.title_split = True
    if series is not None:
        series.document(spec, rng)
    for item in defects:
        if item.document:
            item.document(spec, rng)
    rendered = render(spec, rng)
    return spec, rendered


def _no_fee_table(spec, rng) -> None:
    if spec.fee.style == "table":
        spec.fee.style = "values" if spec.fee.notices else "zeros"
        if spec.fee.style == "zeros":
            spec.fee.notices = spec.fee.notified = spec.fee.collected = 0
        section = spec.section("other")
        intros = prose_data()["other"]["fee_table_intro"]
        kept = [b for b in section.blocks if b != "fee" and not (isinstance(b, Para) and b.text in intros)]
        section.blocks = build.fee_blocks(spec, rng) + kept


def expectation(spec, rendered, name: str) -> dict:
    return {
        "format": FORMAT_VERSION,
        "report": name,
        "layout": spec.layout,
        "style": spec.style,
        "year": spec.year,
        "template": spec.template,
        "expected_template": spec.expected_template,
        "body": spec.body,
        "level": spec.level,
        "published": spec.published,
        "encoding": spec.encoding,
        "defects": list(spec.defects),
        "notes": list(spec.notes),
        "findings": expected_findings(spec, rendered.anchors),
    }


def generate(out_dir, count: int, seed: int = 1, layouts=None, defect_rate: float = 0.6, start: int = 0, progress=None,
             kinds=None, series: int | None = None) -> dict:
    """Write reports start … start+count-1 to `out_dir`; returns counts by layout and defect.

    `layouts`: only these layouts (default all); `defect_rate`: share of reports with a
    defect; `kinds`: only these defect kinds (default all); `series`: reports as series of
    this many consecutive years of one body (synth.series); `progress`: called with 1 after
    each report."""
    from .series import CROSS_KINDS, MAX_LENGTH

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    layouts = tuple(layouts or LAYOUTS)
    unknown = set(layouts) - set(LAYOUTS)
    if unknown:
        raise ValueError(f"unknown layout(s): {', '.join(sorted(unknown))}; known: {', '.join(LAYOUTS)}")
    kinds = tuple(kinds) if kinds else None
    known = set(DEFECTS) | (set(CROSS_KINDS) if series else set())
    if kinds and set(kinds) - known:
        raise ValueError(f"unknown defect kind(s): {', '.join(sorted(set(kinds) - known))}")
    if series is not None and not 2 <= series <= MAX_LENGTH:
        raise ValueError(f"a series is 2 to {MAX_LENGTH} years long (report years {YEARS[0]}–{YEARS[-1]})")
    summary = {"reports": 0, "by_layout": {}, "by_defect": {}, "seconds": 0.0}
    started = time.perf_counter()
    reports = _series_reports(start, count, seed, layouts, defect_rate, kinds, series) if series else (
        (index, make_report(index, seed, *schedule(index, layouts, defect_rate, kinds)), None) for index in range(start, start + count))
    for index, (spec, rendered), cross in reports:
        _write(out, index, spec, rendered, cross)
        summary["reports"] += 1
        summary["by_layout"][spec.layout] = summary["by_layout"].get(spec.layout, 0) + 1
        for kind in spec.defects or ["clean"]:
            summary["by_defect"][kind] = summary["by_defect"].get(kind, 0) + 1
        if progress:
            progress(1)
    summary["seconds"] = time.perf_counter() - started
    return summary


def _write(out: Path, index: int, spec, rendered, cross: list | None) -> None:
    stem = f"{index:06d}_{spec.layout}_{'+'.join(spec.defects) or 'clean'}"
    name = f"{stem}.{rendered.ext}"
    text = rendered.text
    if spec.encoding == "gb18030" and rendered.ext == "html":
        text = text.replace('<meta charset="utf-8">', '<meta charset="gb2312">')
    (out / name).write_bytes(text.replace("\n", spec.newline).encode(spec.encoding))
    data = expectation(spec, rendered, name)
    if cross is not None:  # a report of a series: which, and its findings over two reports
        findings = data.pop("findings") + cross
        data["series"] = {"id": spec.series["id"], "position": spec.series["position"], "years": spec.series["years"]}
        data["findings"] = findings
    with open(out / f"{stem}.expected.yaml", "w", encoding="utf-8") as handle:
        yaml.dump(data, handle, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)


def _series_reports(start: int, count: int, seed: int, layouts, defect_rate: float, kinds, length: int):
    """(index, (spec, rendered), expected cross findings) of reports start … start+count−1,
    built series by series (a series begun before `start` is built from its first year)."""
    from .crossdefects import SeriesReport
    from .crossoracle import expected_cross
    from .series import chain_of, plan

    used = bodies_before(start // length, seed)
    for number in range(start // length, (start + count - 1) // length + 1):
        series = plan(number, length, seed, layouts, defect_rate, kinds, used, schedule)
        previous = None
        for position, year in enumerate(series.years):
            index = number * length + position
            if index >= start + count:
                return
            chain = chain_of(previous, series.body, number, position)
            chain["series"]["years"] = list(series.years)
            context = SeriesReport(year, series.body.level, chain, previous,
                                   series.cross if position == series.position and series.cross else None)
            spec, rendered = make_report(index, seed, series.layouts[position], series.defects[position], series=context)
            if index >= start:
                yield index, (spec, rendered), expected_cross(spec, previous, rendered.anchors)
            previous = spec


__all__ = ["generate", "make_report", "schedule", "DEFECTS", "LAYOUTS", "LEVELS", "NEW_YEARS"]
