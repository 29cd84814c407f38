"""Shared test helpers: where the bundled corpus and the shared real reports are."""

import os
from pathlib import Path

import pytest

# Small test batches still go through the worker processes when a test asks for --jobs N
# (the tool would audit them in one process: auditor.parallel.workers_for).
os.environ["GKAUDIT_FILES_PER_WORKER"] = "1"

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Real reports of one body for seven years; used in place and skipped where absent.
REAL = ROOT.parent / "shared" / "real" / "pingtan"


def seed(prefix: str) -> Path:
    """The seed report whose file name starts with `prefix` (e.g. "001")."""
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path


@pytest.fixture
def real_dir() -> Path:
    if not REAL.is_dir():
        pytest.skip("../shared/real is not available on this machine")
    return REAL
