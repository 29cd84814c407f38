"""Audit or parse a batch in worker processes; results stream back in input order.

Workers are started with the "spawn" method: each imports the tool afresh and builds its
own durable_rules engine (the C engine's state is per process, and ENGINE-NOTES saw
multiprocessing with fork hang). Files go out in chunks, at most `window` chunks are in
flight, and results are yielded in the order the files were given: the same files give
the same output whatever the number of workers, and memory stays flat however long the
batch. Workers send back light results (findings and report metadata, not whole reports).

A worker that dies (killed, out of memory in C code, a crash in the rule engine) breaks the
pool: a fresh pool takes over, the chunk that was being read is audited again one file per
task, and a file that kills its worker a second time gets a coded outcome (INPUT-012). Every
file of the batch ends with a result, whatever happens to the workers.
"""

import multiprocessing
from collections import deque
from concurrent.futures import CancelledError, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from itertools import islice

from .audit import FileResult, audit_file, input_finding
from .errors import InputError
from .model import Report

CHUNK = 16
_WORKER: dict = {}
# Below this many files a worker costs more than it saves (starting one takes ~0.4 s; seeds
# measured: 50 and 100 files as fast or faster with one process, 200 faster with two).
FILES_PER_WORKER = 100


def workers_for(jobs: int, files: int) -> int:
    """How many worker processes a batch of `files` gets when `jobs` are allowed: none
    needed (1: audit here) for a small batch. GKAUDIT_FILES_PER_WORKER overrides the share
    (the tests set 1, so small batches still exercise the workers)."""
    import os

    share = int(os.environ.get("GKAUDIT_FILES_PER_WORKER", "") or FILES_PER_WORKER)
    return max(1, min(jobs, files // max(1, share)))


def light(result: FileResult) -> FileResult:
    """The result without the parsed tables and source text (what outputs need)."""
    if result.report is None:
        return result
    report = result.report
    slim = Report(path=report.path, encoding=report.encoding, format=report.format, layout=report.layout, size=report.size, metadata=report.metadata)
    return replace(result, report=slim)


def _init_worker(run_options: dict) -> None:
    from .limits import limit_worker_memory
    from .runtime import build_run

    _WORKER["run"] = build_run(**run_options)
    limit_worker_memory()  # after the engine is built: the cap is for one file's work


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


class _Pool:
    """A spawn process pool that can be replaced when a worker dies."""

    def __init__(self, jobs: int, run_options: dict):
        self.jobs, self.run_options = jobs, run_options
        self.context = multiprocessing.get_context("spawn")
        self.pool = self._new()

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.jobs, mp_context=self.context, initializer=_init_worker, initargs=(self.run_options,))

    def submit(self, task, batch):
        """The future of `batch`, or None when the pool is already broken (a worker died)."""
        try:
            return self.pool.submit(task, batch)
        except BrokenProcessPool:
            return None

    def renew(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self._new()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def ordered_map(task, paths, jobs: int, run_options: dict, chunk: int = CHUNK, window: int | None = None, lost=None):
    """Yield task's per-file results for `paths`, in order, computed by `jobs` workers.
    `lost(path)` is the result of a file that killed its worker twice."""
    window = window or jobs * 4
    pending: deque = deque()  # (batch, future)
    pool = _Pool(jobs, run_options)
    batches = _chunks(paths, chunk)
    try:
        while True:
            while len(pending) < window and (batch := next(batches, None)) is not None:
                pending.append((batch, pool.submit(task, batch)))
            if not pending:
                return
            batch, future = pending.popleft()
            try:
                if future is None:
                    raise BrokenProcessPool("submitted to a broken pool")
                results = future.result()
            except (BrokenProcessPool, CancelledError):
                pool.renew()  # every chunk in flight is lost with the pool
                results = list(_one_by_one(task, batch, pool, lost))
                pending = deque((b, pool.submit(task, b)) for b, _ in pending)
            yield from results
    finally:
        pool.close()


def _one_by_one(task, batch: list[str], pool: _Pool, lost):
    """A chunk whose worker died, again one file per task: the file that kills a fresh worker
    too gets its coded outcome; the others are audited as usual."""
    for path in batch:
        future = pool.submit(task, [path])
        if future is None:  # broken before this file was sent: not this file's doing
            pool.renew()
            future = pool.submit(task, [path])
        try:
            if future is None:
                raise BrokenProcessPool("a fresh pool is broken too")
            yield from future.result()
        except (BrokenProcessPool, CancelledError):
            pool.renew()
            yield lost(path)


def lost_file(path: str) -> FileResult:
    coded = InputError("INPUT-012", "工作进程在审核该文件时两次异常退出（可能是内存耗尽或程序崩溃）")
    return FileResult(path, None, [input_finding(path, coded)], coded)


def _chunks(paths, size: int):
    remaining = iter(paths)
    while batch := list(islice(remaining, size)):
        yield batch


def audit_batch(paths, jobs: int, run_options: dict):
    """FileResults of `paths` in order (light results when jobs > 1)."""
    return ordered_map(_audit_chunk, paths, jobs, run_options, lost=lost_file)


def parse_batch(paths, jobs: int, run_options: dict):
    return ordered_map(_parse_chunk, paths, jobs, run_options, lost=lambda path: -1)
