"""Audit a batch on a Dask cluster: `auditor audit PATH... --dask ADDRESS` (or `--dask local`).

The machine that runs `auditor audit` reads every file (so workers need no shared folder)
and sends its bytes, a chunk at a time, to the cluster's workers; each worker builds its own
run (configuration, rules, durable_rules engine) once from the same options and audits the
chunk as `auditor audit` would audit it here. At most a window of chunks is in flight, and
results are yielded in the order the files were given: the output is the same bytes as with
`--jobs 1`, and memory stays flat however long the batch.

A worker that dies takes nothing with it: Dask sends its chunks to another worker. A chunk
that kills workers again and again (Dask gives up: KilledWorker) is audited one file per
task, and the file that still kills its worker gets INPUT-012, as with `--jobs`.

`--dask local` starts a LocalCluster on this machine (one single-threaded worker process per
job: the rule engine keeps per-process state). For several machines see docs/cluster.md.
"""

import logging
from collections import deque

from .audit import FileResult, audit_file, input_finding
from .errors import InputError
from .limits import read_limited
from .parallel import CHUNK, _chunks, light, lost_file

_RUNS: dict = {}  # per worker process: the run built from each option set


def _worker_run(run_options: dict):
    key = repr(sorted(run_options.items()))
    if key not in _RUNS:
        from .runtime import build_run

        _RUNS[key] = build_run(**run_options)
    return _RUNS[key]


def _audit_files(files: list[tuple[str, bytes]], run_options: dict) -> list[FileResult]:
    """On a worker: audit each (path, bytes) as the file at that path."""
    engine = _worker_run(run_options).engine
    return [light(audit_file(path, engine, data)) for path, data in files]


def _read(path: str) -> bytes | FileResult:
    """The file's bytes, or its coded result when it cannot be read here."""
    try:
        return read_limited(path)
    except InputError as error:
        return FileResult(path, None, [input_finding(path, error)], error)


class Cluster:
    """A client of a running scheduler, or of a LocalCluster started for this run."""

    def __init__(self, address: str, workers: int):
        from dask.distributed import Client, LocalCluster

        self.local = None
        if address == "local":
            self.local = LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            self.client = Client(self.local)
        else:
            self.client = Client(address, timeout="10s")

    @property
    def workers(self) -> int:
        return max(1, len(self.client.scheduler_info().get("workers", {})))

    def close(self) -> None:
        self.client.close()
        if self.local is not None:
            self.local.close()


class ClusterError(RuntimeError):
    """Dask is not installed, or the scheduler cannot be reached (a usage error, exit 2)."""


def dask_batch(paths: list[str], address: str, run_options: dict, workers: int = 2, chunk: int = CHUNK):
    """FileResults of `paths` in order, audited on the cluster at `address` ("local": a
    LocalCluster of `workers` processes). Connects now (raises ClusterError), audits lazily."""
    try:
        cluster = Cluster(address, workers)
    except ImportError:
        raise ClusterError("未安装 Dask：请先安装 pip install 'gkaudit[dask]'（或 dask[distributed]）") from None
    except (OSError, TimeoutError, ValueError) as error:
        raise ClusterError(f"无法连接 Dask 调度器 {address}（{type(error).__name__}）") from None
    except RuntimeError as error:  # a LocalCluster whose workers could not start
        raise ClusterError(f"无法在本机启动 Dask 集群（{error}）") from None
    return _stream(cluster, paths, run_options, chunk)


def _stream(cluster: Cluster, paths: list[str], run_options: dict, chunk: int):
    try:
        yield from _ordered(cluster, paths, run_options, chunk)
    finally:
        cluster.close()


def _ordered(cluster: Cluster, paths: list[str], run_options: dict, chunk: int):
    window = cluster.workers * 4
    pending: deque = deque()  # (a chunk's results, None where the cluster audits the file; future)
    batches = _chunks(paths, chunk)
    while True:
        while len(pending) < window and (batch := next(batches, None)) is not None:
            pending.append(_submit(cluster, batch, run_options))
        if not pending:
            return
        slots, sent, future = pending.popleft()
        yield from _gather(cluster, slots, sent, future, run_options)


def _submit(cluster: Cluster, batch: list[str], run_options: dict):
    slots = [_read(path) for path in batch]  # bytes, or the result of a file unreadable here
    sent = [(path, data) for path, data in zip(batch, slots) if not isinstance(data, FileResult)]
    future = cluster.client.submit(_audit_files, sent, run_options, pure=False, retries=1) if sent else None
    return [slot if isinstance(slot, FileResult) else None for slot in slots], [path for path, _ in sent], future


def _gather(cluster: Cluster, slots: list, sent: list[str], future, run_options: dict):
    from dask.distributed import KilledWorker

    audited: list[FileResult] = []
    if future is not None:
        try:
            audited = future.result()
        except KilledWorker:  # the chunk killed worker after worker: one file per task
            audited = [_alone(cluster, path, run_options) for path in sent]
        finally:
            future.release()
    results = iter(audited)
    for slot in slots:
        yield slot if slot is not None else next(results)


def _alone(cluster: Cluster, path: str, run_options: dict) -> FileResult:
    from dask.distributed import KilledWorker

    data = _read(path)
    if isinstance(data, FileResult):  # unreadable now (changed since it was first read)
        return data
    try:
        (result,) = cluster.client.submit(_audit_files, [(path, data)], run_options, pure=False).result()
        return result
    except KilledWorker:
        return lost_file(path)
