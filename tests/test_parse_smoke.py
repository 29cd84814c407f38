"""Every bundled seed parses into a report with its three tables."""

import pytest

from auditor.pipeline import parse_file

from .conftest import SEEDS


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_seed_has_three_tables(path):
    report = parse_file(path).report
    assert [key for key, table in report.tables.items() if table.present] == ["t2", "t3", "t4"]
    assert report.metadata.year in (2020, 2022)
