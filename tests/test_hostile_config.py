"""Hostile rule, configuration and baseline files: `file:line: what is wrong`, exit code 2.

Each case runs the CLI (`auditor.cli.main` in this process, or a process of its own with a
memory ceiling where a file could exhaust memory) and checks the exit code, that the message
names the file, and that no traceback reaches the user.
"""

import hashlib
import os
import subprocess
import sys
import textwrap

import pytest

from auditor.baseline import Baseline, BaselineError, load_baseline
from auditor.cli import main

from .conftest import SEEDS

SEED = str(SEEDS / "004_823b9c688159316a.txt")
PACK = """\
pack: LOCAL
title: 本地规则
rules:
  - id: LOCAL-001
    title: 测试规则
    severity: warning
    basis: 测试
    when: {when}
    message: 测试
    fix: 测试
"""


def refused(capsys, argv, *expected) -> str:
    """Run the CLI; it must stop with exit code 2 and a message holding every `expected`."""
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err and all(part in err for part in expected), err
    return err


def rule_dir(tmp_path, when=None, text=None, data=None):
    folder = tmp_path / "rules"
    folder.mkdir(exist_ok=True)
    path = folder / "local.yaml"
    if data is not None:
        path.write_bytes(data)
    else:
        path.write_text(text if text is not None else PACK.format(when=when), encoding="utf-8")
    return folder, path


# -- rule files -------------------------------------------------------------------------------


@pytest.mark.parametrize("when, expected", [
    ("(" * 240 + "report.year > 0" + ")" * 240, "括号嵌套过深"),
    ("report.year > " + "9" * 400, "位数过多"),
    ("report.year / 0 > 1", "不能除以 0"),
    ("report.year * 2 / 0.0 > 1", "不能除以 0"),
    (" + ".join(["report.year"] * 120) + " > 0", "层次过深"),
    ("not " * 300 + "report.year > 0", "层次过深"),
    (" and ".join(["(report.year > 1 or report.year < 0)"] * 12), "种情形"),
    ("report.year > 0 and " * 12000 + "report.year > 0", "条件过长"),
])
def test_conditions_past_the_limits_are_refused(tmp_path, capsys, when, expected):
    folder, path = rule_dir(tmp_path, when=when)
    refused(capsys, ["audit", SEED, "--rules", str(folder), "--format", "json"], f"{path}:8:", expected)


def test_a_gbk_rule_file_is_refused_with_the_advice_to_save_it_as_utf8(tmp_path, capsys):
    folder, path = rule_dir(tmp_path, data=PACK.format(when="report.year > 0").encode("gbk"))
    refused(capsys, ["audit", SEED, "--rules", str(folder)], f"{path}:2:", "不是 UTF-8", "GBK", "另存")


def test_a_rule_file_over_one_megabyte_is_refused(tmp_path, capsys):
    when = "report.year > 0 and " * 60000 + "report.year > 0"  # a 1 MB expression
    folder, path = rule_dir(tmp_path, when=when)
    refused(capsys, ["rules", "list", "--rules", str(folder)], f"{path}:0:", "文件过大")


@pytest.mark.parametrize("text, expected", [
    ("pack: LOCAL\ntitle: \"\\ud800\"\n", "代理项"),
    ("pack: LOCAL\ntitle: a\x00b\n", "不允许的字符"),
    ("pack: LOCAL\nrules: &a [*a]\n", "递归引用"),
    ("pack: LOCAL\nrules: " + "[" * 100 + "]" * 100 + "\n", "嵌套层次过深"),
])
def test_malformed_rule_yaml_is_refused(tmp_path, capsys, text, expected):
    folder, path = rule_dir(tmp_path, text=text)
    refused(capsys, ["rules", "list", "--rules", str(folder)], str(path), expected)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_named_like_a_rule_file_is_not_waited_on(tmp_path, capsys):
    folder = tmp_path / "rules"
    folder.mkdir()
    os.mkfifo(folder / "pipe.yaml")
    refused(capsys, ["rules", "list", "--rules", str(folder)], "pipe.yaml:0:", "不是普通文件")


# -- configuration ------------------------------------------------------------------------------


@pytest.mark.parametrize("name, data, expected", [
    ("auditor.toml", '[memo]\nreviewer = "审核科"\n'.encode("gbk"), ("auditor.toml:2:", "不是 UTF-8", "GBK")),
    (".auditor.yaml", "memo:\n  reviewer: 审核科\n".encode("gbk"), (".auditor.yaml:2:", "不是 UTF-8")),
    ("auditor.toml", ("a = " + "[" * 3000 + "]" * 3000 + "\n").encode(), ("auditor.toml", "嵌套层次过深")),
    ("auditor.toml", ("[rules]\nenable = " + "[" * 40 + "]" * 40 + "\n").encode(), ("auditor.toml:2:", "嵌套层次过深")),
    ("auditor.toml", ("[conclusion]\nfail_errors = " + "9" * 5000 + "\n").encode(), ("auditor.toml", "无法读取的值")),
    ("auditor.toml", b"#" * (1024 * 1024 + 1), ("auditor.toml:0:", "文件过大")),
])
def test_bad_configuration_files_are_refused(tmp_path, capsys, monkeypatch, name, data, expected):
    (tmp_path / name).write_bytes(data)
    monkeypatch.chdir(tmp_path)  # found in the working folder, as users leave it
    refused(capsys, ["rules", "list"], "配置文件错误", *expected)


BOMB = textwrap.dedent("""\
    a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
    b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
    c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
    d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
    e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
    f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
    g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
    h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
    i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
""")
CEILING = textwrap.dedent("""\
    import resource, sys
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # 1 GB: a bomb fails here, not the machine
    from auditor.cli import main
    sys.exit(main(sys.argv[1:]))
""")


