"""Hostile inputs and faults at the batch level: every file accounted for, nothing hangs.

Real processes and real folders: the CLI run as a user runs it (a subprocess where a worker is
killed or a pipe could block), or `auditor.cli.main` in this process where a limit is lowered.
"""

import csv
import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile

import pytest

from .procs import workers

from auditor import limits
from auditor.cli import main

from .conftest import SEEDS

SEED = SEEDS / "001_39cc965ecdfa4ae6.txt"
TIMEOUT = 120


def cli(*args, cwd=None, timeout=TIMEOUT):
    """Run the installed tool in a process of its own; (exit code, stdout, stderr)."""
    done = subprocess.run([sys.executable, "-m", "auditor", *args], capture_output=True, timeout=timeout, cwd=cwd)
    return done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")


def records(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


@pytest.fixture
def lowered(tmp_path, monkeypatch):
    """Small limits through a configuration file in the working folder (the big-file cases
    stay small but real); the defaults are restored afterwards."""
    monkeypatch.chdir(tmp_path)

    def lower(**changes):
        lines = "".join(f"{key} = {value}\n" for key, value in changes.items())
        (tmp_path / "auditor.toml").write_text("[limits]\n" + lines, encoding="utf-8")

    yield lower
    limits.set_limits(limits.Limits())


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_fifo_in_the_folder_is_refused_not_waited_on(tmp_path, jobs):
    (tmp_path / "a.txt").write_bytes(SEED.read_bytes())
    os.mkfifo(tmp_path / "pipe.txt")
    code, out, err = cli("audit", str(tmp_path), "--format", "json", "--jobs", jobs, "--no-progress")
    found = {r["file"].rsplit("/", 1)[-1]: r["rule_id"] for r in records(out) if r["family"] == "input"}
    assert found["pipe.txt"] == "INPUT-015" and "Traceback" not in err
    assert code in (0, 1)


def test_a_device_named_on_the_command_line_is_refused(tmp_path, capsys):
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    assert main(["audit", "/dev/zero", "--format", "json", "--no-progress"]) == 1
    (record,) = records(capsys.readouterr().out)
    assert record["rule_id"] == "INPUT-015" and "设备" in record["message"]


def test_symlink_loop_with_outputs_does_not_stop_the_batch(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(SEED.read_bytes())
    os.symlink("loop2.txt", folder / "loop1.txt")
    os.symlink("loop1.txt", folder / "loop2.txt")
    out = tmp_path / "out"
    code = main(["audit", str(folder), "--out", str(out), "--memo", str(out / "memos"), "--format", "json", "--no-progress"])
    assert code == 1
    found = {r["file"].rsplit("/", 1)[-1]: r for r in records(capsys.readouterr().out) if r["family"] == "input"}
    assert found["loop1.txt"]["rule_id"] == "INPUT-005" and "循环" in found["loop1.txt"]["message"]
    with open(out / "reports.csv", encoding="utf-8-sig") as handle:
        assert len(list(csv.DictReader(handle))) == 3


def test_unsupported_files_in_a_folder_are_counted_not_dropped(tmp_path, capsys):
    (tmp_path / "a.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "scan.jpg").write_bytes(b"\xff\xd8\xff" + b"\x00" * 100)
    (tmp_path / "README.md").write_text("说明", encoding="utf-8")
    assert main(["audit", str(tmp_path), "--no-progress"]) == 0  # a skipped file is not an error
    out = capsys.readouterr().out
    assert "INPUT-016" in out and "scan.jpg" in out
    assert re.search(r"跳过（不是报告文件类型）\s+1\n", out) and re.search(r"未列入（隐藏文件、说明文件、输出文件夹）\s+1\n", out)


def test_negative_jobs_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["audit", str(SEED), "--jobs", "-1"])
    assert stop.value.code == 2
    assert "不能为负数" in capsys.readouterr().err


def test_a_file_over_the_size_limit(tmp_path, capsys, lowered):
    lowered(file_mb=0.01)  # 10 KB
    big = tmp_path / "big.txt"
    big.write_bytes(SEED.read_bytes() * 3)
    assert main(["audit", str(big), "--format", "json", "--no-progress"]) == 1
    (record,) = records(capsys.readouterr().out)
    assert record["rule_id"] == "INPUT-014" and "MB" in record["message"]


def test_a_docx_that_inflates_past_the_limit(tmp_path, capsys, lowered):
    lowered(docx_mb=1)
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\x00" * (4 * 1024 * 1024))  # 4 MB of zeros, a few KB packed
    assert bomb.stat().st_size < 50_000
    assert main(["audit", str(bomb), "--format", "json", "--no-progress"]) == 1
    (record,) = records(capsys.readouterr().out)
    assert record["rule_id"] == "INPUT-014" and "解压后" in record["message"]


def test_a_line_of_digits_over_the_line_limit(tmp_path, capsys, lowered):
    lowered(line_chars=10_000)
    path = tmp_path / "digits.txt"
    path.write_text(SEED.read_text(encoding="utf-8") + "\n" + "7" * 20_000 + "\n", encoding="utf-8")
    assert main(["audit", str(path), "--format", "json", "--no-progress"]) == 1
    (record,) = records(capsys.readouterr().out)
    assert record["rule_id"] == "INPUT-014" and "20000 个字符" in record["message"]


def test_a_file_over_the_time_limit_is_a_coded_outcome(tmp_path, capsys, lowered):
    lowered(seconds=0.001)
    path = tmp_path / "slow.txt"
    path.write_text(SEED.read_text(encoding="utf-8") * 20, encoding="utf-8")
    main(["audit", str(path), str(SEED), "--format", "json", "--no-progress"])
    by_file = {}
    for record in records(capsys.readouterr().out):
        by_file.setdefault(record["file"], set()).add(record["rule_id"])
    assert by_file[str(path)] == {"INPUT-013"}


def test_the_time_limit_holds_outside_the_main_thread_too(tmp_path, lowered):
    """A Dask worker audits in a thread of its own, where SIGALRM cannot reach: the limit
    is kept there by an exception raised in that thread when its timer expires."""
    import threading

    from auditor.audit import audit_file
    from auditor.runtime import build_run

    lowered(seconds=0.001)
    path = tmp_path / "slow.txt"
    path.write_text(SEED.read_text(encoding="utf-8") * 20, encoding="utf-8")
    engine = build_run().engine
    results = []
    worker = threading.Thread(target=lambda: results.append(audit_file(str(path), engine)))
    worker.start()
    worker.join(60)
    assert [f.rule_id for f in results[0].findings] == ["INPUT-013"]


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs /proc to find the worker processes")
def test_a_worker_killed_mid_run_loses_no_file(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    count = 150
    for index in range(count):
        (folder / f"{index:03d}.txt").write_bytes(seeds[index % len(seeds)].read_bytes())
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "auditor", "audit", str(folder), "--jobs", "2", "--out", str(out), "--format", "json", "--no-progress"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    killed = None
    deadline = time.monotonic() + 60
    while killed is None and time.monotonic() < deadline and process.poll() is None:
        found = workers(process.pid)
        if len(found) >= 2:
            time.sleep(1.0)  # let them take chunks
            os.kill(found[0], signal.SIGKILL)
            killed = found[0]
        time.sleep(0.05)
    stdout, stderr = process.communicate(timeout=TIMEOUT)
    assert killed is not None, "no worker process seen"
    assert process.returncode in (0, 1), stderr.decode("utf-8", "replace")[-2000:]
    assert b"Traceback" not in stderr
    with open(out / "reports.csv", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == count and sorted(r["文件"] for r in rows) == sorted(str(p) for p in folder.iterdir())
    assert all(r["解析状态"] == "已解析" for r in rows)  # retried in a fresh worker


@pytest.mark.parametrize("junk", ["<!--", "<a href=x ", "<![CDATA["])
def test_unclosed_html_constructs_take_linear_time(junk):
    from auditor.normalize.html import html_lines

    text = "<table><tr><td>规章</td><td>1</td></tr></table>" + (junk + "文字") * 60_000
    started = time.monotonic()
    lines = html_lines(text)
    assert time.monotonic() - started < 10  # was minutes: the stdlib parser rescanned each opener
    assert any(text == "规章" for _, text, _ in lines.lines)


def test_a_marked_section_does_not_make_a_valid_report_an_internal_error(tmp_path, capsys):
    html = (SEEDS.parent.parent / "tests" / "fixtures" / "layouts")
    page = next(p for p in sorted(html.iterdir()) if p.suffix == ".html")
    path = tmp_path / "page.html"
    path.write_text(page.read_text(encoding="utf-8").replace("<table", "<![ ]><table", 1), encoding="utf-8")
    main(["audit", str(path), "--format", "json", "--no-progress"])
    rules = {r["rule_id"] for r in records(capsys.readouterr().out)}
    assert not rules & {"INPUT-008", "INPUT-010"}


def test_file_names_that_are_not_utf8_in_the_terminal_table(tmp_path):
    folder = os.fsencode(tmp_path)
    with open(folder + b"/" + "报告".encode("gbk") + b".txt", "wb") as handle:
        handle.write(b"")  # unreadable: no body, no year, so its fingerprint uses the file name
    with open(folder + b"/" + "年报".encode("gbk") + b".txt", "wb") as handle:
        handle.write(SEED.read_bytes())
    code, out, err = cli("audit", str(tmp_path), "--no-progress")
    assert code == 1 and "Traceback" not in err
    assert "\\xb1\\xa8\\xb8\\xe6.txt" in out and "INPUT-001" in out


def test_limits_come_from_the_configuration_and_reach_the_workers(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(SEED.read_bytes())
    (folder / "b.txt").write_bytes(SEED.read_bytes() * 6)  # 32 KB against a 21 KB limit
    (tmp_path / "auditor.toml").write_text("[limits]\nfile_mb = 0.02\n", encoding="utf-8")
    code, out, err = cli("audit", "in", "--format", "json", "--jobs", "2", "--no-progress", cwd=tmp_path)
    codes = {r["file"].rsplit("/", 1)[-1]: r["rule_id"] for r in records(out) if r["family"] == "input"}
    assert codes == {"b.txt": "INPUT-014"} and "Traceback" not in err
    (tmp_path / "auditor.toml").write_text("[limits]\nfile_mb = -1\n", encoding="utf-8")
    code, out, err = cli("audit", "in", "--no-progress", cwd=tmp_path)
    assert code == 2 and "auditor.toml:2" in err and "应是正数" in err
