"""Accuracy on real reports: score the auditor against hand-written expectations.

    python -m auditor.eval --real ../shared/real [--expectations tests/real/expectations]

Two kinds of real material, both read by people, never produced by the tool:
- excerpts (`excerpts/NNN.txt` beside `NNN.yaml`): the first ~2,000 bytes of real pages, cut
  mid-text. Scored: body, level, year, publication date against the YAML; the truncation
  reported once on each cut file and never on a whole one; and no error finding at all (what a
  cut page lacks is past the cut).
- whole reports with an expectation file each (`tests/real/expectations/*.yaml`, format in its
  README): every defect listed there must be found; every error or warning the auditor reports
  must be a listed defect or an `allowed` finding, otherwise it is false. Findings that are
  reading limits (severity review, 需人工复核) are never errors: they are listed, not scored,
  except where an expectation asks for one.

Precision is printed per rule family and per kind (defect / limit), with every false error.
"""

import shutil
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from tabulate import tabulate

from .probe import audit_one

SCORED = ("error", "warning")
EXCERPT_FIELDS = ("body", "level", "year", "published")
TARGETS = {"body": 0.95, "level": 0.90, "year": 1.0}


@dataclass
class Case:
    """One real file and what the auditor said about it."""

    name: str
    findings: list[dict]
    metadata: dict
    expected: dict
    true: list[dict] = field(default_factory=list)  # scored findings that are right
    false: list[dict] = field(default_factory=list)  # scored findings that are wrong
    missed: list[dict] = field(default_factory=list)  # expected defects not found
    skipped: str = ""  # why the file could not be scored here
    reader: str = "text"  # how the file was read: text, pdf (the tool's PDF reader) or pdftotext


def _text_of(item: dict) -> str:
    return " ".join(str(item.get(k) or "") for k in ("message", "location_key", "table", "row", "column"))


# -- excerpts -----------------------------------------------------------------------------
def score_excerpts(folder: Path) -> list[Case]:
    cases = []
    for text in sorted(folder.glob("*.txt")):
        facts = text.with_suffix(".yaml")
        if not facts.is_file():
            continue
        with open(facts, encoding="utf-8") as handle:
            expected = yaml.safe_load(handle)
        findings, metadata = audit_one(str(text))
        case = Case(text.name, findings, metadata, expected)
        cuts = [f for f in findings if f["rule_id"] == "INPUT-007"]
        if len(cuts) != int(bool(expected.get("truncated"))):
            case.missed.append({"rule": "INPUT-007", "why": f"截断应报告 {int(bool(expected.get('truncated')))} 次，实报 {len(cuts)} 次"})
        case.false = [f for f in findings if f["severity"] == "error"]
        cases.append(case)
    return cases


def metadata_accuracy(cases: list[Case]) -> dict[str, tuple[int, int]]:
    out = {}
    for name in EXCERPT_FIELDS:
        right = sum(1 for c in cases if _same(name, c.expected.get(name), c.metadata.get(name)))
        out[name] = (right, len(cases))
    return out


def _same(name: str, want, got) -> bool:
    if name == "published":
        return str(want or "") == str(got or "")
    if name == "body":
        return (want or "") == (got or "")
    return want == got


# -- whole reports with expectation files ------------------------------------------------------
def score_expectations(folder: Path, real: Path, root: Path) -> list[Case]:
    cases = []
    for path in sorted(folder.glob("*.yaml")):
        with open(path, encoding="utf-8") as handle:
            expected = yaml.safe_load(handle)
        target = expected["file"]
        source = root / target.split(":", 1)[1] if target.startswith("corpus:") else real / target
        readers = expected.get("readers") or [expected.get("reader", "text")]
        for reader in readers:
            name = path.stem if len(readers) == 1 else f"{path.stem}[{reader}]"
            if not source.is_file():
                cases.append(Case(name, [], {}, expected, skipped=f"找不到 {source}", reader=reader))
                continue
            if reader == "pdftotext":
                text, why = _pdftotext(source)
                if text is None:
                    cases.append(Case(name, [], {}, expected, skipped=why, reader=reader))
                    continue
                findings, metadata = _audit_text(text, source.stem)
            else:  # text, or pdf: the file itself through the tool's own reader
                findings, metadata = audit_one(str(source))
            cases.append(_score(Case(name, findings, metadata, expected, reader=reader)))
    return cases


def _pdftotext(path: Path) -> tuple[str | None, str]:
    if shutil.which("pdftotext") is None:
        return None, "未安装 pdftotext（poppler-utils）"
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, timeout=120)
    if done.returncode:
        return None, f"pdftotext 失败：{done.stderr.decode(errors='replace')[:200]}"
    return done.stdout.decode("utf-8", errors="replace"), ""


def _audit_text(text: str, stem: str) -> tuple[list[dict], dict]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{stem}.txt"
        path.write_text(text, encoding="utf-8")
        return audit_one(str(path))


def _matches(finding: dict, item: dict) -> bool:
    return finding["rule_id"] == item["rule"] and (item.get("match") or "") in _text_of(finding)