@pytest.mark.skipif(sys.platform == "win32", reason="needs resource limits")
@pytest.mark.parametrize("aliases", ["many", "few"])
def test_a_yaml_alias_bomb_in_the_auto_loaded_config_is_refused(tmp_path, aliases):
    text = BOMB if aliases == "many" else "a: &a [1,2,3,4,5,6,7,8]\n" + "".join(f"x{i}: &x{i} [*{'a' if i == 0 else f'x{i-1}'}, *{'a' if i == 0 else f'x{i-1}'}]\n" for i in range(7))
    (tmp_path / ".auditor.yaml").write_text(text, encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", CEILING, "audit", SEED], capture_output=True, cwd=tmp_path, timeout=60)
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 2 and ".auditor.yaml:" in err and "Traceback" not in err, err
    assert ("别名" in err) if aliases == "many" else ("配置中有未知的键" in err)  # few aliases: read, then checked


# -- baselines ------------------------------------------------------------------------------------


def saved_baseline(tmp_path) -> bytes:
    baseline = Baseline()
    for n in range(4):
        baseline.decide(f"{n:016x}", "accepted", f"理由 {n}：已核实" * 3, "2025-01-01", "张三", {"rule_id": "RECON-001", "file": f"{n}.txt"})
    path = tmp_path / "full.yaml"
    baseline.save(path)
    return path.read_bytes()


def test_a_baseline_cut_short_anywhere_is_refused_never_loaded_with_decisions_missing(tmp_path):
    data = saved_baseline(tmp_path)
    cut = tmp_path / "cut.yaml"
    outcomes = {"refused": 0, "whole": 0}
    for end in range(len(data)):
        cut.write_bytes(data[:end])
        try:
            loaded = load_baseline(cut)
        except BaselineError as error:
            assert str(cut) in str(error)
            outcomes["refused"] += 1
            continue
        assert len(loaded) == 4, f"cut at {end} loaded {len(loaded)} decisions"
        outcomes["whole"] += 1  # cut inside the check line's digest: every decision is there
    assert outcomes["refused"] > len(data) - 100


@pytest.mark.parametrize("damage", ["cut", "flip", "empty", "appended"])
def test_a_damaged_baseline_stops_the_run(tmp_path, capsys, damage):
    data = saved_baseline(tmp_path)
    path = tmp_path / "base.yaml"
    if damage == "cut":
        data = data[: len(data) * 2 // 3]
    elif damage == "flip":
        at = data.index(b"0000000000000002")
        data = data[:at] + b"1" + data[at + 1 :]
    elif damage == "empty":
        data = b""
    else:
        data += b"- fingerprint: 00000000000000ff\n"
    path.write_bytes(data)
    refused(capsys, ["audit", SEED, "--baseline", str(path), "--format", "json"], "基线文件错误", str(path))
    refused(capsys, ["baseline", "list", "--baseline", str(path)], str(path))


def test_a_baseline_edited_by_hand_loads_once_its_digest_is_removed(tmp_path, capsys):
    text = saved_baseline(tmp_path).decode("utf-8").replace("理由 1", "理由甲")
    path = tmp_path / "edited.yaml"
    path.write_text(text, encoding="utf-8")
    refused(capsys, ["baseline", "list", "--baseline", str(path)], "校验值与内容不符", "gkaudit-baseline-end")
    lines = text.rstrip("\n").split("\n")
    path.write_text("\n".join(lines[:-1] + ["# gkaudit-baseline-end"]) + "\n", encoding="utf-8")
    assert main(["baseline", "list", "--baseline", str(path)]) == 0
    assert "理由甲" in capsys.readouterr().out


def test_baseline_commands_save_a_checked_file(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["baseline", "accept", "0123456789abcdef", "--reason", "已核实"]) == 0
    text = (tmp_path / ".auditor-baseline.yaml").read_text(encoding="utf-8")
    body, _, last = text.rstrip("\n").rpartition("\n")
    assert last == f"# gkaudit-baseline-end sha256={hashlib.sha256((body + chr(10)).encode()).hexdigest()}"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".gkaudit-tmp")]
    capsys.readouterr()


@pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")
def test_a_baseline_command_killed_while_saving_leaves_the_old_file(tmp_path):
    path = tmp_path / ".auditor-baseline.yaml"
    path.write_bytes(saved_baseline(tmp_path))
    before = path.read_bytes()
    killer = textwrap.dedent("""\
        import os, signal, sys
        os.replace = lambda *args, **kwargs: os.kill(os.getpid(), signal.SIGKILL)
        from auditor.cli import main
        sys.exit(main(sys.argv[1:]))
    """)
    done = subprocess.run([sys.executable, "-c", killer, "baseline", "dismiss", "00000000000000aa", "--reason", "误报"], cwd=tmp_path, capture_output=True, timeout=60)
    assert done.returncode == -9
    assert path.read_bytes() == before and len(load_baseline(path)) == 4


def test_an_unreadable_findings_file_is_a_message(tmp_path, capsys):
    bad = tmp_path / "findings.jsonl"
    bad.write_bytes('{"fingerprint": "0123456789abcdef", "rule_id": "规则"}\n'.encode("gbk"))
    refused(capsys, ["baseline", "from", str(bad), "--status", "accepted", "--reason", "x", "--baseline", str(tmp_path / "b.yaml")], f"{bad}:1:", "UTF-8")
    bad.write_text('[1, 2]\n', encoding="utf-8")
    refused(capsys, ["baseline", "from", str(bad), "--status", "accepted", "--reason", "x", "--baseline", str(tmp_path / "b.yaml")], f"{bad}:1:", "JSON 对象")
