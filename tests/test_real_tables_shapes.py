"""Statistical tables in the shapes real reports print them, and near misses.

Each fixture under tests/fixtures/real_shapes/ is a small text written by hand in the shape
of a real layout (none is a copy of a real report):
1. 表四 printed as three small tables, one per group (or 行政复议 + 行政诉讼 of ten values);
2. one cell per line from HTML: empty cells as a pipe alone (or as blank lines of their
   own), pipes broken off their cells, filler lines of pipes;
3. `pdftotext -layout` text (and markdown made from PDF): labels wrapped around their
   values, values alone on a line, merged cells beside the rows, header words reflowed
   across lines;
4. the template told by 表二's header words even when PDF text runs them together;
and a page cut in the middle of a row. Each shape has a near miss that must not be read
the new way: where positions cannot be told, cells stay unknown, never shifted.
"""

from decimal import Decimal
from pathlib import Path

import pytest

from auditor.model import BLANK, OK, UNKNOWN
from auditor.normalize import normalize
from auditor.pipeline import parse_file

SHAPES = Path(__file__).resolve().parent / "fixtures" / "real_shapes"
T3 = ("natural", "commercial", "research", "charity", "legal", "other_org", "total")
T4 = ("upheld", "corrected", "other", "pending", "total")


def report(name: str):
    return parse_file(SHAPES / name).report


def values(rep, table: str, row: str) -> list:
    """The row's cells: the value where known, None where unknown or missing."""
    return [cell.value if cell.known else None for cell in rep.tables[table].rows[row].cells.values()]


def statuses(rep, table: str, row: str) -> list:
    return [cell.status for cell in rep.tables[table].rows[row].cells.values()]


# --- 1. table 四 as three small tables -----------------------------------------------------

SMALL_TABLES = {
    "t4_small_tables_cells.txt": ([1, 1, 0, 0, 2], [1, 0, 0, 0, 1], [2, 0, 1, 0, 3]),
    "t4_small_tables_pipes.txt": ([3, 1, 0, 1, 5], [1, 0, 1, 0, 2], [0, 1, 0, 0, 1]),
    "t4_small_tables_pdf.txt": ([4, 2, 1, 0, 7], [2, 0, 0, 1, 3], [0, 0, 1, 0, 1]),
}


@pytest.mark.parametrize("name", sorted(SMALL_TABLES))
def test_t4_printed_as_small_tables_is_read_per_group(name):
    rep = report(name)
    review, direct, after = SMALL_TABLES[name]
    assert values(rep, "t4", "review") == review
    assert values(rep, "t4", "suit_direct") == direct
    assert values(rep, "t4", "suit_after") == after
    assert not [d for d in rep.deviations if d.table == "t4"]  # the small tables' headers are the template's
    assert not rep.tables["t3"].present  # "总计" printed three times does not make a table 三


def test_t4_small_table_naming_no_group_leaves_its_values_unknown():
    # near miss: the second and third small tables are captioned only 行政诉讼: which group
    # each is cannot be told, so their values are not given to any group
    rep = report("t4_small_tables_unnamed.txt")
    assert values(rep, "t4", "review") == [3, 1, 0, 1, 5]
    assert values(rep, "t4", "suit_direct") == [None] * 5
    assert values(rep, "t4", "suit_after") == [None] * 5


def test_t4_header_truncated_in_a_cell_layout_is_still_a_deviation():
    # near miss: outside PDF text a header cell is printed as the page prints it; "结果" for
    # 结果纠正 is the report's truncation, not the extraction's
    rep = report("t4_truncated_header_cells.txt")
    assert [(d.table, d.key, d.printed) for d in rep.deviations] == [("t4", "corrected", "结果")]
    assert values(rep, "t4", "review") == [1, 0, 0, 0, 1]


# --- 2. one cell per line, pipes ------------------------------------------------------------


def test_empty_cells_printed_as_a_pipe_alone_are_blank_cells():
    rep = report("pipe_empty_cells.txt")
    assert values(rep, "t3", "received") == [3, 0, 0, 0, 1, 0, 4]
    assert statuses(rep, "t3", "received") == [OK, BLANK, BLANK, BLANK, OK, BLANK, OK]
    assert values(rep, "t3", "carried_in") == [0] * 7
    assert statuses(rep, "t3", "carried_in") == [BLANK] * 6 + [OK]
    assert values(rep, "t3", "granted") == [2, 0, 0, 0, 1, 0, 3]
    assert values(rep, "t2", "normative_docs") == [2, 0, 9]
    assert statuses(rep, "t2", "regulations") == [BLANK] * 3  # "/" printed in each cell
    assert values(rep, "t2", "licensing") == [17]
    assert not [r for r in rep.tables["t3"].rows.values() if r.short]


