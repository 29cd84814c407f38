"""Benchmark: parse-only vs full audit throughput, measured in the same run.

    python -m auditor.bench                    # the seeds repeated to 1,000 reports
    python -m auditor.bench --reports 5000 --corpus corpus/seeds ../shared/real

Each phase runs in a fresh child process (so peak RSS is the phase's own) over the same
files read from disk: `parse` reads and parses every file into a Report; `audit` also runs
the rule engine and writes every finding as JSON Lines. The phases alternate `--repeat`
times and each keeps its fastest run (a shared machine's noise only ever slows a run down).
Printed: reports/s, MB/s, peak RSS, and the full/parse time ratio.
"""

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

from .audit import expand


def _phase(phase: str, files: list[str], output: str) -> dict:
    from .pipeline import parse_file

    engine = None
    if phase == "audit":
        from .engine.packs import load_rules
        from .engine.session import Engine

        engine = Engine(load_rules())
    size = 0
    started = time.perf_counter()
    with open(output, "w", encoding="utf-8") as sink:
        for path in files:
            size += Path(path).stat().st_size
            if engine is None:
                try:
                    parse_file(path)
                except Exception:  # bad inputs are part of a real batch
                    pass
                continue
            from .audit import audit_file
            from .output.jsonl import finding_json

            for finding in audit_file(path, engine).findings:
                sink.write(finding_json(finding) + "\n")
    elapsed = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"phase": phase, "reports": len(files), "bytes": size, "seconds": elapsed, "peak_rss_mb": peak_kb / 1024}


def _run_child(phase: str, list_file: str, output: str) -> dict:
    command = [sys.executable, "-m", "auditor.bench", "--child", phase, "--list", list_file, "--output", output]
    completed = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _line(result: dict) -> str:
    rate = result["reports"] / result["seconds"]
    mb = result["bytes"] / result["seconds"] / 1e6
    return (
        f"{result['phase']:<6} {result['reports']:>7} reports  {result['seconds']:8.2f} s  "
        f"{rate:8.1f} reports/s  {mb:6.2f} MB/s  peak RSS {result['peak_rss_mb']:6.1f} MB"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m auditor.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=1000, help="number of reports (the corpus is repeated)")
    parser.add_argument("--corpus", nargs="+", default=["corpus/seeds"], help="files or folders to draw from")
    parser.add_argument("--repeat", type=int, default=3, help="runs per phase; the fastest is kept")
    parser.add_argument("--child", choices=("parse", "audit"), help=argparse.SUPPRESS)
    parser.add_argument("--list", help=argparse.SUPPRESS)
    parser.add_argument("--output", default="/dev/null", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        files = Path(args.list).read_text(encoding="utf-8").splitlines()
        print(json.dumps(_phase(args.child, files, args.output)))
        return 0
    pool = expand(args.corpus)
    if not pool:
        print("no reports found in " + " ".join(args.corpus), file=sys.stderr)
        return 2
    files = [pool[i % len(pool)] for i in range(args.reports)]
    list_file = Path("/tmp") / f"gkaudit-bench-{time.time_ns()}.lst"
    list_file.write_text("\n".join(files), encoding="utf-8")
    try:
        print(f"corpus: {len(pool)} distinct files repeated to {len(files)} reports; one process, one core; best of {args.repeat}")
        runs = {"parse": [], "audit": []}
        for _ in range(max(1, args.repeat)):
            for phase in runs:
                runs[phase].append(_run_child(phase, str(list_file), "/dev/null"))
        parse = min(runs["parse"], key=lambda r: r["seconds"])
        audit = min(runs["audit"], key=lambda r: r["seconds"])
    finally:
        list_file.unlink(missing_ok=True)
    print(_line(parse))
    print(_line(audit))
    print(f"full audit / parse-only time: {audit['seconds'] / parse['seconds']:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
