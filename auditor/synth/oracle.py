"""Expected findings of a generated report, derived from its Spec (what was printed).

This is the generator's own reading of DESIGN.md and of the rule packs' stated semantics —
written from the Spec, never from the auditor's output. Cells a layout cannot place (a row
printing fewer or more values than its columns, digits run together that split several
ways or not at all, rows left out) are unknown; a relation over unknown cells is
"cannot verify" (a reading limit, severity review, not scored) unless it fails whatever
non-negative values they take (then an error, like a plain violation). Blank and dash cells
count 0. Reading limits (rows whose numbers cannot be placed, one per table) are review.
Absence (a section, table or row not printed) is reported only where the auditor has the
evidence for it: enough template headings; a table whose section holds more than its heading;
a table most of whose rows were printed.

Each expected finding: rule, severity, where (the cell, row, section, label or figure the
finding must point at, as corpus/synthetic/README.md documents) and, where the printed
position is known, the source line it must cite.
"""

from dataclasses import dataclass
from functools import cache

from ..templates import template as template_spec
from .bodies import deadline
from .model import BLANK, DASH, PRow, Spec
from .tables import T3_COLUMNS, T4_COLUMNS

SEVERITY = {
    "RECON-001": "error", "RECON-002": "error", "RECON-003": "error", "RECON-004": "error", "RECON-005": "error",
    "RECON-006": "error", "RECON-007": "error", "RECON-008": "error", "RECON-009": "warning", "RECON-010": "review",
    "RECON-011": "review", "RECON-012": "info", "RECON-013": "review", "RECON-014": "review",
    "SECT-001": "error", "SECT-002": "warning", "SECT-003": "warning", "SECT-004": "warning", "SECT-005": "warning",
    "SECT-006": "info", "SECT-007": "error", "SECT-008": "error", "SECT-009": "warning", "SECT-010": "error",
    "SECT-011": "error", "SECT-013": "review", "SECT-014": "review", "SECT-015": "review", "SECT-016": "review", "TMPL-001": "error", "TMPL-002": "error", "TMPL-003": "warning", "TMPL-004": "warning",
    "TMPL-005": "review", "TMPL-006": "review", "FEE-001": "error", "FEE-002": "error", "FEE-003": "error", "FEE-004": "error", "FEE-005": "review",
    "PLAUS-001": "error", "PLAUS-002": "warning", "PLAUS-003": "warning", "PLAUS-004": "warning",
    "PLAUS-005": "warning", "PLAUS-006": "warning", "PLAUS-007": "warning", "PLAUS-008": "warning",
}
FIGURE_RULES = {"received": "PLAUS-002", "accepted": "PLAUS-003", "handled": "PLAUS-004", "carried_out": "PLAUS-005", "no_requests": "PLAUS-006"}
NO_REGULATIONS = ("乡镇", "街道", "县级部门")
SECTION_KEYS = ("overview", "proactive", "requests", "appeals", "problems", "other")


@dataclass
class Cell:
    value: object  # the value arithmetic uses (a lower bound when unknown)
    known: bool
    status: str  # ok | blank | unknown | missing | derived


MISSING = Cell(0, False, "missing")


