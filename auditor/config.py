"""Configuration: find, load and validate auditor.toml / .auditor.yaml against a closed schema.

A configuration file is found in the working folder (auditor.toml or .auditor.yaml) or
given with --config. Its keys override auditor/data/defaults.toml, which is validated by the
same code. Every problem — an unknown key, a value of the wrong kind, a TOML/YAML syntax
error — is a ConfigError reported as `file:line: what is wrong`. TOML line numbers come from
a light scan of the file (tomllib does not keep them); YAML ones from rulefile.read_yaml.
Files are read as rule files are (rulefile.read_source / read_yaml): at most 1 MB, UTF-8 (a
GBK file is refused with the advice to save it as UTF-8), YAML aliases and nesting bounded;
TOML nested deeper than MAX_NESTING is refused.

This module only reads and checks; auditor/runtime.py is where the settings take effect.
"""

import json
import re
import tomllib
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path

from .engine.rulefile import RuleFileError, SEVERITIES, read_source, read_yaml
from .limits import Limits
from .resources import load_yaml

CONFIG_NAMES = ("auditor.toml", ".auditor.yaml")
MAX_NESTING = 16  # the schema needs 3 levels
DEFAULTS = Path(__file__).resolve().parent / "data" / "defaults.toml"
_RULE_OR_PACK = re.compile(r"^[A-Z]+(-\d{3})?$")
_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")
_DAYS = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}


class ConfigError(RuleFileError):
    """A configuration problem, formatted like rule-file errors: `file:line: message`."""


@dataclass
class Thresholds:
    """When a report is 不合格 / 需整改 (0 switches a condition off)."""

    fail_errors: int = 5
    revise_errors: int = 1
    revise_warnings: int = 10
    fail_rules: tuple = ()


@dataclass
class Config:
    path: str = ""  # the user's configuration file, "" when only defaults apply
    enable: tuple = ()
    disable: tuple = ()
    severity: dict = field(default_factory=dict)  # rule id or pack -> severity
    folders: tuple = ()  # extra rule folders (Paths)
    thresholds: Thresholds = field(default_factory=Thresholds)
    deadlines: dict = field(default_factory=dict)  # level -> "MM-DD" ("" = no check)
    baseline: Path | None = None
    reviewer: str = ""  # the issuing unit: 审核单位 and the 落款 of memos
    memo_template: Path | None = None  # an office's own Word template for memos (None: the built-in one)
    memo_deadline_days: int = 30  # 整改期限: days after the audit date (0: no deadline printed)
    limits: Limits = field(default_factory=Limits)  # per-file resource limits
    history_file: Path | None = None  # [history] file: the history store (--history overrides)
    history_aliases: Path | None = None  # [history] aliases: body name -> identity (--history-aliases)
    copy_threshold: float = 0.5  # [copy] threshold: similarity at which COPY rules report
    lines: dict = field(default_factory=dict, repr=False)  # key path tuple -> line

    def line_of(self, *keys: str) -> int:
        """Line of a key in the user's file (or of its nearest enclosing table), 0 if unknown."""
        for end in range(len(keys), 0, -1):
            if keys[:end] in self.lines:
                return self.lines[keys[:end]]
        return 0

    def error(self, message: str, *keys: str) -> ConfigError:
        return ConfigError(self.path or DEFAULTS, self.line_of(*keys), message)


def find_config(folder: Path | str = ".") -> Path | None:
    """The configuration file in `folder`; both names present is an error (which one wins?)."""
    found = [Path(folder) / name for name in CONFIG_NAMES if (Path(folder) / name).is_file()]
    if len(found) > 1:
        raise ConfigError(found[1], 0, f"工作目录中同时存在 {found[0].name} 和 {found[1].name}，请只保留一个，或用 --config 指定")
    return found[0] if found else None


def load_config(path: Path | str | None = None, folder: Path | str = ".") -> Config:
    """Defaults overridden by `path` (or by the file found in `folder` when path is None)."""
    if path is not None and not Path(path).is_file():
        raise ConfigError(path, 0, "配置文件不存在")
    path = Path(path) if path is not None else find_config(folder)
    data, lines = _read(DEFAULTS)
    values = _validate(DEFAULTS, data, lines)
    user_lines: dict = {}
    if path is not None:
        data, user_lines = _read(path)
        for section, items in _validate(path, data, user_lines).items():
            if isinstance(values.get(section), dict) and isinstance(items, dict):
                merged = dict(values[section])
                for key, value in items.items():
                    if isinstance(merged.get(key), dict) and isinstance(value, dict):
                        merged[key] = {**merged[key], **value}
                    else:
                        merged[key] = value
                values[section] = merged
            else:
                values[section] = items
    config = _build(path, values, user_lines)
    config.memo_template = _memo_template(config, values.get("memo", {}).get("template", ""))
    return config


