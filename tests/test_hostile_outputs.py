"""Hostile text and faults on the output side: every output whole, safe to open, and honest.

The CLI run as a user runs it, on real folders: `auditor.cli.main` in this process, or a
process of its own where it is killed, where another run holds the folder, or where the hash
seed differs. Hostile text comes in through file names (control characters, CR, formula
prefixes, bytes that are not UTF-8), through a report's own lines, and through a local rule
pack whose title, message, basis and fix carry markup, formulas and control characters.
"""

import csv
import io
import json
import os
import re
import subprocess
import sys
import textwrap

import docx
import openpyxl
import pytest
from bs4 import BeautifulSoup

from auditor.cli import main
from auditor.output import charts, sanitize

from .conftest import SEEDS

SEED = SEEDS / "004_823b9c688159316a.txt"
OUTPUTS = ("findings.csv", "findings.xlsx", "findings.jsonl", "reports.csv", "summary.md", "summary.html")
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
FORMULA = ("=", "+", "-", "@", "\t", "\r")
EVIL_PACK = r'''
pack: EVIL
title: "=evil <script>"
version: "1"
rules:
  - id: EVIL-001
    title: "=1+2 \x01 <script>alert(1)</script>"
    severity: warning
    basis: "@SUM(A1) [x](javascript:alert(1))"
    when: report.year > 0
    message: "=cmd|' /C calc'!A0 \x01\x02\x0b\x1f <script>alert(1)</script> |pipe| ![i](http://x/y.png)\r\nsecond line"
    fix: "-2+3 \x00 `code`"
'''


def cli(*args, cwd=None, env=None, code=None, timeout=120):
    """The tool in a process of its own (or `code` run with python -c); (exit code, stdout, stderr)."""
    command = [sys.executable, "-c", code, *args] if code else [sys.executable, "-m", "auditor", *args]
    done = subprocess.run(command, capture_output=True, timeout=timeout, cwd=cwd, env={**os.environ, **(env or {})})
    return done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")


def hostile_folder(tmp_path):
    """Reports whose names and first lines carry control characters, markup and formulas."""
    folder = tmp_path / "in"
    folder.mkdir()
    text = SEED.read_text(encoding="utf-8")
    title, rest = text.split("\n", 1)
    (folder / "plain.txt").write_text(f"{title}\x01\x07=cmd|x<script>alert(1)</script>\n{rest}", encoding="utf-8")
    (folder / "=1+2\x01<b>a\rb.txt").write_text(text, encoding="utf-8")
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "evil.yaml").write_text(EVIL_PACK, encoding="utf-8")
    return folder, rules


def run_hostile(tmp_path, capsys):
    folder, rules = hostile_folder(tmp_path)
    out = tmp_path / "out"
    code = main(["audit", str(folder), "--rules", str(rules), "--out", str(out), "--memo", str(out / "memos"), "--format", "json", "--no-progress", "--date", "2025-06-01"])
    captured = capsys.readouterr()
    records = [json.loads(line) for line in captured.out.splitlines() if line.startswith("{")]
    return code, out, records, captured.err


def test_control_characters_markup_and_formulas_reach_no_writer_raw(tmp_path, capsys):
    code, out, records, err = run_hostile(tmp_path, capsys)
    assert code in (0, 1) and "Traceback" not in err and "内部错误" not in err
    assert all((out / name).is_file() and (out / name).stat().st_size for name in OUTPUTS)
    evil = [r for r in records if r["rule_id"] == "EVIL-001"]
    assert len(evil) == 2

    book = openpyxl.load_workbook(out / "findings.xlsx")
    assert len(book.sheetnames) == 9
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # no live formula anywhere
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert not [t for t in texts if t.startswith(FORMULA)]
    assert not [t for t in texts if CONTROL.search(t)]
    assert any("␁" in t for t in texts)  # the placeholder shows where a control character was
    assert any(isinstance(c.value, int) for c in cells)  # numbers stay numbers

    for name in ("findings.csv", "reports.csv"):
        rows = list(csv.reader(io.StringIO((out / name).read_text(encoding="utf-8-sig"))))
        cells = [cell for row in rows[1:] for cell in row]
        assert not [c for c in cells if c.startswith(FORMULA) and not re.fullmatch(r"-?\d+(\.\d+)?", c)], name
        assert not [c for c in cells if CONTROL.search(c) or "\r" in c], name
        assert len(rows) == 1 + (len(records) if name == "findings.csv" else 2), name  # no row split
    assert "'=cmd|" in (out / "findings.csv").read_text(encoding="utf-8-sig")

    for page in [out / "summary.md", *sorted((out / "memos").glob("*.md"))]:
        text = page.read_text(encoding="utf-8")
        assert "<script" not in text and not re.search(r"(?<!\\)\]\(", text), page  # no raw HTML, no link
        assert not CONTROL.search(text), page
    assert "&lt;script&gt;" in (out / "summary.md").read_text(encoding="utf-8")
    page = (out / "summary.html").read_text(encoding="utf-8")
    assert not BeautifulSoup(page, "html.parser").find_all("script") and not CONTROL.search(page)
    assert "<b>a" not in page and "=1+2\\x01&lt;b&gt;a\\rb.txt" in page  # the file name: escaped

    memos = sorted((out / "memos").glob("*.docx"))
    assert len(memos) == 2
    for path in memos:
        document = docx.Document(str(path))
        assert document.paragraphs[0].text.startswith("关于《")
        assert any("EVIL-001" in c.text for t in document.tables for r in t.rows for c in r.cells)


