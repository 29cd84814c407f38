"""`auditor audit --dask local`: the batch audited on a Dask LocalCluster gives the same bytes
as `--jobs 1`, and a worker killed mid-run loses no file (Dask sends its chunks elsewhere)."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from .procs import workers

pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpus" / "seeds"
TIMEOUT = 300


def _audit(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "auditor", "audit", *args, "--format", "json", "--no-progress", "--date", "2026-11-25"],
        capture_output=True, cwd=cwd, timeout=TIMEOUT, check=False,
    )


def test_dask_local_gives_the_bytes_of_jobs_1(tmp_path):
    inputs = [str(ROOT / "corpus"), str(ROOT / "tests" / "fixtures" / "pdf")]
    one = _audit(*inputs, "--jobs", "1", "--out", str(tmp_path / "one"), cwd=tmp_path)
    dask = _audit(*inputs, "--dask", "local", "--jobs", "2", "--out", str(tmp_path / "dask"), cwd=tmp_path)
    assert one.returncode == dask.returncode == 1, dask.stderr.decode("utf-8", "replace")[-2000:]
    assert one.stdout and one.stdout == dask.stdout
    for name in ("findings.jsonl", "findings.csv", "reports.csv"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "dask" / name).read_bytes(), name


def test_an_unreachable_scheduler_is_a_usage_error(tmp_path):
    done = _audit(str(SEEDS), "--dask", "tcp://127.0.0.1:9", cwd=tmp_path)
    assert done.returncode == 2 and "Dask" in done.stderr.decode("utf-8")


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs /proc to find the worker processes")
def test_a_dask_worker_killed_mid_run_loses_no_file(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for index in range(240):
        (folder / f"{index:03d}.txt").write_bytes(seeds[index % len(seeds)].read_bytes())
    expected = _audit(str(folder), "--jobs", "1", cwd=tmp_path).stdout
    process = subprocess.Popen(
        [sys.executable, "-m", "auditor", "audit", str(folder), "--dask", "local", "--jobs", "2", "--format", "json",
         "--no-progress", "--date", "2026-11-25"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path,
    )
    first = process.stdout.readline()  # the workers are auditing: results come back
    found = workers(process.pid)
    killed = found[-1] if found else None
    if killed is not None:
        os.kill(killed, signal.SIGKILL)
    stdout = first + process.stdout.read()  # (the reader's buffer: communicate() would skip it)
    stderr = process.stderr.read()
    process.wait(timeout=TIMEOUT)
    assert killed is not None, "no worker process seen"
    assert process.returncode in (0, 1), stderr.decode("utf-8", "replace")[-2000:]
    assert stdout == expected
