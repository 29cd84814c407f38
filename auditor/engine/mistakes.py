"""Hints for the mistakes rule authors commonly make in a condition that does not parse:
`=` for `==`, `&&` / `||` / `!` for and / or / not, full-width brackets, commas, digits and
operators typed with a Chinese input method, Chinese quotation marks around text.

Only text outside string literals is looked at ("（一）" inside quotes is fine). The first
mistake in the condition is reported, with its 1-based column.
"""

import re

_MISTAKES = (
    (r"(?<![=!<>])=(?!=)", "用了 “=”，比较相等应写 “==”"),
    (r"&&", "用了 “&&”，并且应写 “and”"),
    (r"\|\|", "用了 “||”，或者应写 “or”"),
    (r"!(?!=)", "用了 “!”，否定应写 “not”"),
    (r"<>|≠", "不等于应写 “!=”"),
    (r"≤", "小于等于应写 “<=”"),
    (r"≥", "大于等于应写 “>=”"),
    (r"\b(?:AND|OR|NOT|IN|And|Or|Not|In)\b", "and、or、not、in 应小写"),
    (r"[【】［］]", "用了全角方括号 “【】”/“［］”，应为半角 “[]”（请切换到英文输入法）"),
    (r"[（）]", "用了全角括号 “（）”，应为半角 “()”（请切换到英文输入法）"),
    (r"[，、]", "用了全角逗号 “，”，应为半角 “,”（请切换到英文输入法）"),
    (r"[０-９]", "用了全角数字，应为半角数字 0–9（请切换到英文输入法）"),
    (r"[＝＜＞！＋－＊／]", "用了全角运算符，应为半角 = < > ! + - * /（请切换到英文输入法）"),
    (r"[．。]", "用了全角句点，名称之间应为半角 “.”"),
    (r"[“”‘’]", "文字应放在半角引号 \"…\" 中，不用中文引号 “…”"),
)
_PATTERNS = tuple((re.compile(pattern), hint) for pattern, hint in _MISTAKES)
_STRING = re.compile(r"\"[^\"\n]*\"|'[^'\n]*'")


def common_mistake(text: str) -> tuple[int, str] | None:
    """(column, hint) of the first common mistake in a condition, or None."""
    masked = _STRING.sub(lambda m: " " * len(m.group()), text)
    found = []
    for pattern, hint in _PATTERNS:
        match = pattern.search(masked)
        if match:
            found.append((match.start() + 1, hint))
    return min(found, key=lambda pair: pair[0]) if found else None