def test_file_names_that_are_not_utf8_are_shown_escaped(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    try:
        with open(os.path.join(os.fsencode(folder), b"\xc0\xb6\xb7\xbb.txt"), "wb") as handle:  # GBK from a Windows zip
            handle.write(SEED.read_bytes())
    except (OSError, ValueError):
        pytest.skip("this file system refuses names that are not UTF-8")
    out = tmp_path / "out"
    code = main(["audit", str(folder), "--out", str(out), "--memo", str(out / "memos"), "--format", "json", "--no-progress"])
    captured = capsys.readouterr()
    assert code in (0, 1) and "Traceback" not in captured.err
    records = [json.loads(line) for line in captured.out.splitlines() if line.startswith("{")]
    assert records and all(r["file"].endswith("\\xc0\\xb6\\xb7\\xbb.txt") for r in records)
    assert all((out / name).stat().st_size for name in OUTPUTS)
    for name in ("findings.csv", "reports.csv", "summary.html"):
        assert "\\xc0\\xb6\\xb7\\xbb" in (out / name).read_text(encoding="utf-8-sig"), name
    assert "\\\\xc0\\\\xb6\\\\xb7\\\\xbb" in (out / "summary.md").read_text(encoding="utf-8")  # Markdown doubles a backslash
    memos = sorted(p.name for p in (out / "memos").iterdir() if not p.name.startswith("."))
    assert memos == ["_xc0_xb6_xb7_xbb_审核意见.docx", "_xc0_xb6_xb7_xbb_审核意见.md"]
    assert all((out / "memos" / m).stat().st_size for m in memos)
    assert "\\\\xc0\\\\xb6\\\\xb7\\\\xbb.txt" in (out / "memos" / memos[1]).read_text(encoding="utf-8")

    # the same run in a process of its own, stdout strictly UTF-8
    code, stdout, stderr = cli("audit", str(folder), "--format", "json", "--no-progress", env={"PYTHONIOENCODING": "utf-8"})
    assert code in (0, 1) and "Traceback" not in stderr and "\\\\xc0\\\\xb6" in stdout


def test_an_out_path_that_is_a_file_is_a_message(tmp_path, capsys):
    (tmp_path / "out").write_text("not a folder", encoding="utf-8")
    code = main(["audit", str(SEED), "--out", str(tmp_path / "out"), "--no-progress", "--format", "json"])
    err = capsys.readouterr().err
    assert code == 2 and "无法写入" in err and "不是文件夹" in err and "Traceback" not in err, err


def test_cell_values_never_start_a_formula_but_numbers_stay_numbers():
    assert sanitize.cell("=1+2") == "'=1+2" and sanitize.cell("@SUM(A1)") == "'@SUM(A1)"
    assert sanitize.cell("+86 10") == "'+86 10" and sanitize.cell("-2+3") == "'-2+3" and sanitize.cell("\t=x") == "'\t=x"
    assert sanitize.cell("-12") == "-12" and sanitize.cell("+3.5") == "+3.5" and sanitize.cell(-12) == -12
    assert sanitize.cell("a\rb\r\nc") == "a\nb\nc" and sanitize.cell("蓝\x01坊") == "蓝␁坊"
    assert sanitize.display_path("a\rb\udcc0.txt") == "a\\rb\\xc0.txt"


KILLER = textwrap.dedent('''
    import os, signal, sys
    victim = sys.argv[1]
    real = os.replace
    def replace(source, target, *args, **kwargs):
        if os.path.basename(os.fspath(target)) == victim:  # the file is written, not yet in place
            os.kill(os.getpid(), signal.SIGKILL)
        return real(source, target, *args, **kwargs)
    os.replace = replace
    from auditor.cli import main
    sys.exit(main(sys.argv[2:]))
''')


@pytest.mark.skipif(not hasattr(os, "kill") or sys.platform == "win32", reason="needs SIGKILL")
def test_a_run_killed_while_writing_leaves_whole_files_and_an_incomplete_manifest(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(SEED.read_bytes())
    out = tmp_path / "out"
    assert main(["audit", str(folder), "--out", str(out), "--no-progress", "--format", "json"]) in (0, 1)
    capsys.readouterr()
    before = {name: (out / name).read_bytes() for name in OUTPUTS}
    first = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert first["complete"] and first["inputs"] == 1

    (folder / "b.txt").write_bytes(SEED.read_bytes())  # the second run differs from the first
    code, _, stderr = cli("findings.xlsx", "audit", str(folder), "--out", str(out), "--no-progress", "--format", "json", code=KILLER)
    assert code == -9, stderr
    after = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert after["complete"] is False and after["run_id"] != first["run_id"]  # a reader sees the set is not whole
    assert (out / "findings.xlsx").read_bytes() == before["findings.xlsx"]  # the old file, whole
    book = openpyxl.load_workbook(out / "findings.xlsx")
    assert len(book.sheetnames) == 9
    assert (out / "findings.csv").read_bytes() != before["findings.csv"]  # the new one, whole
    assert len(list(csv.reader(io.StringIO((out / "findings.csv").read_text(encoding="utf-8-sig"))))) > 1
    assert list(out.glob(".*.gkaudit-tmp"))  # what was being written is hidden beside them

    assert main(["audit", str(folder), "--out", str(out), "--no-progress", "--format", "json"]) in (0, 1)
    capsys.readouterr()
    assert not list(out.glob(".*.gkaudit-tmp")) and not (out / ".auditor.lock").exists()
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["complete"] is True


HOLDER = textwrap.dedent('''
    import sys, time
    from auditor.output.outdir import OutputSession
    session = OutputSession.open(sys.argv[1], None, 0, None)
    print("locked", flush=True)
    time.sleep(60)
''')


def test_a_second_run_on_an_out_folder_in_use_is_refused(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(SEED.read_bytes())
    out = tmp_path / "out"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(out)], stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == b"locked"
        code, _, stderr = cli("audit", str(folder), "--out", str(out), "--no-progress")
        assert code == 2 and "正被另一次审核使用" in stderr and f"进程 {holder.pid}" in stderr, stderr
        assert "Traceback" not in stderr and not (out / "findings.xlsx").exists()
    finally:
        holder.kill()
        holder.wait()
    assert main(["audit", str(folder), "--out", str(out), "--no-progress", "--format", "json"]) in (0, 1)  # taken over
    assert (out / "findings.xlsx").is_file() and not (out / ".auditor.lock").exists()


def test_a_stale_lock_is_taken_over_and_the_manifest_lists_what_was_written(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.txt", "b.txt"):
        (folder / name).write_bytes(SEED.read_bytes())
    out = tmp_path / "out"
    out.mkdir()
    (out / ".auditor.lock").write_text('{"pid": 999999999, "host": "gone", "started": "2020-01-01T00:00:00"}', encoding="utf-8")
    code = main(["audit", str(folder), "--out", str(out), "--memo", str(out / "memos"), "--no-progress", "--format", "json"])
    capsys.readouterr()
    assert code in (0, 1) and not (out / ".auditor.lock").exists()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["complete"] is True and manifest["inputs"] == 2 and manifest["tool"] == "gkaudit"
    assert manifest["run_id"] and manifest["started"] <= manifest["finished"] and len(manifest["rules_digest"]) == 8
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(OUTPUTS) <= set(listed) and len([p for p in listed if p.startswith("memos/")]) == 4
    import hashlib

    for path, entry in listed.items():
        data = (out / path).read_bytes()
        assert entry["bytes"] == len(data) and entry["sha256"] == hashlib.sha256(data).hexdigest(), path


def test_summary_page_is_the_same_bytes_whatever_the_hash_seed(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(SEED.read_bytes())
    runs = {}
    for seed in ("1", "2"):  # both at once: the test takes the time of one
        command = [sys.executable, "-m", "auditor", "audit", str(folder), "--out", str(tmp_path / f"out{seed}"), "--no-progress", "--date", "2025-06-01"]
        runs[seed] = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "PYTHONHASHSEED": seed})
    for seed, process in runs.items():
        stderr = process.communicate(timeout=120)[1].decode("utf-8", "replace")
        assert process.returncode in (0, 1) and "findfont" not in stderr and "Glyph" not in stderr and "Traceback" not in stderr, stderr
    assert (tmp_path / "out1" / "summary.html").read_bytes() == (tmp_path / "out2" / "summary.html").read_bytes()


def test_chart_font_candidates_do_not_depend_on_listing_order(monkeypatch):
    paths = ["/f/wqy-zenhei.ttc", "/f/NotoSansCJK-Regular.ttc", "/f/uming.ttc", "/f/droidsansfallback.ttf"]
    families = {"/f/wqy-zenhei.ttc": "WenQuanYi Zen Hei", "/f/NotoSansCJK-Regular.ttc": "Noto Sans CJK JP"}
    monkeypatch.setattr(charts.font_manager.fontManager, "ttflist", [])
    monkeypatch.setattr(charts, "_family", lambda path: families.get(path, ""))
    orders = []
    for listing in (paths, paths[::-1], paths[1:] + paths[:1]):
        monkeypatch.setattr(charts.font_manager, "findSystemFonts", lambda *a, listing=listing, **k: list(listing))
        orders.append(charts._candidates())
    assert orders[0] == orders[1] == orders[2]
    assert orders[0][:2] == ["/f/wqy-zenhei.ttc", "/f/NotoSansCJK-Regular.ttc"]  # preferred names first
