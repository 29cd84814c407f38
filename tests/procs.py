"""Worker processes of a running `auditor audit`, found through /proc (for tests that kill one)."""

import os


def _parents() -> dict[int, int]:
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    parents[int(entry)] = int(handle.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
    return parents


def workers(pid: int) -> list[int]:
    """The spawned worker processes below `pid` (children, or deeper: Dask's nanny starts its
    worker as a grandchild)."""
    parents = _parents()
    found, frontier = [], {pid}
    while frontier:
        children = {child for child, parent in parents.items() if parent in frontier}
        found += sorted(children)
        frontier = children
    return [child for child in found if _spawned(child)]


def _spawned(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return b"spawn_main" in handle.read()
    except OSError:
        return False
