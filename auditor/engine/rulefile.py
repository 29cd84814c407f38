"""Rule packs as data: load rules/*.yaml, check them against a closed schema.

Every problem is reported as `file:line: what is wrong, how to fix it` (RuleFileError);
the CLI stops with exit code 2 on the first file that has any.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

PACK_KEYS = {"pack", "title", "version", "description", "rules"}
RULE_KEYS = {
    "id", "title", "severity", "basis", "templates", "years", "for_each", "when", "expect",
    "at", "message", "fix", "description", "merge", "merged_message", "scrambled_message",
}
REQUIRED = ("id", "title", "severity", "basis", "message", "fix")
SEVERITIES = ("error", "warning", "info", "review")  # review: a reading limit (需人工复核)
MERGES = ("table",)
_ID = re.compile(r"^([A-Z]+)-(\d{3})$")


class RuleFileError(ValueError):
    def __init__(self, path, line: int, message: str):
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = str(path), line, message


@dataclass
class Rule:
    id: str
    pack: str
    title: str
    severity: str
    basis: str
    message: str
    fix: str
    source: str
    line: int
    templates: tuple = ()
    years: dict = field(default_factory=dict)
    for_each: dict = field(default_factory=dict)
    when: str = ""
    expect: str = ""
    at: str = ""
    description: str = ""
    merge: str = ""  # "table": the firings of one table are one finding (one cause, one finding)
    merged_message: str = ""
    # a row relation that fails on most rows of a table (at least 3) says the columns were read
    # out of place, not that the body added wrong: one reading limit with this message
    scrambled_message: str = ""
    pack_version: str = ""
    lines: dict = field(default_factory=dict)  # key -> line in the rule file

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)

    @property
    def family(self) -> str:
        return self.pack


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that remembers the line of every mapping (as key "__line__")."""


def _construct_mapping(loader, node, deep=False):
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=deep)
    mapping["__line__"] = node.start_mark.line + 1
    mapping["__lines__"] = {k.value: k.start_mark.line + 1 for k, _ in node.value if hasattr(k, "value")}
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path):
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_LineLoader)
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else 0
        raise RuleFileError(path, line, f"YAML 格式错误：{error.problem}（检查缩进、冒号和引号）") from None


def load_pack(path: Path) -> list[Rule]:
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise RuleFileError(path, 1, "规则包应是一个映射，至少包含 pack 和 rules 两个键")
    _closed(path, data, PACK_KEYS, "规则包")
    pack = data.get("pack")
    if not isinstance(pack, str) or not re.fullmatch(r"[A-Z]+", pack or ""):
        raise RuleFileError(path, data["__lines__"].get("pack", data["__line__"]), "pack 应是大写字母组成的前缀，例如 RECON")
    rules = data.get("rules")
    if not isinstance(rules, list) or not rules:
        raise RuleFileError(path, data["__lines__"].get("rules", data["__line__"]), "rules 应是一个非空的规则列表")
    return [_rule(path, pack, str(data.get("version", "")), item) for item in rules]


def _closed(path, data: dict, allowed: set, what: str) -> None:
    for key, line in data["__lines__"].items():
        if key not in allowed:
            hint = _closest(key, allowed)
            raise RuleFileError(path, line, f"{what}中有未知的键 “{key}”" + (f"，是否应为 “{hint}”？" if hint else f"；可用的键：{', '.join(sorted(allowed))}"))


def _closest(key: str, allowed: set) -> str:
    from difflib import get_close_matches

    found = get_close_matches(key, sorted(allowed), n=1, cutoff=0.6)
    return found[0] if found else ""


def _rule(path, pack: str, version: str, data) -> Rule:
    if not isinstance(data, dict):
        raise RuleFileError(path, 0, "每条规则应是一个映射（id、title、severity …）")
    line = data["__line__"]
    _closed(path, data, RULE_KEYS, "规则")
    for key in REQUIRED:
        if not data.get(key):
            raise RuleFileError(path, line, f"规则缺少必填键 “{key}”")
    rule_id = str(data["id"])
    match = _ID.match(rule_id)
    if not match or match.group(1) != pack:
        raise RuleFileError(path, data["__lines__"]["id"], f"规则编号 “{rule_id}” 应为 {pack}-三位数字，例如 {pack}-001")
    if data["severity"] not in SEVERITIES:
        raise RuleFileError(path, data["__lines__"]["severity"], f"severity 应为 {' / '.join(SEVERITIES)} 之一")
    if data.get("merge") and data["merge"] not in MERGES:
        raise RuleFileError(path, data["__lines__"]["merge"], f"merge 应为 {' / '.join(MERGES)} 之一")
    if data.get("merge") and not data.get("merged_message"):
        raise RuleFileError(path, data["__lines__"]["merge"], "合并报告的规则（merge）需要 merged_message：多行合并为一条时的说明")
    if bool(data.get("when")) + bool(data.get("expect")) == 0:
        raise RuleFileError(path, line, "规则需要 when（何时报告）或 expect（应成立的关系）")
    years = data.get("years") or {}
    if not isinstance(years, dict) or set(years) - {"from", "to", "__line__", "__lines__"}:
        raise RuleFileError(path, data["__lines__"].get("years", line), "years 应写成 {from: 2021} 或 {from: 2019, to: 2020}")
    for_each = {k: str(v) for k, v in (data.get("for_each") or {}).items() if not k.startswith("__")}
    templates = tuple(str(t) for t in data.get("templates") or ())
    return Rule(
        id=rule_id, pack=pack, title=str(data["title"]), severity=data["severity"], basis=str(data["basis"]),
        message=str(data["message"]).strip(), fix=str(data["fix"]).strip(), source=str(path), line=line,
        templates=templates, years={k: v for k, v in years.items() if not k.startswith("__")},
        for_each=for_each, when=str(data.get("when") or ""), expect=str(data.get("expect") or ""),
        at=str(data.get("at") or ""), description=str(data.get("description") or ""),
        merge=str(data.get("merge") or ""), merged_message=str(data.get("merged_message") or "").strip(),
        scrambled_message=str(data.get("scrambled_message") or "").strip(),
        pack_version=version,
        lines=dict(data["__lines__"]),
    )
