"""Bad input gives a coded InputError (rules/input_errors.yaml), never another exception;
other encodings of a report parse to the same values; a truncated report leaves what it
lost missing, not zero."""

import random
import re
import zipfile
from io import BytesIO

import pytest

from auditor.errors import InputError
from auditor.ingest import decode_source
from auditor.pipeline import parse_file, parse_source

from .conftest import seed

SEED_PREFIXES = ("000", "001", "002", "003", "004")


def _parse_bytes(data: bytes, tmp_path, name: str = "report.txt"):
    path = tmp_path / name
    path.write_bytes(data)
    return parse_file(path)


def _input_error(data: bytes, tmp_path, name: str = "report.txt") -> InputError:
    """The InputError the file gives; any other outcome (success or another exception) fails."""
    with pytest.raises(InputError) as caught:
        _parse_bytes(data, tmp_path, name)
    error = caught.value
    assert error.title and error.fix and error.message  # the code exists in input_errors.yaml
    return error


def _values(report) -> dict:
    return {
        (table.key, row.key, cell.col): (cell.value, cell.status)
        for table in report.tables.values()
        for row in table.rows.values()
        for cell in row.cells.values()
    }


def _random_bytes(size: int, seed_value: int, with_nul: bool) -> bytes:
    generator = random.Random(seed_value)
    data = bytearray(generator.randrange(1 if not with_nul else 0, 256) for _ in range(size))
    if with_nul:
        data[10] = 0
    return bytes(data)


# --- empty, binary, unsupported --------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [b"", b"   \n\t\r\n  \n", "\u3000\u3000\n\xa0\n".encode(), b"\xef\xbb\xbf", b"\xef\xbb\xbf \n\n"],
    ids=["empty", "whitespace", "ideographic-spaces", "bom-only", "bom-whitespace"],
)
def test_empty_file(data, tmp_path):
    assert _input_error(data, tmp_path).code == "INPUT-001"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + _random_bytes(300, 1, True),
        _random_bytes(4000, 2, True),
        _random_bytes(4000, 3, False),
        b"GIF89a" + _random_bytes(300, 4, False),
        b"\xff\xd8\xff\xe0\x00\x10JFIF" + _random_bytes(300, 5, False),
    ],
    ids=["png", "random-with-nul", "random-no-nul", "gif", "jpeg"],
)
def test_binary_file(data, tmp_path):
    assert _input_error(data, tmp_path).code == "INPUT-002"


@pytest.mark.parametrize(
    "data, name",
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n", "report.pdf"),  # no page tree
        (b"%PDF-1.4\n" + bytes(300), "damaged.pdf"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "report.doc"),  # no LibreOffice, or not a Word file
        (b"PK\x03\x04" + bytes(100), "report.docx"),
    ],
    ids=["pdf-without-pages", "pdf-damaged", "doc", "broken-zip"],
)
def test_unreadable_format(data, name, tmp_path):
    error = _input_error(data, tmp_path, name)
    assert error.code == "INPUT-006" and error.message


def test_zip_that_is_not_a_word_document(tmp_path):
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("data.txt", "政府信息公开")
    assert _input_error(buffer.getvalue(), tmp_path, "report.docx").code == "INPUT-006"


def test_missing_file(tmp_path):
    with pytest.raises(InputError) as caught:
        parse_file(tmp_path / "no-such-report.txt")
    assert caught.value.code == "INPUT-005"


# --- encodings ---------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", SEED_PREFIXES)
@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-8-sig", "utf-16"])
def test_other_encodings_parse_like_utf8(prefix, encoding, tmp_path):
    path = seed(prefix)
    text = path.read_text(encoding="utf-8")
    if encoding == "gbk":
        text = text.encode("gbk", errors="replace").decode("gbk")  # GBK lacks a few characters
        reference = parse_source(decode_source(text.encode("utf-8"), str(path))).report
    else:
        reference = parse_file(path).report
    report = _parse_bytes(text.encode(encoding), tmp_path).report
    assert report.encoding == {"gbk": "gb18030", "utf-8-sig": "utf-8"}.get(encoding, encoding)
    assert _values(report) == _values(reference)
    assert (report.metadata.body, report.metadata.year) == (reference.metadata.body, reference.metadata.year)


def _with_bad_bytes(text: str, lines_to_damage) -> bytes:
    """The text as UTF-8 with a byte sequence invalid in UTF-8 and in GB18030 on each line."""
    lines = text.split("\n")
    return b"\n".join(line.encode("utf-8") + (b"\xff\xfe\x80" if index + 1 in lines_to_damage else b"") for index, line in enumerate(lines))


