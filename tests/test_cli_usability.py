"""The command line as a new inspector meets it: --version, --format parsable, --quiet, missing
paths (exit 2 before anything is audited), argparse's own strings in Chinese, suggestions for
mistyped subcommands."""

import re

import pytest

from auditor import __version__
from auditor.cli import main

from .conftest import SEEDS, seed

ERRORS = seed("003")  # its only error: PLAUS-001
CLEAN = SEEDS / "001_39cc965ecdfa4ae6.txt"


def _stop(capsys, argv):
    """(exit code, stdout, stderr) of a command that ends in argparse's SystemExit."""
    with pytest.raises(SystemExit) as stop:
        main(argv)
    out, err = capsys.readouterr()
    return stop.value.code, out, err


def test_version(capsys):
    code, out, _ = _stop(capsys, ["--version"])
    assert code == 0 and out.strip() == f"gkaudit {__version__}"


def test_parsable_format_one_finding_per_line(capsys):
    assert main(["audit", str(ERRORS), "--format", "parsable", "--no-progress"]) == 1
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines and all(re.fullmatch(r"\S+?(:\d+)?: \[(错误|警告|提示|需人工复核)(（已接受）|（已排除）)?\] .+ \([A-Z]+-\d{3}\)", x) for x in lines)
    assert any(x.startswith(f"{ERRORS}:") and "[错误]" in x and x.endswith("(PLAUS-001)") for x in lines)
    assert "运行汇总" not in out and "运行汇总" in err


def test_parsable_finding_without_a_line_has_no_line_number(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert main(["audit", str(empty), "--format", "parsable", "--no-progress"]) == 1
    (line,) = capsys.readouterr().out.splitlines()
    assert line.startswith(f"{empty}: [错误] ") and line.endswith("(INPUT-001)")


def test_quiet_table_prints_only_the_summary(capsys):
    assert main(["audit", str(ERRORS), str(CLEAN), "--quiet", "--no-progress"]) == 1
    out, _ = capsys.readouterr()
    assert out.startswith("运行汇总") and "PLAUS-001" not in out and "==" not in out


@pytest.mark.parametrize("fmt", ["json", "parsable"])
def test_quiet_machine_formats_print_only_findings(fmt, capsys):
    assert main(["audit", str(ERRORS), "-q", "--format", fmt, "--no-progress"]) == 1
    out, err = capsys.readouterr()
    assert "PLAUS-001" in out and "运行汇总" not in out + err


def test_missing_path_is_a_usage_error_before_anything_is_audited(tmp_path, capsys):
    out_dir = tmp_path / "out"
    code = main(["audit", str(CLEAN), str(tmp_path / "no-such.txt"), "--out", str(out_dir), "--no-progress"])
    out, err = capsys.readouterr()
    assert code == 2 and f"路径不存在：{tmp_path / 'no-such.txt'}" in err
    assert out == "" and not out_dir.exists()


def test_memo_of_a_folder_or_a_missing_file(tmp_path, capsys):
    assert main(["memo", str(tmp_path), "--out", str(tmp_path / "m")]) == 2
    assert "文件夹" in capsys.readouterr().err
    assert main(["memo", str(tmp_path / "gone.txt"), "--out", str(tmp_path / "m")]) == 2
    assert "文件不存在" in capsys.readouterr().err and not (tmp_path / "m").exists()


def test_help_is_chinese(capsys):
    code, out, _ = _stop(capsys, ["--help"])
    assert code == 0 and out.startswith("用法：auditor")
    assert "位置参数" in out and "选项" in out and "显示本帮助并退出" in out and "显示版本号并退出" in out
    for english in ("usage:", "positional arguments", "options:", "show this help"):
        assert english not in out
    code, out, _ = _stop(capsys, ["audit", "-h"])
    assert code == 0 and "usage:" not in out and "parsable" in out


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["audit", str(CLEAN), "--bogus"], "无法识别的参数：--bogus"),
        (["audit"], "缺少必需的参数：PATH"),
        (["audit", str(CLEAN), "--format", "xml"], "无效的取值 “xml”"),
        (["audit", str(CLEAN), "--jobs"], "需要一个值"),
    ],
)
def test_argparse_errors_are_chinese(argv, expected, capsys):
    code, _, err = _stop(capsys, argv)
    assert code == 2 and expected in err and "错误：" in err and "用法：" in err
    assert "error:" not in err and "usage:" not in err


def test_mistyped_subcommand_gets_a_suggestion(capsys):
    code, _, err = _stop(capsys, ["audti", str(CLEAN)])
    assert code == 2 and "没有命令 “audti”，是否应为 “audit”？" in err
    code, _, err = _stop(capsys, ["baseline", "acept", "abc", "--reason", "x"])
    assert code == 2 and "没有子命令 “acept”，是否应为 “accept”？" in err
    code, _, err = _stop(capsys, ["zzz"])
    assert code == 2 and "没有命令 “zzz”" in err and "“audit”" in err


def test_english_is_not_changed_outside_the_cli(capsys):
    import argparse

    main(["audit", str(CLEAN), "--format", "json", "--quiet", "--no-progress"])
    capsys.readouterr()
    assert argparse.ArgumentParser(prog="x").format_usage().startswith("usage: x")


