"""One file through the real audit path with the default rule packs, as the measuring
instruments read it (auditor.eval on generated reports, auditor.realeval on real ones):
findings as plain dicts, and the metadata the auditor read."""

from functools import cache

METADATA = ("year", "body", "level", "template", "published")
FIELDS = ("rule_id", "severity", "outcome", "location_key", "line", "message", "table", "row", "column")


@cache
def _engine():
    from .engine.packs import load_rules
    from .engine.session import Engine

    return Engine(load_rules())


def audit_one(path: str) -> tuple[list[dict], dict]:
    """The findings of one report, through the same path `auditor audit` takes, and the
    metadata the auditor read (body, year, level, template, publication date)."""
    findings, metadata, _ = audit_carry(path)
    return findings, metadata


def audit_carry(path: str) -> tuple[list[dict], dict, object]:
    """audit_one's findings and metadata, and the report's carry summary (what the cross
    pass of a batch reads: crossyear/summary.py; None when it could not be made)."""
    from .audit import audit_file

    result = audit_file(path, _engine())
    findings = [finding_dict(f) for f in result.findings]
    meta = result.report.metadata if result.report else None
    metadata = {name: getattr(meta, name, None) for name in METADATA} if meta else {}
    return findings, metadata, result.carry


def finding_dict(finding) -> dict:
    return {**{name: getattr(finding, name) for name in FIELDS}, "kind": finding.kind, "page": finding.page}


def rules() -> list:
    """The default rule packs (the cross pass compiles YEAR and COPY from the same list)."""
    return _engine().rules
