"""Across reports: carry summaries, pairing (batch and --history), the YEAR and COPY packs.

Real text first: the pingtan series (used in place, skipped where absent) must give no YEAR
or COPY warning where its chain holds, and a copy with one carry-over cell changed must give
YEAR-001 on that year and column, in one batch and through the history store across runs.
"""

import json
import shutil
import sqlite3
import subprocess
import sys

import numpy as np
import pytest

from auditor.crossyear import fingerprint
from auditor.crossyear.copies import PeerIndex
from auditor.crossyear.history import HistoryError, Store
from auditor.crossyear.identity import identity, load_aliases
from auditor.crossyear.summary import WHOLE, Summary, summarize
from auditor.pipeline import parse_file
from auditor.resources import rules_dir

from .conftest import ROOT

PROSE = rules_dir() / "fixtures" / "base" / "prose-2022.txt"
CROSS = ("YEAR", "COPY")


def audit(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "auditor", "audit", *map(str, args), "--no-progress"],
        capture_output=True, text=True, cwd=cwd or ROOT,
    )


def cross_lines(stdout: str) -> list[dict]:
    rows = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
    return [r for r in rows if r["rule_id"].split("-")[0] in CROSS]


@pytest.fixture
def series(tmp_path, real_dir):
    folder = tmp_path / "pingtan"
    shutil.copytree(real_dir, folder)
    return folder


def _break_carry(folder):
    """2022's 上年结转 for 自然人 printed as 2 (2021 carried 1 over); total 2 to match."""
    path = folder / "2022.txt"
    text = path.read_text(encoding="utf-8")
    old = "二、上年结转政府信息公开申请数量 1000001"
    assert old in text
    path.write_text(text.replace(old, "二、上年结转政府信息公开申请数量 2000002"), encoding="utf-8")


def test_pingtan_chain_gives_no_cross_warning(series):
    done = audit(series, "--format", "json")
    assert [r for r in cross_lines(done.stdout) if r["severity"] in ("error", "warning")] == []


def test_broken_carry_over_is_found_in_one_batch(series):
    _break_carry(series)
    found = cross_lines(audit(series, "--format", "json").stdout)
    year = [r for r in found if r["rule_id"] == "YEAR-001"]
    assert {(r["year"], r["column"]) for r in year} == {(2022, "自然人"), (2022, "总计")}
    assert all(r["file"].endswith("2022.txt") and r["other_file"].endswith("2021.txt") for r in year)
    assert all(r["actual"] == "2" and r["expected"] == "1" and r["other_line"] > 0 for r in year)


def test_broken_carry_over_is_found_through_history(series, tmp_path):
    _break_carry(series)
    store = tmp_path / "history.sqlite"
    first = audit(*(series / f"{y}.txt" for y in (2019, 2020, 2021)), "--history", store, "--format", "json")
    assert cross_lines(first.stdout) == []
    renamed = tmp_path / "renamed-report.txt"
    shutil.copy(series / "2022.txt", renamed)  # pairing by body and year, not by file name
    second = audit(renamed, "--history", store, "--format", "json")
    year = [r for r in cross_lines(second.stdout) if r["rule_id"] == "YEAR-001"]
    assert {r["column"] for r in year} == {"自然人", "总计"}
    assert {r["other_file"] for r in year} == {str(series / "2021.txt")}
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT version FROM schema_version").fetchall() == [(1,)]
        assert db.execute("SELECT count(*) FROM reports").fetchone()[0] == 4


def test_jobs_give_the_same_bytes(series):
    _break_carry(series)
    one = audit(series, "--format", "json", "--jobs", "1").stdout
    two = audit(series, "--format", "json", "--jobs", "2").stdout
    assert one == two and "YEAR-001" in one


def test_missing_year_is_stated_not_guessed(series):
    (series / "2021.txt").unlink()
    found = cross_lines(audit(series, "--format", "json").stdout)
    gaps = [r for r in found if r["rule_id"] == "YEAR-005"]
    assert [(r["year"], r["severity"]) for r in gaps] == [(2022, "info")]
    assert not [r for r in found if r["rule_id"] == "YEAR-001" and r["year"] == 2022]


def test_last_years_report_with_new_years_and_figures_is_a_copy(tmp_path):
    text = PROSE.read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    copied = text.replace("2022年", "2023年").replace("2023年1月18日", "2024年1月20日").replace("126条", "131条")
    (tmp_path / "b.txt").write_text(copied, encoding="utf-8")
    found = cross_lines(audit(tmp_path, "--format", "json").stdout)
    whole = [r for r in found if r["rule_id"] == "COPY-001"]
    assert len(whole) == 1 and whole[0]["year"] == 2023 and whole[0]["other_file"].endswith("a.txt")
    assert "相似度为 100%" in whole[0]["message"]


