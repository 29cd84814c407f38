"""Sections: match printed headings to the template's six sections.

A heading that matches no template section and does not advance the numbering (e.g. a
"一、存在的问题" inside section 五) is a sub-heading: it is folded into the section before it.
Site chrome after the report (扫一扫, 版权所有 ...) is not content.
"""

import re
from functools import cache

from ..model import Deviation, Section
from ..templates import all_templates, match_label
from ..resources import load_yaml
from .transformer import Document, Para, RawSection, RawTable

_HEADING = re.compile(r"([一二三四五六七八九十]{1,2})\s*[、.]\s*(.*)")
_NUMERALS = {ch: i for i, ch in enumerate("一二三四五六七八九十", 1)}


def numeral_value(text: str) -> int:
    if text in _NUMERALS:
        return _NUMERALS[text]
    if text.startswith("十"):
        return 10 + _NUMERALS.get(text[1:], 0)
    if len(text) == 2 and text[1] == "十":
        return _NUMERALS[text[0]] * 10
    if len(text) == 3 and text[1] == "十":
        return _NUMERALS[text[0]] * 10 + _NUMERALS[text[2]]
    return 0


@cache
def _chrome() -> re.Pattern:
    """The chrome patterns as one alternation: one regex search per line, not one per pattern."""
    vocabulary = load_yaml("vocabulary.yaml")
    return re.compile("|".join(f"(?:{p})" for p in vocabulary["chrome"] + vocabulary["page_numbers"]))


def is_chrome(text: str) -> bool:
    return _chrome().search(text) is not None


def map_sections(document: Document) -> tuple[list[Section], list[Deviation]]:
    """Sections as printed (sub-headings folded in), with their template keys."""
    items = all_templates()[0].sections
    sections: list[Section] = []
    deviations: list[Deviation] = []
    kept: list[RawSection] = []
    for raw in document.sections:
        match = _HEADING.match(raw.heading)
        numeral, text = (match.group(1), match.group(2).strip()) if match else ("", raw.heading)
        number = numeral_value(numeral)
        # a heading in a report's own wording counts only where it advances the numbering to
        # a section not seen yet (not "一、存在的问题" under 五)
        advances = not sections or number > sections[-1].number
        taken = {s.key for s in sections}
        key, kind, expected = _section_key(text, items, variants=advances, taken=taken)
        if not key and sections and number <= sections[-1].number:
            kept[-1].blocks.append(Para(raw.heading, raw.line))
            kept[-1].blocks.extend(raw.blocks)
            continue
        kept.append(raw)
        spec = next((s for s in items if s.key == key), None)
        sections.append(
            Section(
                order=len(sections) + 1,
                numeral=numeral,
                number=number,
                heading=text,
                key=key,
                match=kind,
                line=raw.line,
                expected_number=int(spec.number) if spec else 0,
            )
        )
        if kind in ("alias", "fuzzy"):
            deviations.append(Deviation("section", "", key, text, expected, kind, raw.line))
    document.sections = kept
    for index, (section, raw) in enumerate(zip(sections, kept)):
        lines = _content_lines(raw.blocks, last=index == len(kept) - 1)
        section.content_lines = len(lines)
        section.end_line = max(lines, default=section.line)
    return sections, deviations


def heading_key(heading: str) -> str:
    """The template section a printed heading ("五、存在的主要问题…") names, "" for none."""
    match = _HEADING.match(heading)
    text = match.group(2).strip() if match else heading
    return _section_key(text, all_templates()[0].sections)[0]


def _section_key(text: str, items, variants: bool = False, taken: set = frozenset()) -> tuple[str, str, str]:
    found = match_label(text, items, fuzzy=False)
    if found:
        return found.key, found.kind, found.expected
    for item in items:
        if item.pattern and re.search(item.pattern, text):
            return item.key, "fuzzy", item.label
    found = match_label(text, items)
    if found and found.score >= 0.85:
        return found.key, "fuzzy", found.expected
    for item in items if variants else ():
        if item.key not in taken and any(re.search(variant, text) for variant in item.variants):
            return item.key, "fuzzy", item.label
    return "", "none", ""


def _content_lines(blocks, last: bool) -> list[int]:
    """Source lines of a section's content. In the last section, the first chrome line
    starts the page footer: nothing after it belongs to the report."""
    lines = []
    for block in blocks:
        parts = block.parts if isinstance(block, RawTable) else [block]
        for part in parts:
            text = getattr(part, "text", None) or getattr(part, "label", "")
            if text and is_chrome(text):
                if last:
                    return lines
                continue
            lines.append(part.line)
    return lines