# -- reading -------------------------------------------------------------------------------

def _read(path: Path) -> tuple[dict, dict]:
    if path.suffix.lower() in (".yaml", ".yml"):
        return _read_yaml(path)
    return _read_toml(path)


def _read_toml(path: Path) -> tuple[dict, dict]:
    try:
        text = read_source(path)
    except RuleFileError as error:
        raise ConfigError(error.path, error.line, error.message) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"line (\d+)", str(error))
        hint = "（中文键名需要加引号，例如 \"乡镇\" = \"03-31\"；字符串值需要加引号）"
        raise ConfigError(path, int(found.group(1)) if found else 0, f"TOML 格式错误：{error}{hint}") from None
    except RecursionError:
        raise ConfigError(path, 0, "TOML 嵌套层次过深（数组或表套得太多）") from None
    except ValueError:  # e.g. an integer of thousands of digits
        raise ConfigError(path, 0, "TOML 中有无法读取的值（例如位数过多的整数）") from None
    lines = toml_lines(text)
    _check_depth(path, data, lines)
    return data, lines


def _check_depth(path: Path, data, lines: dict) -> None:
    """Refuse values nested deeper than the schema could ever need (checked without recursion)."""
    stack = [(data, 1, ())]
    while stack:
        value, depth, keys = stack.pop()
        if depth > MAX_NESTING:
            line = next((lines[keys[:end]] for end in range(len(keys), 0, -1) if keys[:end] in lines), 0)
            raise ConfigError(path, line, f"配置嵌套层次过深（超过 {MAX_NESTING} 层）")
        if isinstance(value, dict):
            stack.extend((child, depth + 1, keys + (str(key),)) for key, child in value.items())
        elif isinstance(value, list):
            stack.extend((child, depth + 1, keys) for child in value)


def _read_yaml(path: Path) -> tuple[dict, dict]:
    try:
        raw = read_yaml(path)
    except RuleFileError as error:
        raise ConfigError(error.path, error.line, error.message) from None
    if raw is None:
        return {}, {}
    if not isinstance(raw, dict):
        raise ConfigError(path, 1, "配置文件应是一个映射（rules、conclusion、deadlines …）")
    lines: dict = {}

    def strip(node, prefix: tuple):
        if isinstance(node, dict):
            for key, line in node.get("__lines__", {}).items():
                lines[prefix + (str(key),)] = line
            return {str(k): strip(v, prefix + (str(k),)) for k, v in node.items() if k not in ("__line__", "__lines__")}
        if isinstance(node, list):
            return [strip(item, prefix) for item in node]
        return node

    return strip(raw, ()), lines


_KEY_PART = r"""(?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)"""
_DOTTED = rf"{_KEY_PART}(?:\s*\.\s*{_KEY_PART})*"
_TABLE = re.compile(rf"^\s*\[\s*({_DOTTED})\s*\]")
_ARRAY_TABLE = re.compile(rf"^\s*\[\[\s*({_DOTTED})\s*\]\]")
_KEYVAL = re.compile(rf"^\s*({_DOTTED})\s*=(.*)$")
_PART = re.compile(_KEY_PART)


def _key_parts(dotted: str) -> tuple:
    parts = []
    for part in _PART.findall(dotted):
        if part.startswith('"'):
            try:
                part = json.loads(part)
            except ValueError:
                part = part[1:-1]
        elif part.startswith("'"):
            part = part[1:-1]
        parts.append(part)
    return tuple(parts)


def toml_lines(text: str) -> dict:
    """Key path -> line for every table header and key in a TOML document (a light scan).

    Skips the insides of multi-line strings and arrays, so text there never looks like a key.
    """
    lines: dict = {}
    table: tuple = ()
    depth, open_string = 0, ""
    for number, line in enumerate(text.splitlines(), 1):
        if open_string or depth:
            depth, open_string = _scan_value(line, depth, open_string)
            continue
        if found := _ARRAY_TABLE.match(line):
            table = _key_parts(found.group(1))
            lines.setdefault(table, number)
        elif found := _TABLE.match(line):
            table = _key_parts(found.group(1))
            lines.setdefault(table, number)
        elif found := _KEYVAL.match(line):
            key = table + _key_parts(found.group(1))
            for end in range(len(table) + 1, len(key) + 1):
                lines.setdefault(key[:end], number)
            depth, open_string = _scan_value(found.group(2), 0, "")
    return lines


