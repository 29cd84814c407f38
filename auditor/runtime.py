"""One place where configuration takes effect: rules, engine, deadlines, baseline, thresholds.

build_run() loads the rule packs (plus configured and --rules folders), drops disabled
rules, applies severity overrides to the Rule objects, sets the deadline overrides the
engine facts read, loads the baseline, and returns a Run that audits files and concludes.
Names in the configuration that match no rule or pack are errors at their file:line.
"""

import dataclasses
import datetime
import hashlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from . import __version__
from .audit import FileResult, audit_file
from .baseline import DEFAULT_NAME, Baseline, BaselineError, load_baseline
from .config import Config, ConfigError, load_config
from .conclusion import Conclusion, conclude
from .engine.packs import load_rules, use_data_files
from .engine.rulefile import Rule, read_pack
from .engine.session import Engine
from .findings import Finding
from .limits import set_limits
from .resources import load_yaml, rules_dir


@dataclass
class PackInfo:
    pack: str
    title: str
    version: str
    source: str
    rules: int  # rules applied
    disabled: int = 0


@dataclass
class Ruleset:
    """What was applied: packs and versions, config changes, and a digest of the rules."""

    packs: list[PackInfo]
    digest: str
    disabled: list[str] = field(default_factory=list)
    overridden: dict = field(default_factory=dict)  # rule id -> (old, new) severity
    config: str = ""

    def version_text(self) -> str:
        packs = "、".join(f"{p.pack} {p.version or '未标版本'}" for p in self.packs)
        return f"gkaudit {__version__}；规则包 {packs}；规则指纹 {self.digest}"

    def changes_text(self) -> str:
        parts = []
        if self.disabled:
            parts.append(f"停用规则 {len(self.disabled)} 条（{'、'.join(self.disabled)}）")
        if self.overridden:
            parts.append("调整级别 " + "、".join(f"{k}：{a}→{b}" for k, (a, b) in sorted(self.overridden.items())))
        return "；".join(parts)


@dataclass
class Run:
    config: Config
    rules: list[Rule]
    engine: Engine
    baseline: Baseline
    ruleset: Ruleset
    audit_date: str
    input_severity: dict = field(default_factory=dict)  # INPUT code -> configured severity

    def audit(self, path: str) -> FileResult:
        return self.settle(audit_file(path, self.engine))

    def settle(self, result: FileResult) -> FileResult:
        """What the configuration and the baseline say of a file's findings (done in the main
        process, also for results from --jobs workers): input severities, then decisions."""
        if self.input_severity:
            for finding in result.findings:
                if finding.family == "input" and finding.rule_id in self.input_severity:
                    finding.severity = self.input_severity[finding.rule_id]
            result.findings.sort(key=Finding.sort_key)
        self.baseline.apply(result.findings)
        return result

    def conclude(self, result: FileResult) -> Conclusion:
        return conclude(result.findings, result.parsed, self.config.thresholds)


def build_run(
    config_path=None, rule_dirs=(), baseline_path=None, folder: Path | str = ".", audit_date: str | None = None,
    require_baseline: bool = False,
) -> Run:
    """Everything one run needs. Raises ConfigError / RuleFileError / BaselineError."""
    config = load_config(config_path, folder)
    set_limits(config.limits)  # for this process; workers build their own run the same way
    settings = configured_rules(config, rule_dirs)
    rules, disabled, overridden = settings.rules, settings.disabled, settings.overridden
    input_severity = input_severities(config)
    overridden.update((code, (_input_codes()[code], severity)) for code, severity in input_severity.items())
    baseline = load_baseline(baseline_file(config, baseline_path, folder, require_baseline))
    ruleset = Ruleset(pack_infos(rules, disabled), rules_digest(rules), [r.id for r in disabled], overridden, config.path)
    engine = Engine(rules, deadlines=config.deadlines)
    date = audit_date or datetime.date.today().isoformat()
    return Run(config, rules, engine, baseline, ruleset, date, input_severity)


@dataclass
class RuleSettings:
    """The rules as a configuration leaves them."""

    loaded: list[Rule]  # every rule of the default, configured and --rules folders, in pack order
    rules: list[Rule]  # those in effect, severity overrides applied
    disabled: list[Rule]
    overridden: dict  # rule id -> (old, new) severity


def configured_rules(config: Config, rule_dirs=()) -> RuleSettings:
    folders = [str(d) for d in config.folders] + [str(d) for d in rule_dirs]
    use_data_files(folders)  # their groups, vocabulary, templates extend the shipped ones
    loaded = load_rules(folders)
    return RuleSettings(loaded, *apply_rule_settings(config, loaded))


def input_severities(config: Config) -> dict:
    """Severity overrides for input outcomes (INPUT-004 as info, …): by code, or for all of
    them as the pack "INPUT". They can be re-graded, never disabled: every file still ends
    with findings or a coded outcome. Reading limits (INPUT-007 truncated, INPUT-009 stray
    bytes: severity review) stay limits."""
    codes = _input_codes()
    chosen = {code: config.severity.get(code) or config.severity.get("INPUT") for code in codes if codes[code] != "review"}
    return {code: severity for code, severity in chosen.items() if severity and severity != codes[code]}


