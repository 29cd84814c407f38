"""Audit or parse a batch in worker processes; results stream back in input order.

Workers are started with the "spawn" method: each imports the tool afresh and builds its
own durable_rules engine (the C engine's state is per process, and ENGINE-NOTES saw
multiprocessing with fork hang). Files go out in chunks, at most `window` chunks are in
flight, and results are yielded in the order the files were given: the same files give
the same output whatever the number of workers, and memory stays flat however long the
batch. Workers send back light results (findings and report metadata, not whole reports).
"""

import multiprocessing
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from itertools import islice

from .audit import FileResult, audit_file
from .model import Report

CHUNK = 16
_WORKER: dict = {}


def light(result: FileResult) -> FileResult:
    """The result without the parsed tables and source text (what outputs need)."""
    if result.report is None:
        return result
    report = result.report
    slim = Report(path=report.path, encoding=report.encoding, format=report.format, layout=report.layout, size=report.size, metadata=report.metadata)
    return replace(result, report=slim)


def _init_worker(run_options: dict) -> None:
    from .runtime import build_run

    _WORKER["run"] = build_run(**run_options)


def _audit_chunk(paths: list[str]) -> list[FileResult]:
    engine = _WORKER["run"].engine
    return [light(audit_file(path, engine)) for path in paths]


def _parse_chunk(paths: list[str]) -> list[int]:
    """Parse only (for the benchmark): the number of tables found per file, -1 on an input error."""
    from .errors import InputError
    from .pipeline import parse_file

    out = []
    for path in paths:
        try:
            out.append(sum(t.present for t in parse_file(path).report.tables.values()))
        except InputError:
            out.append(-1)
    return out


def ordered_map(task, paths, jobs: int, run_options: dict, chunk: int = CHUNK, window: int | None = None):
    """Yield task's per-file results for `paths`, in order, computed by `jobs` workers."""
    window = window or jobs * 4
    pending: deque = deque()
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker, initargs=(run_options,)) as pool:
        for batch in _chunks(paths, chunk):
            pending.append(pool.submit(task, batch))
            if len(pending) >= window:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def _chunks(paths, size: int):
    remaining = iter(paths)
    while batch := list(islice(remaining, size)):
        yield batch


def audit_batch(paths, jobs: int, run_options: dict):
    """FileResults of `paths` in order (light results when jobs > 1)."""
    return ordered_map(_audit_chunk, paths, jobs, run_options)


def parse_batch(paths, jobs: int, run_options: dict):
    return ordered_map(_parse_chunk, paths, jobs, run_options)
