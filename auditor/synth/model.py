"""The model of one generated report: the truth every renderer prints and the oracle reads.

A `Spec` holds what the report says, as printed: the issuing body and its level, the report
year, the template each table follows, every table row with its printed label and printed
cells (a cell knows its value and how it was printed: a number, a blank, a dash, or not at
all), the sections in print order with their headings and paragraphs, the figures quoted in
the prose, the fee statement and the publication date. Defects edit a Spec; renderers turn
it into text in one layout; the oracle (synth.oracle) derives the expected findings from it.
Nothing here is ever read back from the auditor.
"""

from dataclasses import dataclass, field
from decimal import Decimal

Number = int | Decimal

# How a cell was printed.
NUM, BLANK, DASH = "num", "blank", "dash"


@dataclass
class PCell:
    value: Number | None  # None: printed blank or dash
    form: str = NUM  # num | blank | dash
    text: str = ""  # the text as printed for NUM cells (e.g. "+2", "326.5万元")


@dataclass
class PRow:
    """A printed table row: its template key, the label as printed, its cells as printed."""

    table: str  # t2 | t3 | t4
    key: str
    label: str  # as printed (with numbering), "" for rows printed without a label
    expected: str  # the template's label (with numbering where the template numbers it)
    cells: list[PCell]
    columns: tuple[str, ...]  # the template columns of this row (keys)
    variant: bool = False  # label printed as a variant of the template's (a deviation)
    short: bool = False  # prints fewer cells than its columns (positions lost)
    long: bool = False  # prints more cells than its columns
    group: str = ""  # t3: the group label printed before it ("(三)不予公开"), if any
    run: str = ""  # run-together: the digits as printed (set by the renderer's planner)
    split: str = ""  # run-together: unique | ambiguous | impossible (planned, see synth.runs)

    def values(self) -> list[Number | None]:
        return [c.value for c in self.cells]


@dataclass
class PBlock:
    """A block of table 二: caption, header, rows, in one template's form."""

    numeral: str  # 一 五 六 八 九
    template: str  # the template whose columns and rows this block prints
    columns: list[tuple[str, str, bool]]  # (key, printed label, variant)
    rows: list[PRow]


@dataclass
class PTable:
    key: str  # t2 | t3 | t4 | fee
    template: str
    present: bool = True
    blocks: list[PBlock] = field(default_factory=list)  # t2
    rows: list[PRow] = field(default_factory=list)  # t3 (print order), t4 (three groups)
    columns: list[tuple[str, str, bool]] = field(default_factory=list)  # t3/t4 header: (key, printed, variant)
    subtotals_printed: set = field(default_factory=set)  # t3 subtotal rows printed with values
    transposed: bool = False  # t4: one labelled row per group instead of one row of fifteen

    def row(self, key: str) -> PRow | None:
        for block in self.blocks:
            for row in block.rows:
                if row.key == key:
                    return row
        return next((r for r in self.rows if r.key == key), None)

    def all_rows(self) -> list[PRow]:
        return [r for b in self.blocks for r in b.rows] + list(self.rows)


@dataclass
class Figure:
    """A figure the prose quotes, as the auditor's vocabulary names its measure."""

    measure: str  # received | accepted | handled | carried_out | no_requests
    value: int
    anchor: str  # id of the paragraph phrase (for the cited line)


@dataclass
class Para:
    text: str
    anchors: dict = field(default_factory=dict)  # anchor -> character offset in text
    keep: tuple = ()  # (start, end) spans a hard wrap must not cut (figure phrases)
    source: tuple = ()  # (template, values, quotes figures): how prose.fill wrote it (a copied report refills it)


@dataclass
class Section:
    key: str | None  # template section key, or None for a heading the template does not have
    numeral: str  # as printed: 一 … 七
    heading: str  # heading text after the numeral, as printed
    variant: str = ""  # "alias": a listed alias / pattern form (SECT-006, info); "" exact
    blocks: list = field(default_factory=list)  # Para | "t2" | "t3" | "t4" | "fee"

    @property
    def number(self) -> int:
        return "一二三四五六七八九十".index(self.numeral) + 1


@dataclass
class Fee:
    """The 信息处理费 statement: how (none | zeros | values | table | absent) and its figures."""

    style: str = "absent"
    notices: int | None = None
    notified: Number | None = None
    collected: Number | None = None
    section: str = "other"  # section key holding the statement


@dataclass
class Spec:
    index: int
    seed: int
    layout: str
    style: str  # a layout's variant (e.g. run-together "page" or "lines")
    year: int
    template: str  # the template the tables follow: 2019 | 2021 | mixed
    expected_template: str  # the template of the report year
    body: str
    short_body: str
    level: str
    title: str  # "" when the report prints no title
    title_split: bool = False  # title broken over two lines (body / year+rest)
    published: str = ""  # ISO date, "" when not printed
    published_style: str = ""  # labelled | closing | both
    tables: dict[str, PTable] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)
    preamble: list[Para] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    fee: Fee = field(default_factory=Fee)
    chrome_before: list[str] = field(default_factory=list)
    chrome_after: list[str] = field(default_factory=list)
    signature: list[str] = field(default_factory=list)  # closing lines (body, date)
    noise: dict = field(default_factory=dict)  # noise switches: fullwidth, spaces, …
    encoding: str = "utf-8"  # utf-8 | utf-8-sig | gb18030
    newline: str = "\n"  # "\n" or "\r\n"
    numbering: str = "、"  # section numbering mark: 一、 or 一.
    cn_date: bool = False  # the signature date in Chinese numerals (二〇二三年一月十八日)
    defects: list[str] = field(default_factory=list)  # defect kinds injected
    notes: list[str] = field(default_factory=list)  # what the defects did, for people
    series: dict = field(default_factory=dict)  # a report of a series: id, position, values before defects (synth.series)

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)
