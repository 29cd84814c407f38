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
    from .audit import audit_file

    result = audit_file(path, _engine())
    findings = [{**{name: getattr(f, name) for name in FIELDS}, "kind": f.kind, "page": f.page} for f in result.findings]
    meta = result.report.metadata if result.report else None
    metadata = {name: getattr(meta, name, None) for name in METADATA} if meta else {}
    return findings, metadata