def _scan_value(text: str, depth: int, open_string: str) -> tuple[int, str]:
    """Bracket depth and any multi-line string still open at the end of `text`."""
    i = 0
    while i < len(text):
        if open_string:
            end = text.find(open_string, i)
            if end < 0:
                return depth, open_string
            i, open_string = end + 3, ""
            continue
        char = text[i]
        if text.startswith('"""', i) or text.startswith("'''", i):
            open_string, i = text[i : i + 3], i + 3
            continue
        if char == '"':
            i += 1
            while i < len(text) and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        elif char == "'":
            end = text.find("'", i + 1)
            i = end if end >= 0 else len(text)
        elif char == "#":
            break
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth = max(0, depth - 1)
        i += 1
    return depth, open_string


# -- validating ------------------------------------------------------------------------------

class _Checker:
    def __init__(self, path: Path, lines: dict):
        self.path, self.lines = path, lines

    def fail(self, keys: tuple, message: str):
        line = 0
        for end in range(len(keys), 0, -1):
            if keys[:end] in self.lines:
                line = self.lines[keys[:end]]
                break
        raise ConfigError(self.path, line, message)

    def table(self, value, keys: tuple) -> dict:
        if not isinstance(value, dict):
            self.fail(keys, f"“{'.'.join(keys)}”应是一个表（TOML 写作 [{'.'.join(keys)}]，YAML 写作映射）")
        return value

    def closed(self, value: dict, keys: tuple, allowed) -> None:
        for key in value:
            if key not in allowed:
                hint = get_close_matches(key, sorted(allowed), n=1, cutoff=0.6)
                where = ".".join(keys + (key,))
                self.fail(keys + (key,), f"配置中有未知的键 “{where}”" + (f"，是否应为 “{hint[0]}”？" if hint else f"；可用的键：{', '.join(sorted(allowed))}"))

    def ids(self, value, keys: tuple) -> tuple:
        if not isinstance(value, list):
            self.fail(keys, f"“{'.'.join(keys)}”应是一个列表，例如 [\"PLAUS-003\", \"TMPL\"]")
        for item in value:
            if not isinstance(item, str) or not _RULE_OR_PACK.match(item):
                self.fail(keys, f"“{'.'.join(keys)}”中的 “{item}” 不是规则编号（如 RECON-001）或规则包名（如 RECON）")
        return tuple(value)

    def count(self, value, keys: tuple) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.fail(keys, f"“{'.'.join(keys)}”应是不小于 0 的整数（0 表示不使用此条件）")
        return value

    def text(self, value, keys: tuple) -> str:
        if not isinstance(value, str):
            self.fail(keys, f"“{'.'.join(keys)}”应是字符串（加引号）")
        return value

    def paths(self, value, keys: tuple) -> tuple:
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.fail(keys, f"“{'.'.join(keys)}”应是目录路径的列表，例如 [\"local_rules\"]")
        return tuple(value)


_SECTIONS = {
    "rules": {"enable", "disable", "folders", "severity"},
    "conclusion": {"fail_errors", "revise_errors", "revise_warnings", "fail_rules"},
    "deadlines": None,  # level -> "MM-DD"
    "baseline": {"file"},
    "memo": {"reviewer", "template", "deadline_days"},
    "limits": {"file_mb", "docx_mb", "pdf_pages", "line_chars", "seconds", "worker_memory_mb"},
    "history": {"file", "aliases"},
    "copy": {"threshold"},
}


def known_levels() -> list[str]:
    levels = [rule["level"] for rule in load_yaml("metadata.yaml")["levels"] if rule["level"] != "unknown"]
    levels += list(load_yaml("deadlines.yaml")["by_level"])
    return list(dict.fromkeys(levels))


def _validate(path: Path, data: dict, lines: dict) -> dict:
    check = _Checker(path, lines)
    check.closed(data, (), _SECTIONS)
    out: dict = {}
    for section, value in data.items():
        keys = (section,)
        value = check.table(value, keys)
        if _SECTIONS[section] is not None:
            check.closed(value, keys, _SECTIONS[section])
        items: dict = {}
        for key, item in value.items():
            where = keys + (key,)
            if section == "rules" and key in ("enable", "disable"):
                items[key] = check.ids(item, where)
            elif section == "rules" and key == "folders":
                items[key] = check.paths(item, where)
            elif section == "rules" and key == "severity":
                items[key] = _severities(check, check.table(item, where), where)
            elif section == "conclusion" and key == "fail_rules":
                items[key] = check.ids(item, where)
            elif section == "conclusion":
                items[key] = check.count(item, where)
            elif section == "deadlines":
                items[key] = _deadline(check, key, item, where)
            elif section == "limits":
                items[key] = _limit(check, item, where)
            elif section == "copy" and key == "threshold":
                items[key] = _share(check, item, where)
            elif section == "memo" and key == "deadline_days":
                items[key] = _days(check, item, where)
            else:
                items[key] = check.text(item, where)
        out[section] = items
    conclusion = out.get("conclusion", {})
    fail, revise = conclusion.get("fail_errors"), conclusion.get("revise_errors")
    if fail and revise and fail < revise:
        check.fail(("conclusion", "fail_errors"), "conclusion.fail_errors（不合格的错误条数）应不小于 revise_errors（需整改的错误条数）")
    return out


