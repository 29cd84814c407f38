"""Benchmark: parse-only vs full audit throughput, measured in the same run.

    python -m auditor.bench                               # the seeds repeated to 1,000 reports
    python -m auditor.bench --corpus corpus/seeds ../shared/real --reports 5000
    python -m auditor.bench --generate 100000 --jobs 1 2  # generated reports on disk
    python -m auditor.bench --pdf DIR --dask              # PDF throughput too, and on Dask

Each phase runs in a fresh child process over the same files read from disk: `parse` reads
and parses every file into a Report; `audit` also runs the rule engine and writes every
finding as JSON Lines to a file. With `--jobs N` > 1 the phase uses N worker processes
(auditor.parallel) and results stream back in order. Phases alternate `--repeat` times
and each keeps its fastest run (a shared machine's noise only ever slows a run down).
Printed: reports/s, MB/s, peak RSS of the phase process and of its largest worker, and
the full/parse time ratio; for `--pdf` also pages/s, and with `--dask` the full audit on a
2-worker Dask LocalCluster and an estimate for 100,000 PDF reports on N workers.
"""

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .audit import expand


def _phase(phase: str, files: list[str], jobs: int, output: str) -> dict:
    size = sum(Path(path).stat().st_size for path in files)
    stream = _dask_stream(files, jobs) if phase == "dask" else None  # the cluster starts before the clock
    started = time.perf_counter()
    with open(output, "w", encoding="utf-8") as sink:
        if phase == "parse":
            _parse_all(files, jobs)
        elif phase == "dask":
            _write_all(stream, sink)
        else:
            _audit_all(files, jobs, sink)
    elapsed = time.perf_counter() - started
    own = _own_peak_mb()
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 if jobs > 1 else 0.0
    return {"phase": phase, "jobs": jobs, "reports": len(files), "bytes": size, "seconds": elapsed, "rss_mb": own, "worker_rss_mb": workers}


