"""Rule packs as data: load rules/*.yaml, check them against a closed schema.

Every problem is reported as `file:line: what is wrong, how to fix it` (RuleFileError);
the CLI stops with exit code 2 on the first file that has any.

read_source() and read_yaml() are also how configuration and baseline files are read, and
they are bounded against careless or hostile files: at most MAX_FILE_BYTES, a regular file,
UTF-8 (a GBK file is refused with the advice to save it as UTF-8), YAML with at most
MAX_ALIASES aliases, MAX_DEPTH levels and MAX_NODES nodes once aliases are expanded, no
recursive alias, no lone surrogate from an escape — each a RuleFileError, never a traceback
or a "billion laughs" that eats the memory.
"""

import os
import re
import stat
from dataclasses import dataclass, field
from functools import cache
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
MAX_FILE_BYTES = 1024 * 1024
MAX_ALIASES = 16
MAX_DEPTH = 64
MAX_NODES = 200_000
_SURROGATE = re.compile("[\ud800-\udfff]")


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


class _Refused(yaml.MarkedYAMLError):
    """A YAML document the loader will not build (too many aliases, too deep, too big)."""


class _LineLoader(yaml.SafeLoader):
    """A bounded YAML loader that remembers the line of every mapping (as key "__line__")."""

    def __init__(self, stream):
        super().__init__(stream)
        self._aliases = self._depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise _Refused(problem=f"YAML 别名（*name）过多（超过 {MAX_ALIASES} 个）；规则、配置和基线文件不需要别名，请直接写出内容", problem_mark=self.peek_event().start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(problem=f"嵌套层次过深（超过 {MAX_DEPTH} 层）", problem_mark=self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def get_single_data(self):
        node = self.get_single_node()
        if node is None:
            return None
        _check_expansion(node)
        return self.construct_document(node)

    def construct_scalar(self, node):
        value = super().construct_scalar(node)
        if isinstance(value, str) and _SURROGATE.search(value):
            raise _Refused(problem="文字中有无效的 Unicode 字符（代理项，如 \\ud800 转义）", problem_mark=node.start_mark)
        return value


def _construct_mapping(loader, node, deep=False):
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=deep)
    mapping["__line__"] = node.start_mark.line + 1
    mapping["__lines__"] = {k.value: k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _children(node) -> list:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [item for pair in node.value for item in pair]
    return []


def _check_expansion(root) -> None:
    """Refuse a recursive alias, or a document over MAX_NODES nodes with aliases expanded
    (counted over the shared graph without expanding it, and without recursion)."""
    size, state, stack = {}, {}, [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            size[key] = min(1 + sum(size[id(c)] for c in _children(node)), MAX_NODES + 1)
            state[key] = 2
            continue
        if state.get(key) == 2:
            continue
        state[key] = 1
        stack.append((node, True))
        for child in _children(node):
            if state.get(id(child)) == 1:
                raise _Refused(problem="YAML 别名引用了包含它自身的内容（递归引用）", problem_mark=child.start_mark)
            if state.get(id(child)) != 2:
                stack.append((child, False))
    if size[id(root)] > MAX_NODES:
        raise _Refused(problem=f"展开别名后内容过多（超过 {MAX_NODES} 项）", problem_mark=root.start_mark)


def read_source(path) -> str:
    """The text of a rule, configuration or baseline file: a regular file of at most
    MAX_FILE_BYTES, decoded as UTF-8 (a byte-order mark is allowed)."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise RuleFileError(path, 0, "不是普通文件（是文件夹、管道或设备）")
        if info.st_size > MAX_FILE_BYTES:
            raise RuleFileError(path, 0, f"文件过大（{info.st_size / 1024 / 1024:.1f} MB）；规则、配置和基线文件不能超过 {MAX_FILE_BYTES // 1024 // 1024} MB")
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise RuleFileError(path, 0, f"无法读取：{os_reason(error)}") from None
    if len(data) > MAX_FILE_BYTES:
        raise RuleFileError(path, 0, f"文件过大；规则、配置和基线文件不能超过 {MAX_FILE_BYTES // 1024 // 1024} MB")
    return decode_source(path, data)


def os_reason(error: OSError) -> str:
    """Why a file could not be read, in Chinese for the common cases."""
    import errno

    reasons = {errno.ENOENT: "文件不存在", errno.EACCES: "没有读取权限", errno.EISDIR: "这是文件夹", errno.ELOOP: "符号链接循环"}
    return reasons.get(error.errno, error.strerror or str(error))


def decode_source(path, data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        try:
            data.decode("gb18030")
            guess = "，看起来是 GBK/GB18030 编码"
        except UnicodeDecodeError:
            guess = ""
        raise RuleFileError(path, line, f"文件不是 UTF-8 编码{guess}（本行有无法按 UTF-8 解码的字节）；请用 UTF-8 编码另存后重试") from None
    return text[1:] if text.startswith("\ufeff") else text


def read_yaml(path: Path, text: str | None = None):
    """The YAML document in `path` (or `text`, already read from it), bounded as above."""
    if text is None:
        text = read_source(path)
    loader = None
    try:
        loader = _LineLoader(text)
        return loader.get_single_data()
    except _Refused as error:
        raise RuleFileError(path, _line(error.problem_mark), error.problem) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise RuleFileError(path, _line(mark), f"YAML 格式错误：{error.problem or error.context}（检查缩进、冒号和引号）") from None
    except yaml.reader.ReaderError as error:
        line = text[: error.position].count("\n") + 1
        raise RuleFileError(path, line, f"文件中有不允许的字符 U+{error.character if isinstance(error.character, int) else ord(error.character):04X}（控制字符），请删除") from None
    except yaml.YAMLError as error:
        raise RuleFileError(path, 0, f"YAML 格式错误：{error}") from None
    except RecursionError:
        raise RuleFileError(path, 0, "YAML 嵌套层次过深") from None
    finally:
        if loader is not None:
            loader.dispose()


def _line(mark) -> int:
    return mark.line + 1 if mark is not None else 0


@dataclass(frozen=True)
class PackFile:
    title: str
    version: str
    rules: tuple


def load_pack(path: Path) -> list[Rule]:
    return list(read_pack(path).rules)


def read_pack(path: Path) -> PackFile:
    """A pack file's title, version and rules: read once a process, and across runs from the
    rule cache while the file's bytes are the same (engine/cache.py)."""
    return _read_pack(str(path), read_source(path))


@cache
def _read_pack(path: str, text: str) -> PackFile:
    from .cache import cached

    return cached("pack", f"{path}\0{text}".encode("utf-8", "surrogateescape"), lambda: _parse_pack(Path(path), text))


def _parse_pack(path: Path, text: str) -> PackFile:
    data = read_yaml(path, text)
    rules = _pack_rules(path, data)
    return PackFile(str(data.get("title", "")), str(data.get("version", "")), tuple(rules))


def _pack_rules(path: Path, data) -> list[Rule]:
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