def test_pipes_broken_off_their_cells_and_filler_lines_do_not_end_rows():
    rep = report("pipe_broken_cells.txt")
    assert values(rep, "t2", "regulations") == [0, 0, 1]
    assert values(rep, "t2", "normative_docs") == [3, 0, 8]
    assert values(rep, "t3", "received") == [5, 1, 0, 0, 0, 0, 6]
    assert values(rep, "t3", "carried_in") == [0] * 7


def test_a_pipe_alone_after_every_closed_cell_leaves_rows_unknown():
    # near miss: after "0 |" a pipe alone may be an empty cell or a separator; the rows
    # print too many cells for their columns and stay unknown, never shifted
    rep = report("pipe_every_cell.txt")
    assert values(rep, "t2", "regulations") == [None] * 3
    assert values(rep, "t2", "normative_docs") == [None] * 3


def test_empty_cells_printed_as_blank_lines_are_blank_cells():
    # one cell per line with one blank line after each: "一、本年新收…", seven blank lines
    # and " 0" is six empty cells and the total
    rep = report("cells_blank_lines.txt")
    assert values(rep, "t3", "received") == [0] * 7
    assert statuses(rep, "t3", "received") == [BLANK] * 6 + [OK]
    assert values(rep, "t3", "carried_in") == [0] * 7
    assert values(rep, "t2", "licensing") == [3, 0, 12]


def test_blank_lines_hold_no_empty_cells_where_two_separate_every_cell():
    # near miss: where two blank lines follow every cell, a longer run says nothing sure
    rep = report("cells_double_blank_lines.txt")
    assert values(rep, "t3", "received") == [None] * 7
    assert values(rep, "t3", "carried_in") == [0] * 7
    assert values(rep, "t2", "licensing") == [3, 0, 12]


def test_a_pipe_alone_before_a_label_still_opens_a_row():
    # near miss: "| " lines opening rows (" 规章  | ") are no empty cells
    text = "二、主动公开政府信息情况\n| \n 规章  | \n 0  | \n 1  | \n 2  | \n| \n 行政规范性文件  | \n 3  | \n"
    kinds = [(line.kind, line.text) for line in normalize(text).lines]
    assert ("cell", "") not in kinds
    assert kinds[1:5] == [("cell", "规章"), ("cell", "0"), ("cell", "1"), ("cell", "2")]
    assert kinds[5][0] == "rowsep" and kinds[6] == ("cell", "行政规范性文件")


# --- 3. PDF layout text ------------------------------------------------------------------------

PDF_T3 = {
    "received": [40, 2, 0, 0, 1, 0, 43], "carried_in": [3, 0, 0, 0, 0, 0, 3],
    "granted": [20, 1, 0, 0, 0, 0, 21], "partial": [5, 0, 0, 0, 1, 0, 6],
    "denied_1": [0] * 7, "denied_2": [1, 0, 0, 0, 0, 0, 1], "denied_3": [0] * 7, "denied_4": [2, 0, 0, 0, 0, 0, 2],
    "denied_5": [0] * 7, "denied_6": [0] * 7, "denied_7": [1, 0, 0, 0, 0, 0, 1], "denied_8": [0] * 7,
    "unable_1": [6, 1, 0, 0, 0, 0, 7], "unable_2": [2, 0, 0, 0, 0, 0, 2], "unable_3": [0] * 7,
    "rejected_1": [1, 0, 0, 0, 0, 0, 1], "rejected_2": [0] * 7, "rejected_3": [0] * 7, "rejected_4": [0] * 7,
    "rejected_5": [1, 0, 0, 0, 0, 0, 1],
    "other_1": [1, 0, 0, 0, 0, 0, 1], "other_2": [0] * 7, "other_3": [2, 0, 0, 0, 0, 0, 2],
    "results_total": [42, 2, 0, 0, 1, 0, 45], "carried_out": [1, 0, 0, 0, 0, 0, 1],
    # subtotals the report does not print, summed from their sub-rows
    "denied": [4, 0, 0, 0, 0, 0, 4], "unable": [8, 1, 0, 0, 0, 0, 9], "rejected": [2, 0, 0, 0, 0, 0, 2],
    "other": [3, 0, 0, 0, 0, 0, 3],
}