def test_a_few_stray_bytes_are_shown_and_reported_with_their_lines(tmp_path):
    data = _with_bad_bytes(seed("001").read_text(encoding="utf-8"), {41, 90})
    report = _parse_bytes(data, tmp_path).report
    assert report.encoding == "utf-8"
    assert report.undecodable_lines == (41, 90)
    assert "\ufffd" in report.source_lines[40]
    damaged = {
        (table.key, row.key, cell.col): cell
        for table in report.tables.values() for row in table.rows.values() for cell in row.cells.values()
    }
    changed = {key for key, value in _values(parse_file(seed("001")).report).items() if _values(report)[key] != value}
    # the cells of the row with the damaged cell are unknown, never guessed; the rest as printed
    assert changed and all(damaged[key].status == "unknown" for key in changed)
    assert {key[:2] for key in changed} == {("t2", "licensing")}


def test_many_undecodable_bytes_give_the_first_line(tmp_path):
    text = seed("001").read_text(encoding="utf-8")
    data = _with_bad_bytes(text, set(range(41, 41 + 60)))
    error = _input_error(data, tmp_path)
    assert error.code == "INPUT-003"
    assert error.line == 41
    assert "41" in error.detail


# --- not a report ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "今天天气很好。\n我们去公园散步，看到了很多花。\n",
        "关于印发某某市政府信息公开工作要点的通知\n各区县人民政府：现将工作要点印发给你们，请认真贯彻执行。\n",
        "<html><body><p>页面不存在或已被删除</p></body></html>\n",
    ],
    ids=["plain-prose", "other-document", "html-error-page"],
)
def test_not_an_annual_report(text, tmp_path):
    assert _input_error(text.encode("utf-8"), tmp_path).code == "INPUT-004"


# --- truncated and damaged reports --------------------------------------------------------------


def _cut_in_table_three(text: str) -> str:
    start = re.search(r"三、\s*收到和处理政府信息公开申请情况", text).start()
    end = re.search(r"四、\s*政府信息公开行政复议", text).start()
    return text[: text.index("\n", (start + end) // 2) + 1]


@pytest.mark.parametrize("prefix", SEED_PREFIXES)
def test_report_cut_in_table_three(prefix, tmp_path):
    text = _cut_in_table_three(seed(prefix).read_text(encoding="utf-8"))
    report = _parse_bytes(text.encode("utf-8"), tmp_path).report
    assert [s.key for s in report.sections] == ["overview", "proactive", "requests"]
    t3 = report.tables["t3"]
    assert t3.present and t3.rows["received"].present
    for key in ("results_total", "carried_out"):
        row = t3.rows[key]
        assert not row.present
        assert all(cell.status == "missing" and cell.value is None for cell in row.cells.values())
    t4 = report.tables["t4"]
    assert not t4.present
    assert all(cell.status == "missing" and cell.value is None for row in t4.rows.values() for cell in row.cells.values())


def test_stray_byte_in_a_gb18030_file_gives_its_line(tmp_path):
    lines = seed("004").read_text(encoding="utf-8").split("\n")
    data = b"\n".join(line.encode("gb18030") + (b"\xff" if index == 199 else b"") for index, line in enumerate(lines))
    report = _parse_bytes(data, tmp_path).report
    assert (report.encoding, report.undecodable_lines) == ("gb18030", (200,))


def test_undecodable_gb18030_file_gives_its_line(tmp_path):
    lines = seed("004").read_text(encoding="utf-8").split("\n")
    data = b"\n".join(line.encode("gb18030") + (b"\xff" if index >= 199 else b"") for index, line in enumerate(lines))
    error = _input_error(data, tmp_path)
    assert (error.code, error.line) == ("INPUT-003", 200)
    assert "GB18030" in error.detail


def test_damaged_docx(tmp_path):
    from .fixtures import make_docx

    good = tmp_path / "good.docx"
    make_docx.build(good)
    data = good.read_bytes()
    for cut in (len(data) // 3, len(data) // 2, len(data) - 200):
        assert _input_error(data[:cut], tmp_path, "cut.docx").code in ("INPUT-002", "INPUT-006")


def test_docx_without_text(tmp_path):
    import docx

    path = tmp_path / "blank.docx"
    docx.Document().save(str(path))
    assert _input_error(path.read_bytes(), tmp_path, "blank.docx").code == "INPUT-001"
