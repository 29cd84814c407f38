"""Rule authors may name tables, rows, columns and sections with the Chinese printed in the
reports (t3[本年新收][总计] is t3.received.total); a name that means nothing gets the close
matches in both languages; common mistakes get a hint; every error is reported at the line
of the YAML key it concerns."""

import json
import textwrap
from pathlib import Path

import pytest

from auditor.engine.compile import compile_rules
from auditor.engine.fixtures import Case, base_dirs, build_case_report
from auditor.engine.expr import ConditionError, parse_condition
from auditor.engine.packs import load_rules
from auditor.engine.render import findings_for
from auditor.engine.rulefile import RuleFileError, load_pack
from auditor.engine.session import Engine

TWINS = Path(__file__).parent / "fixtures" / "rules_zh"


def _json(name: str) -> list[str]:
    return [json.dumps(c.definition, sort_keys=True, ensure_ascii=False) for c in compile_rules(load_pack(TWINS / name))]


def test_chinese_names_compile_to_the_same_durable_rules_json_as_the_english_twin():
    english, chinese = _json("english.yaml"), _json("chinese.yaml")
    assert len(english) > 10 and chinese == english
    assert "本年新收" in (TWINS / "chinese.yaml").read_text(encoding="utf-8")


CASES = [
    {"base": "clean-2020", "set": {"t3.received.natural": 9, "t3.granted.total": 99}},
    {"base": "clean-2020", "set": {"t4.review.total": 7}},
    {"base": "clean-2022", "fee": {"notices": 2, "notified": 100, "collected": 150}, "set": {"t2.regulations.issued": 3}},
]


@pytest.mark.parametrize("edits", CASES)
def test_chinese_names_in_messages_give_the_same_findings(edits):
    report = build_case_report(Case("NAMES", "", "<test>", 0, edits), base_dirs())
    found = {}
    for name in ("english.yaml", "chinese.yaml"):
        engine = Engine(load_pack(TWINS / name))
        found[name] = [(f.rule_id, f.message, f.line, f.row, f.column, f.expected, f.actual) for f in findings_for(report, engine.run(report), "<test>")]
    assert found["english.yaml"] and found["chinese.yaml"] == found["english.yaml"]
    assert not any("{" in message for _, message, *_ in found["chinese.yaml"])


RULE = """\
pack: LOCAL
rules:
  - id: LOCAL-001
    title: 测试规则
    severity: warning
    basis: 测试
    for_each: {col: t3.columns}
    when: t3[received][col] > 0
    at: t3[received][col]
    message: 新收 {t3[received][col]} 件。
    fix: 无需整改。
"""
# line numbers in RULE: for_each 7, when 8, at 9, message 10


def _error(tmp_path, text: str) -> RuleFileError:
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "local.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(RuleFileError) as error:
        Engine(load_rules([folder]))
    return error.value


def test_the_rule_as_written_compiles(tmp_path):
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "local.yaml").write_text(RULE, encoding="utf-8")
    assert any(r.id == "LOCAL-001" for r in load_rules([folder]))
    assert compile_rules([r for r in load_rules([folder]) if r.id == "LOCAL-001"])


@pytest.mark.parametrize(
    "old, new, line, words",
    [
        ("t3[received][col] > 0", "t3[received][col] = 0", 8, "条件第 19 个字符：用了 “=”，比较相等应写 “==”"),
        ("t3[received][col] > 0", "t3[received][col] > 0 && report.year > 2020", 8, "条件第 23 个字符：用了 “&&”，并且应写 “and”"),
        ("t3[received][col] > 0", "t3[received][col] > 0 || report.year > 2020", 8, "条件第 23 个字符：用了 “||”，或者应写 “or”"),
        ("t3[received][col] > 0", "t3【received】[col] > 0", 8, "条件第 3 个字符：用了全角方括号"),
        ("t3[received][col] > 0", "sum（t3[received][col]） > 0", 8, "条件第 4 个字符：用了全角括号"),
        ("t3[received][col] > 0", 'report.level in ["乡镇"，"街道"]', 8, "条件第 22 个字符：用了全角逗号"),
        ("t3[received][col] > 0", "t3[received][col] > ０", 8, "条件第 21 个字符：用了全角数字"),
        ("t3[received][col] > 0", "t3[received][col] > 0 AND report.year > 2020", 8, "条件第 23 个字符：and、or、not、in 应小写"),
        ("t3[received][col] > 0", "report.level == “乡镇”", 8, "条件第 17 个字符：文字应放在半角引号"),
        ("t3[received][col] > 0", "t3[本年收][col] > 0", 8, "received（本年新收政府信息公开申请数量）"),
        ("t3[received][col] > 0", "t3[recieved][col] > 0", 8, "是否应为：received（本年新收政府信息公开申请数量）"),
        ("t3[received][col] > 0", "t3[received][自然者] > 0", 8, "natural（自然人）"),
        ("t3[received][col] > 0", "t3[received][col] > 0 and missing(section[其它需要报告的事项])", 8, "other（其他需要报告的事项）"),
        ("新收 {t3[received][col]} 件", "新收 {t3[本年收][col]} 件", 10, "是否应为：received（本年新收政府信息公开申请数量）"),
        ("新收 {t3[received][col]} 件", "新收 {report.bodyy} 件", 10, "是否应为：body"),
        ("at: t3[received][col]", "at: t3[received][总数]", 9, "t3（表三）没有列或列组 “总数”"),
        ("{col: t3.columns}", "{col: t5.columns}", 7, "没有表 “t5”"),
    ],
)
def test_errors_name_the_line_of_their_key_and_give_a_hint(tmp_path, old, new, line, words):
    assert old in RULE
    error = _error(tmp_path, RULE.replace(old, new))
    assert error.line == line, error
    assert words in error.message, error.message


def test_an_ambiguous_chinese_name_lists_what_it_may_mean(tmp_path):
    error = _error(tmp_path, RULE.replace("t3[received][col] > 0", "t3[不予][col] > 0"))
    assert error.line == 8 and "可指" in error.message and "unable（无法提供）" not in error.message
    assert "denied（不予公开）" in error.message and "rejected（不予处理）" in error.message


def test_text_in_quotes_is_not_taken_for_a_mistake():
    parse_condition('report.body == "某某（一）委员会，2021" and report.year == 2021')
    with pytest.raises(ConditionError, match="第 43 个字符：用了 “=”"):
        parse_condition('report.body == "a = b（一）" and report.year = 2021')


def test_a_label_with_punctuation_is_written_in_quotes():
    (english,), (chinese,) = (
        compile_rules([r for r in load_pack(TWINS / name) if r.id == "NAMES-002"])[:1] for name in ("english.yaml", "chinese.yaml")
    )
    assert english.definition == chinese.definition
    assert 't3["(七)总计"]' in chinese.instance.rule.expect
