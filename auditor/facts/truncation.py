"""Does the text stop before the report does? (a file cut short in download or copy)

A report is taken as truncated when its last template section (六、其他需要报告的事项) never
comes and its last content is a table cell or a sentence without its final punctuation.
A report that simply omits section 六 but ends cleanly is not truncated (the SECT rules
report the missing section).
"""

from ..model import Report
from ..normalize import CELL, RUN, Stream
from .sections import is_chrome

_SENTENCE_END = tuple("。！？!?；;”」）)") + ("无",)


def truncated_at(report: Report, stream: Stream) -> int:
    """The source line where the text stops, when it stops mid-report; else 0."""
    if any(s.key == "other" for s in report.sections):
        return 0
    content = [line for line in stream.lines if line.kind != "rowsep" and not is_chrome(line.text)]
    if not content:
        return 0
    last = content[-1]
    if last.kind in (CELL, RUN) or not last.text.endswith(_SENTENCE_END):
        return last.src
    return 0
