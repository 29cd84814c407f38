"""Charts for the summary page, drawn with matplotlib (Agg) and returned as PNG bytes.

Chinese labels need a CJK font. cjk_font() looks for one installed on this machine
(Noto Sans CJK, Source Han Sans, WenQuanYi, …, found offline through matplotlib's font list
and the system font folders); without one the charts fall back to ASCII keys (RECON,
pass/revise/fail, township, …) so they never show boxes instead of characters.

The choice is deterministic: candidates ranked by family name (PREFERRED), then by path —
never in the order of a set, which changes with PYTHONHASHSEED — whether matplotlib's cache
knows them or not; the first that draws Chinese wins, and that one file is registered under a
family name of its own (FAMILY), so matplotlib cannot pick another file of the same name. The
same machine draws the same picture on every run; font and glyph warnings never reach stderr.
"""

import dataclasses
import io
import logging
import re
import warnings
from functools import cache

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from .. import labels  # noqa: E402
from ..findings import SEVERITY_LABEL  # noqa: E402
from .sanitize import visible  # noqa: E402

PREFERRED = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei", "Microsoft YaHei", "SimHei", "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK JP",
    "Noto Serif CJK SC", "AR PL UMing CN", "Droid Sans Fallback",
)
_CJK_FILE = re.compile(r"(cjk|wqy|wenquanyi|sourcehan|simhei|simsun|msyh|yahei|pingfang|droidsansfallback|uming|ukai)", re.I)
_PROBE = "审核意见政府"
FAMILY = "gkaudit CJK"  # the chosen font file, registered under a name no other file has
SEVERITY_COLOURS = {"error": "#c0392b", "warning": "#e67e22", "info": "#2e86c1"}
WIDTH = 6.4  # inches; the summary page shows the charts at this width
CONCLUSION_COLOURS = {"合格": "#27ae60", "需整改": "#f39c12", "不合格": "#c0392b", "无法审核": "#95a5a6"}


def _covers(path: str) -> bool:
    try:
        from matplotlib.ft2font import FT2Font

        charmap = FT2Font(path).get_charmap()
        return all(ord(ch) in charmap for ch in _PROBE)
    except Exception:  # an unreadable font file is simply not a candidate
        return False


def _candidates() -> list[str]:
    """Font files that may draw Chinese, best first: by the rank of their family name in
    PREFERRED, then by path. Files matplotlib's cache knows and files installed after it was
    built are ranked alike, and never in the order of a set (findSystemFonts() is one)."""
    rank = {name: i for i, name in enumerate(PREFERRED)}
    best: dict[str, tuple] = {}

    def offer(path: str, key: tuple) -> None:
        best[path] = min(best.get(path, key), key)

    for entry in font_manager.fontManager.ttflist:
        if entry.name in rank:
            offer(str(entry.fname), (rank[entry.name], entry.style != "normal", abs(_weight(entry.weight) - 400)))
    for path in font_manager.findSystemFonts():
        path = str(path)
        if path not in best and _CJK_FILE.search(path):
            offer(path, (rank.get(_family(path), len(rank)), False, 0))
    return [path for path, _ in sorted(best.items(), key=lambda item: (item[1], item[0]))]


def _family(path: str) -> str:
    try:
        from matplotlib.ft2font import FT2Font

        return FT2Font(path).family_name
    except Exception:  # an unreadable font file ranks last
        return ""


def _weight(weight) -> int:
    if isinstance(weight, int):
        return weight
    return font_manager.weight_dict.get(str(weight), 400)


@cache
def cjk_font() -> str | None:
    """The family name under which a font that can draw Chinese is registered, or None."""
    for path in _candidates():
        if _covers(path):
            try:
                from matplotlib.ft2font import FT2Font

                entry = dataclasses.replace(font_manager.ttfFontProperty(FT2Font(path)), name=FAMILY)
            except Exception:  # an unreadable font file is simply not a candidate
                continue
            font_manager.fontManager.ttflist.append(entry)
            return FAMILY
    return None


class _Words:
    """Labels in Chinese when a CJK font is available, ASCII keys otherwise."""

    def __init__(self, chinese: bool):
        self.chinese = chinese

    def __call__(self, chinese: str, english: str) -> str:
        return chinese if self.chinese else english

    def severity(self, key: str) -> str:
        return SEVERITY_LABEL.get(key, key) if self.chinese else key

    def key(self, kind: str, label: str) -> str:
        return label if self.chinese else labels.ascii_key(kind, label)


