"""The typed Report model the facts stage builds from a parse tree.

Everything carries the source line it came from, so every finding can cite it. A cell
records how it was printed: a value, blank (the template wants a number), unknown (its
position was lost, e.g. a row printing fewer values than its header), missing (the row is
not in the report) or derived (a subtotal row the report does not print, summed from its
sub-rows). Cells are never padded with zeros or guessed silently.
"""

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

OK, BLANK, UNKNOWN, MISSING, DERIVED = "ok", "blank", "unknown", "missing", "derived"
QUOTE_WIDTH = 120  # characters of a source line a finding quotes
KNOWN_STATUSES = (OK, BLANK, DERIVED)


@dataclass
class Cell:
    table: str
    row: str
    col: str
    value: int | Decimal | None = None
    raw: str = ""
    line: int = 0
    status: str = MISSING

    @property
    def known(self) -> bool:
        return self.status in KNOWN_STATUSES

    @property
    def number(self) -> int | Decimal:
        """The value for arithmetic: 0 for blank; for unknown cells a lower bound (0)."""
        return self.value if self.value is not None else 0


@dataclass
class Row:
    table: str
    key: str
    label: str  # as printed ("" when the row is missing or printed without a label)
    expected: str  # the template's label
    match: str  # exact | alias | fuzzy | position | missing
    line: int = 0
    printed: int = 0  # values printed
    expected_cells: int = 0
    split: str = ""  # digits run together: unique | by_total | ambiguous | impossible
    blanks: int = 0  # printed cells left blank (or "-", "/")
    cells: dict[str, Cell] = field(default_factory=dict)

    @property
    def present(self) -> bool:
        return self.match != "missing"

    @property
    def short(self) -> bool:
        return self.present and self.split == "" and 0 < self.printed < self.expected_cells

    @property
    def long(self) -> bool:
        return self.present and self.printed > self.expected_cells

    @property
    def unplaceable(self) -> bool:
        """Its numbers could not be placed under their columns (too few, too many, or digits
        run together that split several ways or none): its cells are unknown."""
        return self.short or self.long or self.split in ("ambiguous", "impossible")

    @property
    def blank_cols(self) -> list[str]:
        return [c.col for c in self.cells.values() if c.status == BLANK]

    @property
    def has_values(self) -> bool:
        return any(c.status in (OK, BLANK, UNKNOWN) for c in self.cells.values())


@dataclass
class Table:
    key: str
    label: str
    template: str = ""  # the template this table's labels follow
    line: int = 0
    present: bool = False
    header: list[str] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)  # template columns the header never names
    rows: dict[str, Row] = field(default_factory=dict)

    def cell(self, row: str, col: str) -> Cell | None:
        found = self.rows.get(row)
        return found.cells.get(col) if found else None


@dataclass
class Section:
    order: int  # position among the headings printed, from 1
    numeral: str  # as printed: 一, 二, ...
    number: int  # numeral as an int
    heading: str  # the heading text after the numeral
    key: str  # template section key, or "" when not a template section
    match: str  # exact | alias | fuzzy | none
    line: int
    end_line: int = 0
    content_lines: int = 0  # lines of prose or table under the heading
    expected_number: int = 0  # where the template puts this section (0: not a template section)

    @property
    def has_content(self) -> bool:
        return self.content_lines > 0


@dataclass
class Deviation:
    """A printed label that matched the template only through an alias or fuzzily."""

    kind: str  # row | column | section | caption
    table: str
    key: str  # canonical key of the row/column/section
    printed: str
    expected: str
    match: str  # alias | fuzzy
    line: int  # where it is first printed
    count: int = 1  # times the same label is printed this way


@dataclass
class Figure:
    """A figure quoted in the prose, e.g. 共收到政府信息公开申请35件."""

    measure: str  # received | handled | carried_out | appeals | ...
    value: int
    line: int
    text: str


@dataclass
class Fee:
    """信息处理费 disclosure found in the report."""

    notices: Cell | None = None
    notified: Cell | None = None
    collected: Cell | None = None
    none_stated: bool = False  # an explicit "未收取信息处理费"
    line: int = 0
    source: str = ""  # table | prose | ""
    mention_line: int = 0  # first line that speaks of the fee at all (read or not)

    @property
    def disclosed(self) -> bool:
        return self.none_stated or any(c is not None for c in (self.notices, self.notified, self.collected))


@dataclass
class Metadata:
    title: str = ""
    title_line: int = 0
    body: str = ""
    body_line: int = 0
    year: int | None = None
    year_line: int = 0
    level: str = "unknown"
    published: str = ""  # ISO date when printed
    published_line: int = 0
    template: str = "unknown"  # 2019 | 2021 | mixed | unknown
    expected_template: str = ""
    template_votes: dict = field(default_factory=dict)
    template_conflicts: list = field(default_factory=list)


@dataclass
class Report:
    path: str
    encoding: str = ""
    format: str = ""
    layout: str = ""
    size: int = 0
    metadata: Metadata = field(default_factory=Metadata)
    sections: list[Section] = field(default_factory=list)
    tables: dict[str, Table] = field(default_factory=dict)
    deviations: list[Deviation] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    fee: Fee = field(default_factory=Fee)
    notes: list[str] = field(default_factory=list)
    source_lines: list[str] = field(default_factory=list, repr=False)
    last_line: int = 0  # last source line with content
    truncated_at: int = 0  # where the text stops mid-report (a truncated file), else 0
    undecodable_lines: tuple[int, ...] = ()  # lines with stray bytes shown as U+FFFD
    pages: tuple[int, ...] = field(default=(), repr=False)  # a paged source's page of each line
    image_pages: tuple[int, ...] = ()  # a PDF's pages that are pictures: not read

    def page_of(self, line: int) -> int:
        """The page (1-based) a source line is printed on; 0 for unpaged sources or no line."""
        return self.pages[line - 1] if 1 <= line <= len(self.pages) else 0

    def quote(self, line: int, near: str = "") -> str:
        """The source line as printed (for memos), or "" when out of range. A long line (a
        whole page run together) is cut to the words around `near` when they are on it."""
        if not 1 <= line <= len(self.source_lines):
            return ""
        text = self.source_lines[line - 1].strip()
        if len(text) <= QUOTE_WIDTH:
            return text
        # labels are kept NFKC-normalised ("(一)"), the source line as printed ("（一）")
        at = unicodedata.normalize("NFKC", text).find(near) if near else -1
        start = max(0, at - QUOTE_WIDTH // 4) if at >= 0 else 0
        return ("…" if start else "") + text[start : start + QUOTE_WIDTH] + "…"

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)
