"""The batch outputs do not depend on Python's string hashing: two runs of the real CLI with
different PYTHONHASHSEED write the same bytes (summary.html with its charts included).

Left out: manifest.json (run id and times) and the XLSX's document properties
(docProps/core.xml: when it was written); every other member of the XLSX is compared."""

import os
import subprocess
import sys
import zipfile

from .conftest import ROOT, SEEDS

VARYING = {"manifest.json", ".auditor.lock"}


def _run(folder, seed: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    env.pop("COLUMNS", None)
    command = [sys.executable, "-m", "auditor", "audit", str(SEEDS), "--out", str(folder), "--date", "2024-03-01", "--no-progress", "-q"]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode in (0, 1), done.stderr


def _members(path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist() if name != "docProps/core.xml"}


def test_outputs_are_the_same_bytes_whatever_the_hash_seed(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    _run(first, "1")
    _run(second, "2")
    names = sorted(p.name for p in first.iterdir() if p.name not in VARYING)
    assert "summary.html" in names and names == sorted(p.name for p in second.iterdir() if p.name not in VARYING)
    for name in names:
        if name.endswith(".xlsx"):
            assert _members(first / name) == _members(second / name), name
        else:
            assert (first / name).read_bytes() == (second / name).read_bytes(), name