def _score(case: Case) -> Case:
    defects = list(case.expected.get("defects") or ())
    allowed = list(case.expected.get("allowed") or ())
    found = [False] * len(defects)
    for finding in case.findings:
        hit = next((i for i, item in enumerate(defects) if _matches(finding, item)), None)
        if hit is not None:
            found[hit] = True
            if finding["severity"] in SCORED:
                case.true.append(finding)
            continue
        if finding["severity"] not in SCORED:
            continue  # info notes and reading limits are not scored
        if any(_matches(finding, item) for item in allowed):
            case.true.append(finding)
        else:
            case.false.append(finding)
    case.missed = [item for item, hit in zip(defects, found) if not hit]
    return case


def family_precision(cases: list[Case]) -> list[list]:
    """Scored findings per family and kind: reported, true, false, precision."""
    true, false = Counter(), Counter()
    for case in cases:
        for finding in case.true:
            true[_group(finding)] += 1
        for finding in case.false:
            false[_group(finding)] += 1
    rows = []
    for key in sorted(set(true) | set(false)):
        total = true[key] + false[key]
        rows.append([*key, total, true[key], false[key], f"{true[key] / total:.0%}" if total else "—"])
    return rows


def _group(finding: dict) -> tuple[str, str, str]:
    return finding["rule_id"].split("-")[0], finding.get("kind", ""), finding["severity"]


# -- the report ---------------------------------------------------------------------------
def report(excerpts: list[Case], wholes: list[Case], out) -> bool:
    """Print the tables and lists; True when every target is met."""
    met = True
    if excerpts:
        accuracy = metadata_accuracy(excerpts)
        print(f"真实报告节选 {len(excerpts)} 份：元数据（对照 NNN.yaml）", file=out)
        rows = []
        for name, (right, total) in accuracy.items():
            target = TARGETS.get(name)
            ok = target is None or right >= target * total
            met &= ok
            rows.append([name, f"{right}/{total}", f"{right / total:.0%}", f"≥ {target:.0%}" if target else "—", "" if ok else "未达标"])
        print(tabulate(rows, headers=["项目", "一致", "比例", "目标", ""], tablefmt="simple"), file=out)
        wrong = [(c.name, n, c.expected.get(n), c.metadata.get(n)) for c in excerpts for n in EXCERPT_FIELDS
                 if not _same(n, c.expected.get(n), c.metadata.get(n))]
        for name, field_name, want, got in wrong:
            print(f"  {name}: {field_name} 应为 {want!r}，读出 {got!r}", file=out)
        errors = [(c.name, f) for c in excerpts for f in c.false]
        cut_wrong = [(c.name, m) for c in excerpts for m in c.missed]
        met &= not errors and not cut_wrong
        _listing(out, "节选上的错误级别发现：{n} 条（目标 0：节选缺少的内容在截断处之后）", errors, _finding_text)
        _listing(out, "截断报告不符：{n} 份", cut_wrong, lambda m: m["why"])
        print(file=out)
    scored = [c for c in wholes if not c.skipped]
    if wholes:
        print(f"有人工预期的完整报告 {len(scored)} 份" + (f"（跳过 {len(wholes) - len(scored)} 份）" if len(scored) < len(wholes) else ""), file=out)
        for case in wholes:
            if case.skipped:
                print(f"  跳过 {case.name}：{case.skipped}", file=out)
        print(tabulate(family_precision(scored), headers=["类别", "性质", "级别", "实报", "正确", "错误", "精确率"], tablefmt="simple"), file=out)
        false_errors = [(c.name, f) for c in scored for f in c.false if f["severity"] == "error"]
        false_warnings = [(c.name, f) for c in scored for f in c.false if f["severity"] != "error"]
        misses = [(c.name, m) for c in scored for m in c.missed]
        met &= not false_errors and not misses
        _listing(out, "误报的错误：{n} 条", false_errors, _finding_text)
        _listing(out, "误报的警告：{n} 条", false_warnings, _finding_text)
        _listing(out, "漏报的已知问题：{n} 条", misses, lambda item: f"{item['rule']}（{item.get('why', '')[:100]}）")
        limits = Counter(f["rule_id"] for c in scored for f in c.findings if f["severity"] == "review")
        print("需人工复核（不计分）：" + ("、".join(f"{k} {v}" for k, v in sorted(limits.items())) or "无"), file=out)
        metadata_wrong = [(c.name, n, c.expected["metadata"].get(n), c.metadata.get(n)) for c in scored
                          for n in ("body", "year", "level", "template") if n in (c.expected.get("metadata") or {})
                          and not _same(n, c.expected["metadata"].get(n), c.metadata.get(n))]
        print(f"元数据不一致（参考）：{len(metadata_wrong)} 处", file=out)
        for name, field_name, want, got in metadata_wrong:
            print(f"  {name}: {field_name} 应为 {want!r}，读出 {got!r}", file=out)
    print(file=out)
    print("结论：" + ("全部达到目标。" if met else "未达到目标。"), file=out)
    return met


def _listing(out, title: str, items: list[tuple[str, object]], text) -> None:
    """A count line, then one indented line per (file, item)."""
    print(title.format(n=len(items)), file=out)
    for name, item in items:
        print(f"  {name}: {text(item)}", file=out)


def _finding_text(finding: dict) -> str:
    return f"{finding['rule_id']} 第{finding['line']}行 {finding['message'][:100]}"


def run(real: Path, expectations: Path, root: Path) -> tuple[list[Case], list[Case]]:
    excerpts = score_excerpts(real / "excerpts") if (real / "excerpts").is_dir() else []
    wholes = score_expectations(expectations, real, root) if expectations.is_dir() else []
    return excerpts, wholes