def _chart(height: float, title: tuple[str, str], empty: bool, draw) -> bytes:
    """One horizontal chart as PNG: `draw(ax, words)` fills it unless `empty`; the title is
    (Chinese, ASCII), the fonts those of cjk_font()."""
    font = cjk_font()
    words = _Words(font is not None)
    params = {"font.size": 10, "axes.spines.top": False, "axes.spines.right": False, "figure.dpi": 100}
    params["font.family"] = [font, "DejaVu Sans"] if font else ["DejaVu Sans"]
    logger = logging.getLogger("matplotlib.font_manager")
    level = logger.level
    logger.setLevel(logging.ERROR)  # findfont warnings
    try:
        with plt.rc_context(params), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Glyph … missing from font": a rare character in a rule title
            fig, ax = plt.subplots(figsize=(WIDTH, height))
            if empty:
                _empty(ax, words)
            else:
                draw(ax, words)
            ax.set_title(words(*title), loc="left", fontweight="bold")
            return _png(fig)
    finally:
        logger.setLevel(level)


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight", dpi=110)
    plt.close(fig)
    return buffer.getvalue()


def _empty(ax, words) -> None:
    ax.text(0.5, 0.5, words("无数据", "no data"), ha="center", va="center", transform=ax.transAxes, color="#888")
    ax.set_xticks([])
    ax.set_yticks([])


def family_chart(by_family) -> bytes:
    """Findings by family, stacked by severity (by_family: frames.by_family())."""

    def draw(ax, words):
        names = [words.key("family", n) for n in by_family["类别"]][::-1]
        left = [0] * len(names)
        for key in ("error", "warning", "info"):
            values = list(by_family[labels.severity(key)])[::-1]
            ax.barh(names, values, left=left, color=SEVERITY_COLOURS[key], label=words.severity(key))
            left = [a + b for a, b in zip(left, values)]
        for y, total in enumerate(left):
            ax.text(total, y, f" {total}", va="center", fontsize=9)
        ax.set_xlim(0, max(left) * 1.12 + 0.5)
        ax.set_xlabel(words("问题数（不含已接受/排除）", "findings (excluding baseline)"))
        ax.legend(frameon=False, bbox_to_anchor=(1.02, 1.0), loc="upper left")

    empty = by_family.empty or by_family["合计"].sum() == 0
    return _chart(3.2, ("按类别的问题数", "Findings by family"), empty, draw)


def conclusion_chart(reports) -> bytes:
    """Reports by administrative level, stacked by conclusion (reports: frames.reports_frame())."""
    levels = list(dict.fromkeys(reports["level"])) if not reports.empty else []

    def draw(ax, words):
        names = [words.key("level", lv) for lv in levels][::-1]
        left = [0] * len(levels)
        for conclusion in labels.conclusions():
            values = [int(((reports["level"] == lv) & (reports["conclusion"] == conclusion)).sum()) for lv in levels][::-1]
            if not any(values):
                continue
            ax.barh(names, values, left=left, height=0.5, color=CONCLUSION_COLOURS.get(conclusion, "#777"), label=words.key("conclusion", conclusion))
            for y, (start, value) in enumerate(zip(left, values)):
                if value:
                    ax.text(start + value / 2, y, str(value), ha="center", va="center", color="white", fontsize=9, fontweight="bold")
            left = [a + b for a, b in zip(left, values)]
        ax.set_ylim(-0.75, len(levels) - 0.25)
        ax.set_xlabel(words("报告数", "reports"))
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.legend(frameon=False, bbox_to_anchor=(1.02, 1.0), loc="upper left")

    height = max(2.4, 0.45 * len(levels) + 1.5)
    return _chart(height, ("各行政层级的审核结论", "Conclusions by administrative level"), reports.empty, draw)


def top_rules_chart(top) -> bytes:
    """The most common problems: reports affected per rule (top: frames.top_problems())."""

    def name(row, words) -> str:
        if not words.chinese:
            return visible(row["规则"])
        title = visible(row["规则标题"]).replace("\n", " ")
        return visible(f"{row['规则']} {title[:14]}{'…' if len(title) > 14 else ''}")

    def draw(ax, words):
        names = [name(row, words) for _, row in top.iterrows()][::-1]
        values = list(top["涉及报告数"])[::-1]
        ax.barh(names, values, color="#34495e")
        for y, value in enumerate(values):
            ax.text(value, y, f" {value}", va="center", fontsize=9)
        ax.set_xlabel(words("涉及报告数", "reports affected"))
        ax.xaxis.get_major_locator().set_params(integer=True)

    height = max(2.4, 0.36 * len(top) + 1.0)
    return _chart(height, ("最常见的问题", "Most common problems"), top.empty, draw)
