"""The batch summary page (summary.html): one self-contained file, tables plus PNG charts.

Charts are embedded as base64 data: URIs and styles are inline, so the page opens anywhere
(mail attachment, intranet, file share) without fetching anything. Every text taken from
reports, file names or rules goes through sanitize.html_text (escaped, no control characters,
no lone surrogates).
"""

import base64

import pandas as pd

from .. import __version__
from . import charts, frames
from .sanitize import html_text

STYLE = """
body{margin:0;background:#f4f5f7;color:#222;font:14px/1.6 "Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC","WenQuanYi Zen Hei",sans-serif}
main{max-width:1180px;margin:0 auto;padding:24px 28px 40px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 10px;padding-left:8px;border-left:4px solid #34495e}
.meta{color:#666;margin:0 0 18px;font-size:13px}
.cards{display:flex;gap:12px;flex-wrap:wrap}
.card{background:#fff;border-radius:6px;padding:12px 18px;min-width:120px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
.card b{display:block;font-size:24px}.card span{color:#666;font-size:12px}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(460px,1fr));gap:14px;margin-top:18px}
.wide{grid-column:1/-1}.wide img{margin:0 auto}
figure{margin:0;background:#fff;border-radius:6px;padding:10px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
figure img{max-width:100%;height:auto;display:block}figcaption{color:#666;font-size:12px;margin-top:4px}
table{border-collapse:collapse;background:#fff;width:100%;font-size:13px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
th,td{border:1px solid #dde1e6;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#eef1f4;font-weight:600;white-space:nowrap}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:0 8px;border-radius:10px;color:#fff;font-size:12px;white-space:nowrap}
.合格{background:#27ae60}.需整改{background:#f39c12}.不合格{background:#c0392b}.无法审核{background:#95a5a6}
.two{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:0 18px}
footer{color:#888;font-size:12px;margin-top:30px}
"""


def _img(png: bytes, alt: str, caption: str, wide: bool = False) -> str:
    data = base64.b64encode(png).decode("ascii")
    css = ' class="wide"' if wide else ""
    return (
        f'<figure{css}><img alt="{html_text(alt)}" src="data:image/png;base64,{data}">'
        f"<figcaption>{html_text(caption)}</figcaption></figure>"
    )


def _table(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "<p>无。</p>"
    head = "".join(f"<th>{html_text(str(c))}</th>" for c in frame.columns)
    body = []
    for _, row in frame.iterrows():
        cells = []
        for value in row:
            numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
            text = "" if pd.isna(value) else str(value)
            cells.append(f'<td class="num">{text}</td>' if numeric else f"<td>{html_text(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _reports_table(reports: pd.DataFrame, memo_links: dict) -> str:
    headers = ["文件", "单位", "年度", "行政层级", "检测到的模板", "错误", "警告", "提示", "已接受/排除", "结论", "审核意见"]
    rows = []
    for _, r in reports.iterrows():
        link = memo_links.get(r["file"], "")
        memo = f'<a href="{html_text(link)}">{html_text(link.rsplit("/", 1)[-1])}</a>' if link else "—"
        year = "" if pd.isna(r["year"]) else str(r["year"])
        template = r["template"].split("（")[0] if r["template"] else "—"
        rows.append(
            "<tr>" + "".join(f"<td>{html_text(str(v))}</td>" for v in (r["file"], r["body"] or "—", year or "—", r["level"], template))
            + "".join(f'<td class="num">{int(r[k])}</td>' for k in ("error", "warning", "info", "settled"))
            + f'<td><span class="badge {html_text(r["conclusion"])}" title="{html_text(r["reason"])}">{html_text(r["conclusion"])}</span></td>'
            + f"<td>{memo}</td></tr>"
        )
    head = "".join(f"<th>{h}</th>" for h in headers)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def render_page(reports: pd.DataFrame, findings: pd.DataFrame, run, memo_links: dict | None = None) -> str:
    """The whole page as one HTML string; memo_links maps a report's file to its memo (relative URL)."""
    tables = frames.summaries(reports, findings)
    counted = findings[findings["counts"].astype(bool)]
    total = len(reports)
    cards = [
        ("报告总数", str(total)),
        ("合格率", f"{frames.pass_share(reports):.0%}" if total else "—"),
        ("不合格", str(int((reports["conclusion"] == "不合格").sum()))),
        ("需整改", str(int((reports["conclusion"] == "需整改").sum()))),
        ("错误", str(int((counted["severity"] == "error").sum()))),
        ("警告", str(int((counted["severity"] == "warning").sum()))),
        ("需人工复核", str(int((counted["severity"] == "review").sum()))),
    ]
    figures = [
        _img(charts.family_chart(tables["按类别"]), "按类别的问题数", "按类别的问题数，按级别分色（不含已接受/排除的问题）"),
        _img(charts.conclusion_chart(reports), "各行政层级的审核结论", "各行政层级的报告数，按审核结论分色"),
        _img(charts.top_rules_chart(tables["常见问题"]), "最常见的问题", f"涉及报告最多的 {len(tables['常见问题'])} 条规则", wide=True),
    ]
    settled = len(findings) - len(counted)
    meta = f"审核日期 {html_text(run.audit_date)} · 共 {total} 份报告 · {html_text(run.ruleset.version_text())}"
    if settled:
        meta += f" · 基线中已接受/排除 {settled} 条（不计入）"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>政府信息公开工作年度报告审核汇总</title><style>{STYLE}</style></head><body><main>",
        "<h1>政府信息公开工作年度报告审核汇总</h1>",
        f'<p class="meta">{meta}</p>',
        '<section class="cards">' + "".join(f"<div class=\"card\"><b>{v}</b><span>{k}</span></div>" for k, v in cards) + "</section>",
        '<section class="charts">' + "".join(figures) + "</section>",
        "<h2>常见问题</h2>", _table(tables["常见问题"]),
        '<div class="two"><div><h2>按类别</h2>' + _table(tables["按类别"]) + "</div>",
        "<div><h2>按级别</h2>" + _table(tables["按级别"]) + "</div></div>",
        "<h2>按年度</h2>", _table(tables["按年度"]),
        "<h2>按行政层级</h2>", _table(tables["按行政层级"]),
        "<h2>报告清单</h2>", _reports_table(reports, memo_links or {}),
        "<h2>按规则</h2>", _table(tables["按规则"]),
        *([f"<h2>{frames.CROSS}（与同一单位上一年度报告、同批次其他报告比较）</h2>", _table(tables[frames.CROSS])] if len(tables[frames.CROSS]) else []),
        f"<h2>判定标准</h2><p>{html_text(_criteria(run))}</p>",
        f"<footer>由 gkaudit {__version__} 生成。问题明细见 findings.csv / findings.xlsx / findings.jsonl。</footer>",
        "</main></body></html>",
    ]
    return "\n".join(parts) + "\n"


def _criteria(run) -> str:
    from .memo import criteria_text

    return criteria_text(run.config.thresholds)
