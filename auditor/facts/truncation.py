"""Does the text stop before the report does? (a file cut short in download or copy)

A report is taken as truncated when its last template section (六、其他需要报告的事项) never
comes and its last content is a table cell or a sentence without its final punctuation.
A report that simply omits section 六 but ends cleanly — a sentence, or the signature (the
body's name, the date) — is not truncated (the SECT rules report the missing section).
"""

import re
from functools import cache

from ..model import Report
from ..resources import load_yaml
from ..normalize import CELL, RUN, Stream
from .metadata import CN_DATE
from .sections import is_chrome

_SENTENCE_END = tuple("。！？!?；;”」）)") + ("无",)


def truncated_at(report: Report, stream: Stream) -> int:
    """The source line where the text stops, when it stops mid-report; else 0."""
    if any(s.key == "other" for s in report.sections):
        return 0
    # a chrome line split into cells ("相关链接:中国政府网 | 省人民政府网") is chrome throughout
    chrome = {line.src for line in stream.lines if line.text and is_chrome(line.text)}
    content = [line for line in stream.lines if line.kind != "rowsep" and line.src not in chrome]
    if not content:
        return 0
    last = content[-1]
    if last.kind in (CELL, RUN) or not (last.text.endswith(_SENTENCE_END) or _signature(last.text)):
        return last.src
    return 0


def _signature(text: str) -> bool:
    """The closing lines of a report: the issuing body's name, the date under it."""
    text = text.replace(" ", "")
    vocabulary = _vocabulary()
    closing = vocabulary["published"]["closing"].strip("^$")
    # (in text run together the signature ends the last line: "…事项。某某镇人民政府2024年1月13日")
    name = vocabulary["body_name"]
    return bool(re.search(closing + "$", text) or re.search(CN_DATE.pattern + "$", text)
                or re.fullmatch(name, text) or re.search(f"[。!?！？](?:{name})$", text))


@cache
def _vocabulary() -> dict:
    return load_yaml("vocabulary.yaml")
