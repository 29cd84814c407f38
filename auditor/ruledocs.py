"""One documentation page per rule, generated from the rule data and its fixtures.

    auditor rules doc [--out docs/rules]

Each page says what the rule checks (its condition), why it matters and on what basis, an
example message taken from the rule's own firing fixture (so the page shows what the tool
really prints), a near-miss case where it stays quiet, and how to fix the report. The pages
are never edited by hand: tests/test_rule_docs.py fails when one is stale.
"""

import re
from pathlib import Path

from . import labels
from .engine.fixtures import CaseResult
from .engine.rulefile import Rule
from .resources import rules_dir

KIND = {"review": "需人工复核（工具未能读出的部分，不是报告问题，不计入结论）"}


def _source(rule: Rule) -> str:
    path = Path(rule.source)
    try:
        return "rules/" + path.relative_to(rules_dir()).as_posix()
    except ValueError:
        return path.name


def _severity(rule: Rule) -> str:
    return KIND.get(rule.severity) or f"{labels.severity(rule.severity)}（报告问题）"


def _scope(rule: Rule) -> str:
    templates = "、".join(f"{t}年版" for t in rule.templates) or "两版格式"
    first, last = rule.years.get("from"), rule.years.get("to")
    years = "全部年度" if not first and not last else f"{first or ''}–{last or ''}年度"
    return f"{templates}，{years}"


def condition_lines(rule: Rule, quote: str = "") -> list[str]:
    """What a rule checks, one line each: its loop, its `when`, its `expect` (shared by
    `auditor rules show` and the rule pages)."""
    def q(text: str) -> str:
        return f"{quote}{' '.join(text.split())}{quote}"

    lines = []
    if rule.for_each:
        lines.append("逐一检查：" + "，".join(f"{q(k)} ∈ {q(v)}" for k, v in rule.for_each.items()))
    if rule.when:
        lines.append(f"条件（when）：{q(rule.when)}")
    if rule.expect:
        lines.append(f"应成立（expect）：{q(rule.expect)}")
    return lines


def render_page(rule: Rule, results: list[CaseResult], pack_description: str = "") -> str:
    firing = next((r for r in results if r.case.expected > 0 and r.messages), None)
    quiet = [r for r in results if r.case.expected == 0]
    lines = [f"# {rule.id} {rule.title}", ""]
    lines.append(f"级别：{_severity(rule)} · 规则包：{rule.pack}（{labels.family(rule.pack.lower())}） · 适用：{_scope(rule)} · 定义：`{_source(rule)}`")
    lines += ["", "## 检查什么", ""]
    if rule.description:
        lines += [rule.description.strip(), ""]
    lines += [f"- {line}" for line in condition_lines(rule, "`")]
    lines += ["", "## 为什么重要", "", (pack_description or rule.basis).strip(), "", "## 示例", ""]
    if firing is not None:
        lines += [f"用例“{firing.case.name}”（`{_fixture(firing)}`）中，工具给出的提示：", "", f"> {firing.messages[0]}", ""]
    if quiet:
        names = "；".join(f"“{r.case.name}”" for r in quiet)
        lines += [f"不触发的用例：{names}。", ""]
    lines += ["## 依据", "", rule.basis.strip(), "", "## 如何整改", "", rule.fix.strip(), ""]
    return "\n".join(lines)


def _fixture(result: CaseResult) -> str:
    path = Path(result.case.source)
    try:
        return "rules/" + path.relative_to(rules_dir()).as_posix()
    except ValueError:
        return path.name


def render_index(rules: list[Rule]) -> str:
    lines = ["# 规则一览", "", "每条规则一页，由 `auditor rules doc` 从规则数据和规则用例生成，请勿手工编辑。", "",
             "条件里的表、行、列名称与报告中印的文字对照见 [names.md](names.md)；条件语言见 [../rule-language.md](../rule-language.md)。", "",
             "| 编号 | 标题 | 级别 |", "|---|---|---|"]
    lines += [f"| [{r.id}]({r.id}.md) | {r.title} | {_severity(r).split('（')[0]} |" for r in rules]
    return "\n".join(lines) + "\n"


def render_names() -> str:
    """The names conditions use for tables, rows and columns, beside the labels printed in
    the reports, per template (from rules/templates/*.yaml)."""
    from .engine.facts import SCHEMA
    from .templates import all_templates

    lines = ["# 条件中的名称", "", "由 `auditor rules doc` 从 `rules/templates/*.yaml` 和事实结构生成，请勿手工编辑。"
             "条件写作 `表.行.列`（如 `t3.received.total`）或 `t3[row][col]`（`for_each` 的变量）。", ""]
    for template in all_templates():
        lines += [f"## {template.name}（{template.id}）", ""]
        for key, table in template.tables.items():
            lines += [f"### `{key}` {table.label}", "", "| 名称 | 印在报告中的文字 | 种类 |", "|---|---|---|"]
            blocks = table.blocks or ()
            columns = list(table.columns) + [c for b in blocks for c in b.columns]
            seen = set()
            for item in columns:
                if item.key not in seen:
                    seen.add(item.key)
                    lines.append(f"| `{item.key}` | {item.label} | 列 |")
            for item in table.all_rows():
                kind = "小计行（其分项之和）" if item.sum_of else "行"
                lines.append(f"| `{item.key}` | {(item.number + ' ') if item.number else ''}{item.label} | {kind} |")
            lines.append("")
    lines += ["## 其他事实的属性", "", "| 事实 | 属性 |", "|---|---|"]
    lines += [f"| `{fact}` | {'、'.join(f'`{name}`' for name in props)} |" for fact, props in SCHEMA.items()]
    return "\n".join(lines) + "\n"


def pages(rules: list[Rule], results: list[CaseResult], descriptions: dict[str, str]) -> dict[str, str]:
    """File name -> content of every page and the index."""
    out = {"README.md": render_index(rules), "names.md": render_names()}
    for rule in rules:
        mine = [r for r in results if r.case.rule == rule.id]
        out[f"{rule.id}.md"] = render_page(rule, mine, descriptions.get(rule.pack, ""))
    return out


def build_pages(extra_dirs: list | None = None) -> dict[str, str]:
    """The pages of the rules in effect (default packs and extra folders), fixtures run."""
    from .engine.fixtures import base_dirs, fixture_dirs, load_cases, run_cases
    from .engine.packs import load_rules, pack_files
    from .engine.rulefile import read_yaml
    from .engine.session import Engine

    rules = load_rules(extra_dirs)
    cases = load_cases([d for d in fixture_dirs(extra_dirs) if d.is_dir()])
    results = run_cases(Engine(rules), cases, [d for d in base_dirs(extra_dirs) if d.is_dir()])
    descriptions = {}
    for path in pack_files(rules_dir()):
        data = read_yaml(path)
        descriptions[data["pack"]] = _unfold(str(data.get("description", "")))
    return pages(rules, results, descriptions)


_CJK = "\u3000-\u9fff\uff00-\uffef“”"
_FOLD = re.compile(f"(?<=[{_CJK}])\\s+(?=[{_CJK}])")


def _unfold(text: str) -> str:
    """YAML's folded text joins lines with a space; Chinese text has none between words."""
    return _FOLD.sub("", " ".join(text.split()))


def write_pages(folder: Path, content: dict[str, str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in content.items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            temporary = path.with_suffix(".tmp")
            temporary.write_text(text, encoding="utf-8")
            temporary.replace(path)
        written.append(path)
    for stale in folder.glob("*.md"):
        if stale.name not in content:
            stale.unlink()
    return written
