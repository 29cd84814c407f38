"""Shared test helpers: where the bundled corpus and the shared real reports are."""

from pathlib import Path

import pytest

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
