"""`auditor audit --jobs N`: worker processes, same bytes out whatever N."""

import json
import shutil

from auditor.cli import main

from .conftest import FIXTURES, SEEDS


def batch(tmp_path):
    """Seeds, every layout fixture and a few bad files: a small mixed batch."""
    folder = tmp_path / "batch"
    shutil.copytree(SEEDS, folder / "seeds")
    layouts = folder / "layouts"
    layouts.mkdir()
    for path in (FIXTURES / "layouts").iterdir():
        if path.suffix in (".txt", ".html", ".md"):
            shutil.copy(path, layouts / path.name)
    (folder / "bad").mkdir()
    (folder / "bad" / "empty.txt").write_bytes(b"")
    (folder / "bad" / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    (folder / "bad" / "gbk.txt").write_bytes((SEEDS / "001_39cc965ecdfa4ae6.txt").read_text(encoding="utf-8").encode("gb18030"))
    return folder


def run(capsys, *args):
    code = main(["audit", *args, "--format", "json", "--no-progress"])
    return code, capsys.readouterr().out


def test_jobs_1_and_2_give_identical_output(tmp_path, capsys):
    folder = batch(tmp_path)
    one = run(capsys, str(folder), "--jobs", "1")
    two = run(capsys, str(folder), "--jobs", "2")
    assert one == two
    code, out = one
    assert code == 1 and out.count("\n") > 40
    assert {"INPUT-001", "INPUT-002"} <= {json.loads(line)["rule_id"] for line in out.splitlines()}


def test_outputs_with_workers(tmp_path, capsys):
    folder = batch(tmp_path)
    outputs = {}
    for jobs in ("1", "2"):
        out_dir = tmp_path / f"out{jobs}"
        main(["audit", str(folder), "--jobs", jobs, "--out", str(out_dir), "--no-progress"])
        capsys.readouterr()
        outputs[jobs] = (out_dir / "findings.jsonl").read_bytes(), (out_dir / "reports.csv").read_bytes()
    assert outputs["1"] == outputs["2"]