@cache
def _input_codes() -> dict:
    """INPUT code -> its severity in rules/input_errors.yaml."""
    return {code: spec["severity"] for code, spec in load_yaml("input_errors.yaml").items()}


def baseline_file(config: Config, explicit, folder, require: bool) -> Path | None:
    """--baseline, else the configured file, else .auditor-baseline.yaml in the folder if present."""
    if explicit is not None:
        if require and not Path(explicit).is_file():
            raise BaselineError(explicit, 0, "基线文件不存在")
        return Path(explicit)
    if config.baseline is not None:
        return config.baseline
    default = Path(folder) / DEFAULT_NAME
    return default if default.is_file() else None


def apply_rule_settings(config: Config, rules: list[Rule]) -> tuple[list[Rule], list[Rule], dict]:
    """Rules left after enable/disable, with severity overrides applied (new Rule objects)."""
    ids = {r.id for r in rules}
    packs = {r.pack for r in rules}
    input_codes = set(_input_codes())
    for key, names in (("enable", config.enable), ("disable", config.disable)):
        _known(config, ("rules", key), names, ids, packs)
    _known(config, ("rules", "severity"), config.severity, ids | input_codes, packs | {"INPUT"})
    _known(config, ("conclusion", "fail_rules"), config.thresholds.fail_rules, ids | input_codes, packs | {"INPUT"})
    fail_rules: set = set()
    for name in config.thresholds.fail_rules:  # packs stand for all their rules
        if name == "INPUT":
            fail_rules |= input_codes
        elif "-" in name:
            fail_rules.add(name)
        else:
            fail_rules |= {r.id for r in rules if r.pack == name}
    config.thresholds = dataclasses.replace(config.thresholds, fail_rules=tuple(sorted(fail_rules)))
    kept, disabled, overridden = [], [], {}
    for rule in rules:
        if not _enabled(config, rule):
            disabled.append(rule)
            continue
        severity = config.severity.get(rule.id) or config.severity.get(rule.pack)
        # a reading limit stays one: configuration re-grades defects, never makes a limit an error
        if severity and severity != rule.severity and rule.severity != "review":
            overridden[rule.id] = (rule.severity, severity)
            rule = dataclasses.replace(rule, severity=severity)
        kept.append(rule)
    return kept, disabled, overridden


def _enabled(config: Config, rule: Rule) -> bool:
    """The most specific setting wins: a rule id over its pack; enable over disable at one level."""
    if rule.id in config.enable:
        return True
    if rule.id in config.disable:
        return False
    if rule.pack in config.enable:
        return True
    return rule.pack not in config.disable


def _known(config: Config, keys: tuple, names, ids: set, packs: set) -> None:
    from difflib import get_close_matches

    for name in names:
        if name not in ids and name not in packs:
            hint = get_close_matches(name, sorted(ids | packs), n=1, cutoff=0.6)
            where = ".".join(keys)
            raise ConfigError(config.path, config.line_of(*keys), f"“{where}”中的 “{name}” 不是已加载的规则或规则包" + (f"，是否应为 “{hint[0]}”？" if hint else ""))


def _pack_file(source: str) -> tuple[str, str]:
    pack = read_pack(Path(source))
    return pack.title, pack.version


def pack_infos(rules: list[Rule], disabled: list[Rule]) -> list[PackInfo]:
    infos: dict[tuple, PackInfo] = {}
    off = {r.id for r in disabled}
    for rule in rules + disabled:
        key = (rule.pack, rule.source)
        if key not in infos:
            title, version = _pack_file(rule.source)
            infos[key] = PackInfo(rule.pack, title, version or rule.pack_version, display_source(rule.source), 0)
        if rule.id in off:
            infos[key].disabled += 1
        else:
            infos[key].rules += 1
    return sorted(infos.values(), key=lambda p: (p.pack, p.source))


def display_source(source: str) -> str:
    """A rule file as memos name it: 内置 rules/x.yaml, or a path relative to the working folder."""
    path = Path(source).resolve()
    try:
        return "内置 rules/" + path.relative_to(rules_dir().resolve()).as_posix()
    except ValueError:
        pass
    try:
        return path.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def rules_digest(rules: list[Rule]) -> str:
    """A short digest of what the rules check (changes when any rule or override changes)."""
    digest = hashlib.sha1()
    for rule in sorted(rules, key=lambda r: r.id):
        fields = (
            rule.id, rule.severity, rule.merge, rule.title, rule.basis, rule.message, rule.merged_message, rule.fix,
            repr(rule.templates), repr(sorted(rule.years.items())), repr(sorted(rule.for_each.items())),
            rule.when, rule.expect, rule.at, rule.pack_version,
        )
        digest.update("\x1f".join(fields).encode("utf-8") + b"\x1e")
    return digest.hexdigest()[:8]