class Oracle:
    def __init__(self, spec: Spec, anchors: dict):
        self.spec, self.anchors = spec, anchors
        self.found: list[dict] = []
        self.unverifiable: set[str] = set()
        template = spec.template if spec.template in ("2019", "2021") else spec.expected_template
        self.template = template  # the template the auditor maps the tables with
        self.t3_spec = template_spec(template).tables["t3"]
        self.t3 = self._read_t3()
        self.t4 = self._read_t4()

    # -- output ----------------------------------------------------------------------
    def add(self, rule: str, where: str = "", line_anchor=None, outcome: str = "", note: str = "") -> None:
        item = {"rule": rule, "severity": SEVERITY[rule], "where": where}
        if outcome == "unverifiable":
            item.update(severity="review", outcome="unverifiable", where="")
        elif outcome == "impossible":
            item["outcome"] = "impossible"
        line = self.anchors.get(line_anchor) if line_anchor else None
        if line:
            item["line"] = line
        if note:
            item["note"] = note
        self.found.append(item)

    def relation(self, rule: str, lhs: list[Cell], rhs: list[Cell], where: str, anchor, op: str = "==") -> None:
        """One instance of `sum(lhs) op sum(rhs)` (see the module docstring)."""
        left, right = sum(c.value for c in lhs), sum(c.value for c in rhs)
        unknown_left, unknown_right = any(not c.known for c in lhs), any(not c.known for c in rhs)
        holds = {"==": left == right, ">=": left >= right, "<=": left <= right}[op]
        if not unknown_left and not unknown_right:
            if not holds:
                self.add(rule, where, anchor, note=f"{left} {op} {right} fails")
            return
        impossible = False
        if op == "==" and unknown_left and not unknown_right:
            impossible = left > right
        elif op == "==" and unknown_right and not unknown_left:
            impossible = left < right
        if impossible:
            self.add(rule, where, anchor, outcome="impossible", note=f"{left} vs {right} with unknown cells")
        elif rule not in self.unverifiable:
            self.unverifiable.add(rule)
            self.add(rule, outcome="unverifiable")

    # -- reading the printed tables --------------------------------------------------------
    def _row_cells(self, row: PRow | None, columns: tuple[str, ...]) -> dict[str, Cell]:
        return row_cells(row, columns)

    def _read_t3(self) -> dict[str, dict[str, Cell]]:
        table = self.spec.tables["t3"]
        out: dict[str, dict[str, Cell]] = {}
        self.t3_printed: dict[str, bool] = {}
        for item in self.t3_spec.rows:
            if item.heading:
                continue
            row = table.row(item.key) if table.present else None
            if item.sum_of and (row is None or item.key not in table.subtotals_printed):
                continue
            out[item.key] = self._row_cells(row, T3_COLUMNS)
            self.t3_printed[item.key] = row is not None
        if table.present and table.row("other") is not None and "other" not in out:
            out["other"] = self._row_cells(table.row("other"), T3_COLUMNS)  # the 2019 form in a 2021 table
            self.t3_printed["other"] = True
        for item in self.t3_spec.rows:
            if item.sum_of and item.key not in out:
                parts = [out.get(p, {c: MISSING for c in T3_COLUMNS}) for p in item.sum_of]
                derived = {}
                for col in T3_COLUMNS:
                    cells = [p[col] for p in parts]
                    known = all(c.known for c in cells)
                    status = "derived" if known else ("unknown" if any(c.status != "missing" for c in cells) else "missing")
                    derived[col] = Cell(sum(c.value for c in cells if c.known), known, status)
                out[item.key] = derived
                self.t3_printed[item.key] = False
        return out

    def _read_t4(self) -> dict[str, dict[str, Cell]]:
        table = self.spec.tables["t4"]
        if not table.present:
            return {r.key: {c: MISSING for c in T4_COLUMNS} for r in template_spec(self.template).tables["t4"].rows}
        if not table.transposed and any(r.short or r.long or r.split in ("ambiguous", "impossible") for r in table.rows):
            # the fifteen values print as one row: a lost position loses them all
            return {row.key: {c: Cell(0, False, "unknown") for c in T4_COLUMNS} for row in table.rows}
        return {row.key: self._row_cells(row, T4_COLUMNS) for row in table.rows}

    # -- the rules ---------------------------------------------------------------------
    def run(self) -> list[dict]:
        self.recon()
        self.sections()
        self.template_rules()
        self.fee()
        self.plausibility()
        return self.found

    def recon(self) -> None:
        t3 = self.t3
        for col in T3_COLUMNS:
            self.relation("RECON-001", [t3["received"][col], t3["carried_in"][col]], [t3["results_total"][col], t3["carried_out"][col]],
                          f"t3.results_total.{col}", ("cell", "t3", "results_total", col))
        for item in self.t3_spec.rows:
            if item.heading or not self.t3_printed.get(item.key):
                continue
            row = t3[item.key]
            if all(c.status == "missing" for c in row.values()):
                continue
            self.relation("RECON-002", [row["total"]], [row[c] for c in T3_COLUMNS[:6]], f"t3.{item.key}.total", ("cell", "t3", item.key, "total"))
        results = ("granted", "partial", "denied", "unable", "rejected", "other")
        for col in T3_COLUMNS:
            self.relation("RECON-003", [t3["results_total"][col]], [t3[r][col] for r in results], f"t3.results_total.{col}", ("cell", "t3", "results_total", col))
        for item in self.t3_spec.rows:
            if not item.sum_of or not self.t3_printed.get(item.key) or not all(self.t3_printed.get(p) for p in item.sum_of):
                continue
            for col in T3_COLUMNS:
                self.relation("RECON-004", [t3[item.key][col]], [t3[p][col] for p in item.sum_of], f"t3.{item.key}.{col}", ("cell", "t3", item.key, col))
        t4_table = self.spec.tables["t4"]
        if t4_table.present:
            for row in t4_table.rows:
                cells = self.t4[row.key]
                self.relation("RECON-005", [cells["total"]], [cells[c] for c in T4_COLUMNS[:4]], f"t4.{row.key}.total", ("cell", "t4", row.key, "total"))
        t2 = self.spec.tables["t2"]
        if self.template == "2019":
            for key in ("licensing", "other_services", "penalty", "enforcement", "admin_fees"):
                row = t2.row(key)
                cells = self._row_cells(row, ("prev_count", "change"))
                self.relation("RECON-006", [cells["prev_count"], cells["change"]], [Cell(0, True, "ok")], f"t2.{key}.prev_count",
                              ("cell", "t2", key, "prev_count"), op=">=")
        self._row_rules()

    def _row_rules(self) -> None:
        """RECON-007 … RECON-014: one finding per printed row with the problem."""
        for table_key in ("t2", "t3", "t4"):
            table = self.spec.tables[table_key]
            if not table.present:
                continue
            rows = table.all_rows()
            t4_lost = table_key == "t4" and not table.transposed and any(r.short or r.long for r in rows)
            block_of = {id(r): b.template for b in table.blocks for r in b.rows}
            for row in rows:
                row_signed, row_amounts = _column_kinds(block_of.get(id(row), self.template))
                where, anchor = f"{table_key}.{row.key}", ("row", table_key, row.key)
                positions_lost = row.short or row.long or row.split in ("ambiguous", "impossible") or t4_lost
                if not positions_lost:
                    negatives = fractions = 0
                    for col, cell in zip(row.columns, row.cells):
                        if cell.form != "num" or cell.value is None:
                            continue
                        negatives += cell.value < 0 and col not in row_signed.get(table_key, ())
                        fractions += col not in row_amounts.get(table_key, ()) and cell.value != int(cell.value)
                    if negatives:
                        self.add("RECON-007", where, anchor)
                    if fractions:
                        self.add("RECON-008", where, anchor)
                blanks = sum(1 for c in row.cells if c.form in (BLANK, DASH))
                if table_key == "t4" and t4_lost:
                    continue  # reported once for the fifteen values, below
                if blanks and not row.split:
                    self.add("RECON-009", where, anchor)
                per_row = table_key != "t4" or table.transposed
                if row.short and per_row:
                    self.add("RECON-010", where, anchor)
                if row.long and per_row:
                    self.add("RECON-011", where, anchor)
                if row.split == "ambiguous":
                    self.add("RECON-013", where, anchor)
                if row.split == "impossible":
                    self.add("RECON-014", where, anchor)
            if table_key == "t4" and not table.transposed:
                # the fifteen values are one printed row: its length is reported once, on the first group
                if t4_lost and any(c.form in (BLANK, DASH) for r in rows for c in r.cells):
                    self.add("RECON-009", "t4.review", ("row", "t4", "review"))
                if any(r.short for r in rows):
                    self.add("RECON-010", "t4.review", ("row", "t4", "review"))
                if any(r.long for r in rows):
                    self.add("RECON-011", "t4.review", ("row", "t4", "review"))

    def sections(self) -> None:
        spec = self.spec
        kept = []
        for section in spec.sections:
            if section.key is None and kept and section.number <= kept[-1].number:
                continue  # a sub-heading: folded into the section before it
            if section.key is None and spec.layout == "run-together":
                continue  # running text: only the template's headings can be found in it
            kept.append(section)
        present = {s.key for s in kept if s.key}
        for key in SECTION_KEYS:
            if key not in present and len(present) >= 3:  # fewer: the structure was not read (SECT-014)
                self.add("SECT-001", f"section:{key}")
        previous = 0
        for order, section in enumerate(kept, 1):
            anchor = ("section", section.key or section.numeral)
            if section.key is None:
                self.add("SECT-004", f"section:{order}", anchor)
                continue
            expected_number = SECTION_KEYS.index(section.key) + 1
            where = f"section:{section.key}"
            holds_table = key_holds_table(section.key)
            if not _has_content(section) and not (section is kept[-1] and spec.signature) and not holds_table:
                self.add("SECT-002", where, anchor)
            if section.number != expected_number:
                self.add("SECT-003", where, anchor)
            if expected_number < previous:
                self.add("SECT-005", where, anchor)
            if section.variant == "alias":
                self.add("SECT-006", f"label:section.{section.key}", anchor)
            previous = max(previous, expected_number)
        homes = {s.key: s for s in kept if s.key}
        for key in ("t2", "t3", "t4"):
            home = homes.get(TABLE_SECTIONS[key])
            if not spec.tables[key].present and not (home is not None and not _has_content(home)):
                self.add("SECT-007", f"table:{key}")  # (a bare heading in its place: SECT-015, review)
        self._missing_rows()
        if not spec.title:
            self.add("SECT-009")

    def _missing_rows(self) -> None:
        spec = self.spec
        t2, t3 = spec.tables["t2"], spec.tables["t3"]
        if t2.present:
            for item in template_spec(self.template).tables["t2"].all_rows():
                if t2.row(item.key) is None:
                    self.add("SECT-008", f"t2.{item.key}")
        if t3.present:
            parents = {p: item.key for item in self.t3_spec.rows for p in item.sum_of}
            for item in self.t3_spec.rows:
                if item.heading or item.sum_of or t3.row(item.key) is not None:
                    continue
                parent = parents.get(item.key)
                if parent and parent in (t3.subtotals_printed | ({"other"} if t3.row("other") else set())):
                    continue  # covered by its printed subtotal
                self.add("SECT-008", f"t3.{item.key}")

    def template_rules(self) -> None:
        spec = self.spec
        if spec.template == "mixed":
            self.add("TMPL-002")
        elif spec.template != spec.expected_template:
            self.add("TMPL-001")
        t3 = spec.tables["t3"]
        single = t3.row("other") is not None
        detail = any(t3.row(k) is not None for k in ("other_1", "other_2", "other_3"))
        conflict = ""
        if self.template == "2021" and single and not detail:
            conflict = "2019"
        elif self.template == "2019" and detail:
            conflict = "2021"
        if conflict and conflict != spec.expected_template:
            element = "(六)其他处理" if conflict == "2019" else "(六)其他处理1-3"
            anchor_row = "other" if conflict == "2019" else next(k for k in ("other_1", "other_2", "other_3") if t3.row(k))
            self.add("TMPL-003", f"conflict:t3:{element}", ("row", "t3", anchor_row))
        seen = set()
        for table in spec.tables.values():
            if not table.present:
                continue
            for key, printed, variant in [c for b in table.blocks for c in b.columns] + table.columns:
                if variant and (table.key, key, printed) not in seen:
                    seen.add((table.key, key, printed))
                    self.add("TMPL-004", f"label:{table.key}.{key}", ("label", table.key, key, printed))
            for row in table.all_rows():
                if row.variant and (table.key, row.key, row.label) not in seen:
                    seen.add((table.key, row.key, row.label))
                    self.add("TMPL-004", f"label:{table.key}.{row.key}", ("label", table.key, row.key, row.label))

    def fee(self) -> None:
        spec, fee = self.spec, self.spec.fee
        if spec.year < 2021:
            return
        stated = fee.style != "absent"
        none = fee.style == "none"
        notices = None if none or not stated else fee.notices
        notified = None if none or not stated else fee.notified
        collected = 0 if none else (fee.collected if stated else None)
        anchor = ("fee",)
        if not stated:
            self.add("FEE-001", "fee")
        if collected is not None and notified is not None and collected > notified:
            self.add("FEE-002", "fee", anchor)
        if notices == 0 and ((notified or 0) > 0 or (collected or 0) > 0):
            self.add("FEE-003", "fee", anchor)
        other_2 = self.t3.get("other_2", {}).get("total", MISSING)
        if self.template == "2021" and other_2.known and other_2.value > 0 and not notices:
            self.add("FEE-004", "t3.other_2.total", ("cell", "t3", "other_2", "total"))

    def plausibility(self) -> None:
        spec, t3 = self.spec, self.t3
        regulations = self._row_cells(spec.tables["t2"].row("regulations"), _regulation_columns(self.template))
        if spec.level in NO_REGULATIONS and all(c.known for c in regulations.values()) and sum(c.value for c in regulations.values()) > 0:
            first = _regulation_columns(self.template)[0]
            self.add("PLAUS-001", "t2.regulations", ("cell", "t2", "regulations", first))
        received, carried_in = t3["received"]["total"], t3["carried_in"]["total"]
        results_total, carried_out = t3["results_total"]["total"], t3["carried_out"]["total"]
        for figure in spec.figures:
            value, wrong = figure.value, False
            if figure.measure in ("received", "accepted"):
                known = received.known and carried_in.known
                wrong = known and value not in (received.value, received.value + carried_in.value)
            elif figure.measure == "handled":
                known = results_total.known and carried_out.known and received.known
                wrong = known and value not in (results_total.value, results_total.value + carried_out.value, received.value)
            elif figure.measure == "carried_out":
                wrong = carried_out.known and value != carried_out.value
            elif figure.measure == "no_requests":
                wrong = received.known and received.value > 0
            if wrong:
                self.add(FIGURE_RULES[figure.measure], f"figure:{figure.measure}", figure.anchor)
        if spec.published:
            published = int(spec.published.replace("-", ""))
            due = int(deadline(spec.level, spec.year).strftime("%Y%m%d"))
            if published > due:
                self.add("PLAUS-007")
            if published < (spec.year + 1) * 10000 + 101:
                self.add("PLAUS-008")