def test_terminal_table_wraps_by_display_width_and_keeps_numbers_whole():
    from wcwidth import wcswidth

    from auditor.output.terminal import _wrap

    text = "合计应为第22行与第230行之和 12345678，表三·（一）申请人情况·自然人" * 3
    lines = _wrap(text, 24).splitlines()
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(wcswidth(x) <= 24 for x in lines)  # 12 CJK characters, not 24
    assert text.count("第22行") == "\n".join(lines).count("第22行") and "12345678" in "\n".join(lines)
    assert _wrap("第123456789行", 4) == "第123456789行"  # wider than the line: alone, unsplit


def test_terminal_table_of_a_report_is_not_split_inside_a_line_reference(capsys):
    main(["audit", str(ERRORS), "--no-progress"])
    out = capsys.readouterr().out
    assert "PLAUS-001" in out and not re.search(r"第\d*\s*\n\s*\d*行", out)


def test_no_wrapped_line_starts_with_closing_punctuation():
    from auditor.output.terminal import _wrap

    lines = _wrap("表二·规章·本年新制作数量（第43行）。“其他需要报告的事项”部分标题下没有内容。" * 2, 10).splitlines()
    assert len(lines) > 3 and not any(x[:1] in "）。，”" for x in lines)


def test_csv_format_is_findings_csv_without_bom_streamed_with_one_header(tmp_path, capsys):
    paths = [str(ERRORS), str(CLEAN), str(seed("002"))]
    assert main(["audit", *paths, "--format", "csv", "--no-progress"]) == 1
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].startswith("文件,单位,年度,") and sum(x == lines[0] for x in lines) == 1
    assert not out.startswith("\ufeff") and "PLAUS-001" in out and "运行汇总" in err
    assert main(["audit", *paths, "--format", "csv", "--quiet", "--jobs", "2", "--no-progress"]) == 1
    quiet, quiet_err = capsys.readouterr()
    assert quiet == out and "运行汇总" not in quiet_err
    from auditor.output import csvout, frames

    assert csvout.header().strip() == ",".join(frames.FINDING_HEADERS.values())


def test_csv_rows_are_those_of_findings_csv(tmp_path):
    import csv
    import io

    from auditor.audit import audit_file
    from auditor.output import csvout, frames
    from auditor.output.sanitize import clean_frame
    from auditor.runtime import build_run

    run = build_run(None, (), None, folder=tmp_path, audit_date="2024-03-01")
    result = audit_file(str(seed("002")), run.engine)
    conclusion = run.conclude(result)
    whole = clean_frame(frames.export(frames.findings_frame([result], [conclusion]), frames.FINDING_HEADERS)).to_csv(index=False)
    assert csvout.header() + csvout.report_rows(result, conclusion) == whole
    rows = list(csv.reader(io.StringIO(whole)))
    assert len(rows) == len(result.findings) + 1 > 2


@pytest.mark.parametrize("width", [80, 100, 160])
def test_table_fits_the_terminal_width_without_splitting_numbers(width, monkeypatch, capsys):
    from wcwidth import wcswidth

    monkeypatch.setenv("COLUMNS", str(width))
    main(["audit", str(SEEDS), "--no-progress"])
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert "PLAUS-001" in out and "\x1b[" not in out  # not a terminal: no colour
    assert max(wcswidth(x) for x in lines) <= width
    assert not re.search(r"第\s*\d*\s*\n\s*\d*\s*行|\d\n\s*\d|[（“]\n", out)  # no `第22` / `0行`, no line ending in （ or “
    if width == 80:
        assert max(wcswidth(x) for x in lines) > 70  # the width is used, not a fixed narrow table


def test_table_without_a_known_width_keeps_its_fixed_layout(monkeypatch):
    from auditor.findings import Finding
    from auditor.output.terminal import Style, report_table

    for name in ("COLUMNS", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    finding = Finding("a.txt", "SECT-002", "sect", "warning", "标题", "说明" * 40, line=609, section="六、其他需要报告的事项")
    fixed = report_table("a.txt", [finding], style=Style())
    assert report_table("a.txt", [finding]) == fixed and Style.detect("auto", io_stream(False)) == Style()
    assert report_table("a.txt", [finding], style=Style(width=60)) != fixed


def io_stream(tty: bool):
    import io

    class Stream(io.StringIO):
        def isatty(self):
            return tty

    return Stream()


@pytest.mark.parametrize(
    "env, option, tty, coloured",
    [
        ({}, "auto", True, True),
        ({}, "auto", False, False),
        ({"NO_COLOR": "1"}, "auto", True, False),
        ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, "auto", True, False),
        ({"FORCE_COLOR": "1"}, "auto", False, True),
        ({"NO_COLOR": "1"}, "always", False, True),
        ({}, "never", True, False),
    ],
)
def test_colour_only_on_a_terminal_unless_asked(env, option, tty, coloured, monkeypatch):
    from auditor.output.terminal import Style

    for name in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert Style.detect(option, io_stream(tty)).color is coloured


def test_colour_marks_the_severity_cell(capsys):
    main(["audit", str(ERRORS), "--no-progress", "--color", "always"])
    out = capsys.readouterr().out
    assert "\x1b[1;31m错误\x1b[0m" in out and "\x1b[33m警告\x1b[0m" in out
    main(["audit", str(ERRORS), "--no-progress", "--format", "json", "--color", "always"])
    assert "\x1b[" not in capsys.readouterr().out
