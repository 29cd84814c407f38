"""The Finding type: one problem in one report, with where it is and why it matters.

Renderers (terminal table, JSON Lines, CSV, memos) all read the same fields; a finding
carries its values (expected vs printed) and the source line it cites.
"""

import hashlib
from dataclasses import dataclass, field, fields

# "review" (需人工复核) is the severity of a reading limit: something the tool could not read
# (a file cut short, numbers it could not place, a table it could not align). It is never an
# error, never counts toward a conclusion, and is shown apart from the report's defects.
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2, "review": 3}
SEVERITY_LABEL = {"error": "错误", "warning": "警告", "info": "提示", "review": "需人工复核"}
REVIEW = "review"
FIELDS = (
    "file", "rule_id", "family", "severity", "kind", "section", "table", "row", "column", "line",
    "expected", "actual", "message", "basis", "fix",
)


@dataclass
class Finding:
    file: str
    rule_id: str
    family: str  # recon | sect | fee | tmpl | plaus | input
    severity: str  # error | warning | info
    title: str
    message: str
    basis: str = ""
    fix: str = ""
    outcome: str = ""  # fires | violated | impossible | unverifiable | input
    section: str = ""
    table: str = ""
    row: str = ""
    column: str = ""
    line: int = 0
    quote: str = ""  # the cited source line as printed
    page: int = 0  # the page the line is printed on, for paged sources (PDF); 0 otherwise
    expected: str = ""
    actual: str = ""
    body: str = ""
    year: int | None = None
    location_key: str = ""  # stable identity of the location, for fingerprints
    status: str = "new"  # new | accepted | dismissed (from a baseline)
    note: str = ""  # the baseline's reason
    # the other report a finding over two reports names (packs YEAR, COPY); "" / 0 otherwise
    other_file: str = ""
    other_line: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        """Stable across runs: rule, report identity and location. The report is known by its
        body and year, so renaming or moving the file keeps its decisions; by its file name
        only when the text names no body or no year."""
        report = f"{self.body}|{self.year}" if self.body and self.year else self.file.rsplit("/", 1)[-1]
        identity = "|".join([self.rule_id, self.outcome, report, self.location_key])
        # (a file name that is not UTF-8 reaches here as surrogate escapes: keep its bytes)
        return hashlib.sha1(identity.encode("utf-8", "surrogateescape")).hexdigest()[:16]

    @property
    def kind(self) -> str:
        """defect (of the report: the body must fix it), limit (of our reading: an inspector
        looks at the cited place) or input (the file could not be audited at all)."""
        if self.severity == REVIEW:
            return "limit"
        return "input" if self.family == "input" else "defect"

    @property
    def counts(self) -> bool:
        """Whether the finding counts toward conclusions and the exit code."""
        return self.status == "new"

    def as_dict(self) -> dict:
        out = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "extra" and (f.name not in _OPTIONAL or getattr(self, f.name))}
        out["kind"] = self.kind
        out["fingerprint"] = self.fingerprint
        return out

    def sort_key(self):
        return (self.file, self.line or 10**9, SEVERITY_ORDER.get(self.severity, 9), self.rule_id, self.location_key)


STATUSES = ("new", "accepted", "dismissed")
_OPTIONAL = ("page", "other_file", "other_line")  # in as_dict only when set


def where_of(item) -> str:
    """Where a finding points, as inspectors read it: "section / table / row / column".

    Takes a Finding or its dict form (a JSON Lines record).
    """
    get = item.get if isinstance(item, dict) else lambda key, default="": getattr(item, key, default)
    table = get("table", "") or ""
    section = get("section", "") or ""
    parts = [section, table, get("row", "") or "", get("column", "") or ""]
    return " / ".join(p for p in parts if p)
