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

_FRAGMENT = 4  # characters: a last line shorter than this, ending no sentence, is a cut-off word
# (longer ones under 六 are often page footers: "江津发布", a site name)
_SENTENCE_END = tuple("。！？!?；;”」）)") + ("无",)


def truncated_at(report: Report, stream: Stream) -> int:
    """The source line where the text stops, when it stops mid-report; else 0."""
    other = next((s for s in report.sections if s.key == "other"), None)
    # a chrome line split into cells ("相关链接:中国政府网 | 省人民政府网") is chrome throughout
    chrome = {line.src for line in stream.lines if line.text and is_chrome(line.text)}
    content = [line for line in stream.lines if line.kind != "rowsep" and line.src not in chrome]
    if not content:
        return 0
    last = content[-1]
    if other is not None:
        # section 六 came: the text is cut only when it stops on a fragment right under it
        # ("六、其他需要报告的事项" / "目")
        fragment = len(last.text) < _FRAGMENT and last.src > other.line and not last.text.endswith(_SENTENCE_END)
        return last.src if fragment and not _signature(last.text) and last.kind not in (CELL, RUN) else 0
    if last.kind in (CELL, RUN) or not (last.text.endswith(_SENTENCE_END) or _signature(last.text)):
        return last.src
    return 0


def _signature(text: str) -> bool:
    """The closing lines of a report: the issuing body's name, the date under it."""
    text = text.replace(" ", "")
    patterns = _patterns()
    closing = patterns["published"]["closing"].strip("^$")
    # (in text run together the signature ends the last line: "…事项。某某镇人民政府2024年1月13日")
    name = patterns["body_name"]
    # a name run into the last sentence must be an institution's ("…。某某镇人民政府"), not a
    # place cut mid-sentence ("…。设置长宁区")
    return bool(re.search(closing + "$", text) or re.search(CN_DATE.pattern + "$", text)
                or re.fullmatch(name, text) or re.search(f"[。!?！？](?:{name})$", text) and text.endswith(_INSTITUTION))


_INSTITUTION = ("人民政府", "办公室", "办公厅", "办事处", "局", "委员会", "管委会", "中心", "厅")


@cache
def _patterns() -> dict:
    return load_yaml("metadata.yaml")