def test_history_of_another_version_is_refused(tmp_path):
    path = tmp_path / "h.sqlite"
    Store(path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE schema_version SET version = 99")
    with pytest.raises(HistoryError):
        Store(path)
    (tmp_path / "junk.sqlite").write_text("not a database", encoding="utf-8")
    done = audit(PROSE, "--history", tmp_path / "junk.sqlite")
    assert done.returncode == 2 and "历史库" in done.stderr


def test_identity_suffixes_and_aliases(tmp_path):
    assert identity("平潭综合实验区管理委员会") == identity("平潭综合实验区") == "平潭综合实验区"
    assert identity("示例县清河镇人民政府") != identity("示例县白沙镇人民政府")
    mapping = tmp_path / "aliases.yaml"
    mapping.write_text("示例县白沙镇人民政府: 示例县清河镇\n", encoding="utf-8")
    assert identity("示例县白沙镇人民政府", load_aliases(mapping)) == identity("示例县清河镇人民政府")


def test_masking_keeps_the_bodys_own_words():
    a = fingerprint.masked("2022年，清河镇全年主动公开政府信息126条。", ["清河镇"])
    b = fingerprint.masked("2023年，白沙镇全年主动公开政府信息98条。", ["白沙镇"])
    assert a == b and "全年主动公开" in a and "126" not in a
    assert fingerprint.masked("第二十条第(一)项 信息内容 本年制发件数") == ""


def test_signature_equals_datasketch_legacy_minhash():
    datasketch = pytest.importorskip("datasketch")
    import zlib

    parts = fingerprint.shingles(fingerprint.masked(PROSE.read_text(encoding="utf-8")))
    reference = datasketch.MinHash(num_perm=fingerprint.settings()["num_perm"], seed=fingerprint.SEED,
                                   hashfunc=zlib.crc32, scheme="legacy")
    reference.update_batch([s.encode("utf-8") for s in parts])
    assert fingerprint.signature(parts) == reference.hashvalues.astype(np.uint32).tobytes()


def _summary(seq: int, body: str, sig: bytes) -> Summary:
    out = Summary(f"{seq}.txt", body, body, 2023, "2021", seq=seq)
    out.sections = {WHOLE: ("全文", 1, 10_000, sig)}
    return out


def test_lsh_finds_near_duplicates_of_other_bodies_only():
    rng = np.random.default_rng(7)
    base = rng.integers(0, 2**32, 64, dtype=np.uint32)
    near = base.copy()
    near[:8] = rng.integers(0, 2**32, 8, dtype=np.uint32)  # 87.5% equal
    index = PeerIndex()
    index.add(_summary(0, "甲", base.tobytes()))
    index.add(_summary(1, "乙", near.tobytes()))
    index.add(_summary(2, "甲", base.tobytes()))  # same body: never its own peer
    for seq in range(3, 50):
        index.add(_summary(seq, f"丙{seq}", rng.integers(0, 2**32, 64, dtype=np.uint32).tobytes()))
    found = index.near_duplicates(0.5)
    assert set(found) == {0, 1, 2}
    assert found[1] == [(0, 0.875)] and found[0][0][0] == 1 and found[2][0][0] == 1


def test_summary_is_small_and_cites_lines():
    report = parse_file(PROSE).report
    summary = summarize(report, str(PROSE))
    assert summary.cell("t3.carried_in.natural")[0] == 1 and summary.cell("t3.carried_in.natural")[2] > 0
    assert len(__import__("pickle").dumps(summary)) < 4096


def test_memos_carry_the_findings_over_two_reports(series, tmp_path):
    """Memos are written as the stream goes; the closing pass writes the paired report's memo
    again with a section of its own naming last year's report, and leaves the others alone."""
    _break_carry(series)
    memos = tmp_path / "memos"
    done = audit(series, "--memo", memos, "--memo-format", "both", "--out", tmp_path / "out", "-q")
    assert done.returncode in (0, 1), done.stderr
    (memo_2022,) = memos.glob("2022*.md")
    text = memo_2022.read_text(encoding="utf-8")
    assert "跨年度核对与雷同检查" in text and "YEAR-001" in text and "2021.txt 第" in text
    (memo_2021,) = memos.glob("2021*.md")
    assert "YEAR-001" not in memo_2021.read_text(encoding="utf-8")
    import docx

    (document,) = memos.glob("2022*.docx")
    cells = [c.text for t in docx.Document(document).tables for r in t.rows for c in r.cells]
    assert any("2021.txt 第" in c for c in cells)
    summary = (tmp_path / "out" / "summary.md").read_text(encoding="utf-8")
    assert "## 跨年度与雷同" in summary and "YEAR-001" in summary.split("## 跨年度与雷同")[1]
    assert "跨年度与雷同" in (tmp_path / "out" / "summary.html").read_text(encoding="utf-8")


def test_csv_output_carries_the_closing_rows(series):
    import csv
    import io

    _break_carry(series)
    done = audit(series, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    year = [r for r in rows if r["规则"] == "YEAR-001"]
    assert year and all(r["对照报告"].endswith("2021.txt") and r["报告结论"] for r in year)
