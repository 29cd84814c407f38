"""Find and load rule packs: the default packs under rules/ plus extra folders.

A rule in an extra folder with the id of a default rule replaces it; new ids are added.
YAML files that are data, not packs (templates, groups, vocabulary, metadata, deadlines, input
errors), are skipped; any other YAML in a rules folder must be a valid pack.
"""

from pathlib import Path

from ..resources import rules_dir
from .rulefile import Rule, RuleFileError, load_pack, read_yaml

DATA_FILES = {"groups.yaml", "vocabulary.yaml", "metadata.yaml", "deadlines.yaml", "input_errors.yaml", "copy_masks.yaml"}
# Packs whose rules read two reports (this year's and last year's, or two bodies' in one
# batch): run after the batch by auditor/crossyear/, never in the per-report session.
CROSS_PACKS = ("YEAR", "COPY")


def cross_report(rule: Rule) -> bool:
    return rule.pack in CROSS_PACKS


def pack_files(directory: Path) -> list[Path]:
    return sorted(p for p in Path(directory).glob("*.yaml") if p.name not in DATA_FILES)


def use_data_files(folders) -> None:
    """Let the data files of these rule folders extend the shipped ones (resources.py), after
    checking each (a YAML error is a rule-file error at its line, not a crash later)."""
    from ..resources import set_overlays

    for folder in map(Path, folders):
        for path in [folder / name for name in sorted(DATA_FILES)] + sorted((folder / "templates").glob("*.yaml")):
            if path.is_file():
                data = read_yaml(path)
                if not isinstance(data, dict):
                    raise RuleFileError(path, 1, "数据文件应是一个映射（与内置的同名文件结构相同）")
    set_overlays(folders)


def load_rules(extra_dirs: list | None = None) -> list[Rule]:
    rules: dict[str, Rule] = {}
    for directory in [rules_dir()] + [Path(d) for d in extra_dirs or ()]:
        if not Path(directory).is_dir():
            raise RuleFileError(directory, 0, "规则目录不存在")
        seen_here: dict[str, Rule] = {}
        for path in pack_files(directory):
            for rule in load_pack(path):
                if rule.id in seen_here:
                    other = seen_here[rule.id]
                    raise RuleFileError(path, rule.line, f"规则编号 {rule.id} 重复（已在 {other.source}:{other.line} 定义），编号不得重复使用")
                seen_here[rule.id] = rule
        rules.update(seen_here)
    return sorted(rules.values(), key=lambda r: (r.pack, r.id))
