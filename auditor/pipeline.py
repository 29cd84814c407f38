"""One report through the pipeline: file -> Source -> Stream -> document -> Report."""

from dataclasses import dataclass

from lark.exceptions import LarkError, UnexpectedInput

from .errors import InputError
from .facts import build_report
from .ingest import Source, decode_source, read_source
from .model import Report
from .normalize import Stream, normalize
from .parse import parse_document, parse_tree

_REPORT_WORDS = ("政府信息公开", "信息公开", "政务公开")
# A text that names itself an annual report is audited even when no numbered heading or
# table is recognised (headings as bullets, a page cut before them): the structure rules
# then say that the structure could not be read, instead of refusing the file.
_REPORT_TITLE = "年度报告"


@dataclass
class Parsed:
    source: Source
    stream: Stream
    report: Report

    @property
    def tree(self):
        """The Lark parse tree (built on demand; audits never need it)."""
        return parse_tree(self.stream)


def parse_file(path, data: bytes | None = None) -> Parsed:
    """Parse one file (or its bytes `data`, read elsewhere); raises InputError (never anything
    else) for a file that cannot be read."""
    return parse_source(read_source(path) if data is None else decode_source(data, str(path)))


def parse_source(source: Source) -> Parsed:
    stream = normalize(source.text, source.format)
    if not stream.lines:
        raise InputError("INPUT-001", "文件中没有可读的文字")
    if not any(word in source.text for word in _REPORT_WORDS):
        raise InputError("INPUT-004", "全文未出现“政府信息公开”等字样")
    try:
        document = parse_document(stream)
    except UnexpectedInput as error:
        line = stream.src_line(getattr(error, "line", 0) or 0)
        raise InputError("INPUT-008", f"第 {line} 行附近无法解析", line) from None
    except LarkError as error:
        raise InputError("INPUT-008", str(error)[:200]) from None
    except RecursionError:
        raise InputError("INPUT-008", "报告结构嵌套过深，无法解析") from None
    report = build_report(source, stream, document)
    recognised = any(t.present for t in report.tables.values()) or report.sections
    if not recognised and _REPORT_TITLE not in source.text:
        raise InputError("INPUT-004", "未找到年度报告的章节或统计表")
    return Parsed(source, stream, report)