def row_cells(row: PRow | None, columns: tuple[str, ...]) -> dict[str, Cell]:
    """The cells of a printed row as the auditor can read them (see the module docstring)."""
    if row is None:
        return {c: MISSING for c in columns}
    if row.short or row.long or row.split in ("ambiguous", "impossible"):
        return {c: Cell(0, False, "unknown") for c in columns}
    out = {}
    for col in columns:
        if col not in row.columns:
            out[col] = MISSING
            continue
        cell = row.cells[row.columns.index(col)]
        if cell.form in (BLANK, DASH):
            out[col] = Cell(0, True, "blank")
        else:
            out[col] = Cell(cell.value, True, "ok")
    return out


TABLE_SECTIONS = {"t2": "proactive", "t3": "requests", "t4": "appeals"}


def key_holds_table(key: str | None) -> bool:
    return key in TABLE_SECTIONS.values()


def _has_content(section) -> bool:
    return any((not isinstance(b, str) and b.text) or isinstance(b, str) for b in section.blocks)


@cache
def _column_kinds(template: str) -> tuple[dict, dict]:
    spec = template_spec(template)
    signed, amounts = {}, {}
    for key, table in spec.tables.items():
        columns = table.columns + tuple(c for b in table.blocks for c in b.columns)
        signed[key] = {c.key for c in columns if c.signed}
        amounts[key] = {c.key for c in columns if c.amount}
    return signed, amounts


def _regulation_columns(template: str) -> tuple[str, ...]:
    return ("issued", "repealed", "in_force") if template == "2021" else ("new_made", "new_published", "total_published")


def expected_findings(spec: Spec, anchors: dict) -> list[dict]:
    return Oracle(spec, anchors).run()