def test_pdf_text_labels_wrapped_around_their_values_are_read():
    rep = report("pdf_layout_2021.txt")
    assert rep.layout == "pdf-text" and rep.metadata.template == "2021"
    assert {row: values(rep, "t3", row) for row in PDF_T3} == PDF_T3
    assert values(rep, "t2", "normative_docs") == [4, 1, 30]
    assert values(rep, "t2", "admin_fees") == [Decimal("56.5")]
    assert values(rep, "t4", "review") == [3, 1, 0, 0, 4]
    assert values(rep, "t4", "suit_direct") == [2, 0, 0, 0, 2]
    assert values(rep, "t4", "suit_after") == [0, 1, 0, 0, 1]
    # "商业企" over "业", "结果" over "维持": reflowed by the extraction, not misprinted
    assert rep.deviations == []
    other_1 = rep.tables["t3"].rows["other_1"]
    assert other_1.line == 112 and other_1.match == "exact"  # the label starts two lines above its values


def test_pdf_text_label_with_a_typo_in_pieces_is_matched_and_a_group_cell_beside_it_takes_nothing():
    # near miss: 部分公开's wrapped label has a typo (只汁) and the merged cell （三）不予公开 is
    # printed whole right below it: the group label names a row exactly, but its sub-rows
    # do not add up to those values, so it does not take them
    rep = report("pdf_label_typo.txt")
    assert values(rep, "t3", "partial") == [5, 0, 0, 0, 1, 0, 6]
    assert rep.tables["t3"].rows["partial"].match == "fuzzy"
    assert rep.tables["t3"].rows["denied"].match == "derived"
    assert values(rep, "t3", "denied") == [4, 0, 0, 0, 0, 0, 4]
    assert [(d.key, d.match) for d in rep.deviations] == [("partial", "fuzzy")]


def test_pdf_text_group_cell_above_values_printed_apart_does_not_take_them():
    # near miss: "（五）不予处理" on the line above a row of values whose label
    # "1.信访举报投诉类申请" is printed below them: the values are the sub-row's, and the
    # group's subtotal is the sum of its sub-rows (1 + 1), not the first sub-row's values
    rep = report("pdf_group_above_values.txt")
    assert values(rep, "t3", "rejected_1") == [1, 0, 0, 0, 0, 0, 1]
    assert rep.tables["t3"].rows["rejected"].match == "derived"
    assert values(rep, "t3", "rejected") == [2, 0, 0, 0, 0, 0, 2]


def test_markdown_label_alone_above_its_values_takes_them():
    # markdown made from PDF: the label cell spans two lines, so its values are on the
    # next table row, under an empty label cell
    rep = report("markdown_label_above.md")
    assert values(rep, "t3", "partial") == [3, 0, 0, 0, 0, 0, 3]
    assert statuses(rep, "t3", "partial") == [OK] * 7
    assert values(rep, "t3", "denied_1") == [0] * 7


def test_markdown_row_of_empty_cells_before_a_labelled_row_stays_blank():
    # near miss: the next row has a label of its own: the empty cells are the row's
    rep = report("markdown_blank_row.md")
    assert statuses(rep, "t3", "partial") == [BLANK] * 7
    assert values(rep, "t3", "denied_1") == [0] * 7


# --- 4. the template from 表二's header words ----------------------------------------------------


def test_2021_header_words_run_together_decide_the_template():
    # 规范性文件 (a 2019 row label) and (六) printed as one row (the 2019 form) vote for 2019;
    # the header words 本年制发件数 … only the 2021 template prints decide
    rep = report("pdf_header_2021.txt")
    assert rep.metadata.template_votes.get("2019", 0) > rep.metadata.template_votes.get("2021", 0)
    assert rep.metadata.template == "2021"
    assert values(rep, "t2", "normative_docs") == [4, 1, 30]
    assert rep.metadata.template_conflicts and rep.metadata.template_conflicts[0]["element"] == "(六)其他处理"


def test_2019_header_words_run_together_decide_the_template():
    # near miss: the same run-together header with the 2019 words, and a 2021 row label
    rep = report("pdf_header_2019.txt")
    assert rep.metadata.template == "2019"
    assert values(rep, "t2", "licensing") == [12, 1, 230]
    assert values(rep, "t2", "procurement") == [3, Decimal("12.6")]


# --- a page cut in the middle of a row --------------------------------------------------------


def test_row_cut_by_the_end_of_the_text_is_not_complete():
    rep = report("excerpt_cut_row.txt")
    assert values(rep, "t3", "received") == [12, 0, 0, 0, 0, 0, 12]
    assert statuses(rep, "t3", "carried_in") == [UNKNOWN] * 7  # its last value may be cut short


def test_row_closed_by_its_pipe_at_the_end_of_the_text_is_complete():
    rep = report("excerpt_closed_row.txt")
    assert values(rep, "t3", "carried_in") == [2, 0, 0, 0, 0, 0, 2]