def _own_peak_mb() -> float:
    """This process's peak RSS. Linux keeps ru_maxrss across fork and exec, so a child would
    report its parent's peak; VmHWM in /proc/self/status belongs to this process alone."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _parse_all(files: list[str], jobs: int) -> None:
    if jobs > 1:
        from .parallel import parse_batch

        for _ in parse_batch(files, jobs, {}):
            pass
        return
    from .errors import InputError
    from .pipeline import parse_file

    for path in files:
        try:
            parse_file(path)
        except InputError:  # bad inputs are part of a real batch
            pass


def _audit_all(files: list[str], jobs: int, sink) -> None:
    from .output.jsonl import finding_json

    if jobs > 1:
        from .parallel import audit_batch

        results = audit_batch(files, jobs, {})
    else:
        from .audit import audit_file
        from .engine.packs import load_rules
        from .engine.session import Engine

        engine = Engine(load_rules())
        results = (audit_file(path, engine) for path in files)
    for result in results:
        for finding in result.findings:
            sink.write(finding_json(finding) + "\n")


def _dask_stream(files: list[str], workers: int):
    """The full audit on a LocalCluster of `workers` processes, started now (~2 s, not timed:
    a national batch runs for hours on a cluster started once)."""
    from .daskrun import dask_batch

    return dask_batch(files, "local", {}, workers)


def _write_all(results, sink) -> None:
    from .output.jsonl import finding_json

    for result in results:
        for finding in result.findings:
            sink.write(finding_json(finding) + "\n")


def _pages(files: list[str]) -> int:
    """Pages of the PDFs among `files` (PDFium counts them without reading the pages)."""
    import pypdfium2

    total = 0
    for path in files:
        if path.lower().endswith(".pdf"):
            document = pypdfium2.PdfDocument(path)
            total += len(document)
            document.close()
    return total


def _run_child(phase: str, list_file: str, jobs: int, output: str) -> dict:
    command = [sys.executable, "-m", "auditor.bench", "--child", phase, "--list", list_file, "--jobs", str(jobs), "--output", output]
    completed = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _line(result: dict, pages: int = 0) -> str:
    rate = result["reports"] / result["seconds"]
    mb = result["bytes"] / result["seconds"] / 1e6
    workers = f"  largest worker {result['worker_rss_mb']:6.1f} MB" if result["jobs"] > 1 and result["phase"] != "dask" else ""
    paged = f"  {pages / result['seconds']:7.1f} pages/s" if pages else ""
    return (
        f"{result['phase']:<6} jobs {result['jobs']}  {result['reports']:>7} reports  {result['seconds']:8.2f} s  "
        f"{rate:8.1f} reports/s{paged}  {mb:6.2f} MB/s  peak RSS {result['rss_mb']:6.1f} MB{workers}"
    )


def _generated(count: int, seed: int, folder: Path) -> list[str]:
    """Generate in a child process, so this one stays small (its children's RSS figures
    would otherwise start from its size)."""
    started = time.perf_counter()
    code = f"from auditor.synth import generate; generate({str(folder)!r}, {count}, {seed})"
    subprocess.run([sys.executable, "-c", code], check=True)
    files = expand([str(folder)])
    print(f"generated {len(files)} reports in {time.perf_counter() - started:.1f} s into {folder}")
    return files


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m auditor.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=1000, help="number of reports drawn from --corpus (repeated)")
    parser.add_argument("--corpus", nargs="+", default=["corpus/seeds"], help="files or folders to draw from")
    parser.add_argument("--generate", type=int, metavar="N", help="generate N reports on disk instead of repeating --corpus")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (with --generate)")
    parser.add_argument("--keep", metavar="DIR", help="generate into DIR and keep it (default: a temporary folder)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1], help="worker counts to measure, e.g. --jobs 1 2")
    parser.add_argument("--repeat", type=int, default=3, help="runs per phase; the fastest is kept")
    parser.add_argument("--pdf", nargs="+", metavar="PATH", help="also measure these PDF files or folders (e.g. made by python -m auditor.synth --pdf), repeated to --pdf-reports")
    parser.add_argument("--pdf-reports", type=int, default=200, help="number of PDF reports drawn from --pdf (repeated)")
    parser.add_argument("--dask", action="store_true", help="with --pdf: also audit the PDFs on a 2-worker Dask LocalCluster and estimate 100,000 reports on N workers")
    parser.add_argument("--cross", type=int, nargs="+", metavar="N", help="measure the YEAR and COPY pass alone on N generated carry summaries (e.g. --cross 10000 100000)")
    parser.add_argument("--child", choices=("parse", "audit", "dask"), help=argparse.SUPPRESS)
    parser.add_argument("--list", help=argparse.SUPPRESS)
    parser.add_argument("--output", default="/dev/null", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.cross:
        return _cross(args.cross)
    if args.child:
        files = Path(args.list).read_text(encoding="utf-8").splitlines()
        print(json.dumps(_phase(args.child, files, args.jobs[0], args.output)))
        return 0

    workdir = Path(tempfile.mkdtemp(prefix="gkaudit-bench-"))
    try:
        if args.generate:
            target = Path(args.keep) if args.keep else workdir / "corpus"
            files = _generated(args.generate, args.seed, target)
            description = f"{len(files)} generated reports (seed {args.seed})"
        else:
            pool = expand(args.corpus)
            if not pool:
                print("no reports found in " + " ".join(args.corpus), file=sys.stderr)
                return 2
            files = [pool[i % len(pool)] for i in range(args.reports)]
            description = f"{len(pool)} distinct files repeated to {len(files)} reports"
        print(f"corpus: {description}; best of {args.repeat} runs per phase")
        _measure(files, args.jobs, args.repeat, workdir)
        if args.pdf:
            pool = [path for path in expand(args.pdf) if path.lower().endswith(".pdf")]
            if not pool:
                print("no PDF files found in " + " ".join(args.pdf), file=sys.stderr)
                return 2
            pdfs = [pool[i % len(pool)] for i in range(args.pdf_reports)]
            pages = _pages(pdfs)
            print(f"PDF corpus: {len(pool)} distinct PDFs repeated to {len(pdfs)} reports, {pages} pages")
            _measure(pdfs, args.jobs, args.repeat, workdir, pages)
            if args.dask:
                _measure_dask(pdfs, args.repeat, workdir, pages)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


def _measure(files: list[str], jobs_list: list[int], repeat: int, workdir: Path, pages: int = 0) -> None:
    """Parse-only and full audit of `files` for each worker count, alternating, best of `repeat`."""
    list_file = workdir / "files.lst"
    list_file.write_text("\n".join(files), encoding="utf-8")
    for jobs in jobs_list:
        runs = {"parse": [], "audit": []}
        for _ in range(max(1, repeat)):
            for phase in runs:
                runs[phase].append(_run_child(phase, str(list_file), jobs, str(workdir / "findings.jsonl")))
        parse = min(runs["parse"], key=lambda r: r["seconds"])
        audit = min(runs["audit"], key=lambda r: r["seconds"])
        print(_line(parse, pages))
        print(_line(audit, pages))
        print(f"jobs {jobs}: full audit / parse-only time {audit['seconds'] / parse['seconds']:.2f}x")


def _measure_dask(files: list[str], repeat: int, workdir: Path, pages: int, workers: int = 2) -> None:
    """The full audit on a 2-worker LocalCluster beside one process, and the estimate for a
    national year: 100,000 reports on N workers at the measured rate per worker."""
    list_file = workdir / "files.lst"
    list_file.write_text("\n".join(files), encoding="utf-8")
    runs = {"audit": [], "dask": []}
    for _ in range(max(1, repeat)):
        runs["audit"].append(_run_child("audit", str(list_file), 1, str(workdir / "findings.jsonl")))
        runs["dask"].append(_run_child("dask", str(list_file), workers, str(workdir / "findings.jsonl")))
    one = min(runs["audit"], key=lambda r: r["seconds"])
    dask = min(runs["dask"], key=lambda r: r["seconds"])
    print(_line(one, pages))
    print(_line(dask, pages))
    per_worker = dask["reports"] / dask["seconds"] / workers
    print(f"dask {workers} workers / 1 process: {one['seconds'] / dask['seconds']:.2f}x; "
          f"{per_worker:.1f} reports/s per worker (cluster start-up not counted)")
    for count in (2, 8, 32, 128):
        minutes = 100_000 / (per_worker * count) / 60
        print(f"estimate: 100,000 PDF reports on {count:>3} workers ≈ {minutes:7.0f} min")


def _cross(counts: list[int]) -> int:
    """The cross-report pass alone, each size in a fresh child process (its own peak RSS)."""
    for count in counts:
        code = f"from auditor.crossyear.bench import measure, line; print(line(measure({int(count)})))"
        subprocess.run([sys.executable, "-c", code], check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