def _severities(check: _Checker, value: dict, keys: tuple) -> dict:
    for name, severity in value.items():
        if not _RULE_OR_PACK.match(name):
            check.fail(keys + (name,), f"级别调整的键 “{name}” 不是规则编号（如 RECON-001）或规则包名（如 RECON）")
        if severity not in SEVERITIES:
            check.fail(keys + (name,), f"“{name}” 的级别 “{severity}” 无效，应为 {' / '.join(SEVERITIES)} 之一")
    return dict(value)


def _limit(check: _Checker, value, keys: tuple) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 or (value == 0 and keys[-1] in ("file_mb", "docx_mb", "pdf_pages", "line_chars")):
        check.fail(keys, f"“{'.'.join(keys)}”应是正数（seconds 和 worker_memory_mb 可为 0，表示不限制）")
    return value


def _share(check: _Checker, value, keys: tuple) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1:
        check.fail(keys, f"“{'.'.join(keys)}”应是大于 0、不大于 1 的小数（如 0.5，即相似度 50%）")
    return float(value)


def _days(check: _Checker, value, keys: tuple) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 366:
        check.fail(keys, f"“{'.'.join(keys)}”应是 0 到 366 之间的整数（整改期限的天数，自审核之日起算；0 表示不写整改期限）")
    return value


def _memo_template(config: Config, value: str) -> Path | None:
    """The office's memo template (relative to the configuration file), checked before any audit."""
    if not value:
        return None
    path = (Path(config.path).parent if config.path else Path(".")) / value
    if not path.is_file():
        raise config.error(f"memo.template 指定的审核意见模板不存在：{path}", "memo", "template")
    from .output.memo_template import template_problem

    problem = template_problem(path)
    if problem:
        raise config.error(f"memo.template 指定的审核意见模板无法使用（{path}）：{problem}", "memo", "template")
    return path


def _deadline(check: _Checker, level: str, value, keys: tuple) -> str:
    levels = known_levels()
    if level not in levels:
        hint = get_close_matches(level, levels, n=1, cutoff=0.4)
        check.fail(keys, f"未知的行政层级 “{level}”" + (f"，是否应为 “{hint[0]}”？" if hint else f"；可用的层级：{'、'.join(levels)}"))
    if value == "":
        return ""
    found = _MONTH_DAY.match(value) if isinstance(value, str) else None
    if not found or not (1 <= int(found.group(1)) <= 12 and 1 <= int(found.group(2)) <= _DAYS[int(found.group(1))]):
        check.fail(keys, f"“{level}”的公布期限应写成 \"月-日\"（如 \"03-31\"，指报告年度的次年），或 \"\" 表示不检查")
    return value


def _build(path: Path | None, values: dict, lines: dict) -> Config:
    base = path.parent if path is not None else Path(".")
    rules, conclusion = values.get("rules", {}), values.get("conclusion", {})
    baseline = values.get("baseline", {}).get("file", "")
    return Config(
        path=str(path) if path is not None else "",
        enable=tuple(rules.get("enable", ())),
        disable=tuple(rules.get("disable", ())),
        severity=dict(rules.get("severity", {})),
        folders=tuple(base / folder for folder in rules.get("folders", ())),
        thresholds=Thresholds(
            fail_errors=conclusion.get("fail_errors", 0), revise_errors=conclusion.get("revise_errors", 0),
            revise_warnings=conclusion.get("revise_warnings", 0), fail_rules=tuple(conclusion.get("fail_rules", ())),
        ),
        deadlines=dict(values.get("deadlines", {})),
        baseline=base / baseline if baseline else None,
        reviewer=values.get("memo", {}).get("reviewer", ""),
        memo_deadline_days=values.get("memo", {}).get("deadline_days", 30),
        limits=Limits(**{k: (int(v) if k in ("line_chars", "pdf_pages") else v) for k, v in values.get("limits", {}).items()}),
        history_file=base / history["file"] if (history := values.get("history", {})).get("file") else None,
        history_aliases=base / history["aliases"] if history.get("aliases") else None,
        copy_threshold=values.get("copy", {}).get("threshold", 0.5),
        lines=lines,
    )
