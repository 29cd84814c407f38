"""Real-world noise that must not change what a report says.

Full-width digits (NFKC turns them back), spaces that PDF extraction and Word justification
put inside Chinese words ("主 动公开", "规    章"). Applied to one printed fragment at a
time (a cell, a prose line), after the layout is decided, so it never moves a line.
"""

import re
from random import Random

_FULL = str.maketrans("0123456789.+-", "０１２３４５６７８９．＋－")
_HAN_PAIR = re.compile(r"(?<=[\u4e00-\u9fff])(?=[\u4e00-\u9fff])")


class Noise:
    def __init__(self, rng: Random, fullwidth: float = 0.0, spaces: float = 0.0, commas: bool = False):
        self.rng = rng
        self.fullwidth = fullwidth  # share of fragments printed with full-width digits
        self.spaces = spaces  # share of fragments with a space inside a word
        self.commas = commas  # large counts with thousands separators (1,280)

    def text(self, text: str) -> str:
        if not text:
            return text
        if self.fullwidth and self.rng.random() < self.fullwidth:
            text = text.translate(_FULL)
        if self.spaces and len(text) >= 4 and self.rng.random() < self.spaces:
            text = space_inside(text, self.rng)
        return text

    def value(self, text: str) -> str:
        if self.commas and text.isdigit() and len(text) > 3:
            text = f"{int(text):,}"
        if self.fullwidth and text and self.rng.random() < self.fullwidth:
            return text.translate(_FULL)
        return text


def space_inside(text: str, rng: Random, wide: bool = False) -> str:
    """One run of spaces between two Chinese characters of `text`."""
    spots = [m.start() for m in _HAN_PAIR.finditer(text)]
    if not spots:
        return text
    spot = rng.choice(spots)
    gap = " " * (rng.randint(2, 4) if wide else 1)
    return text[:spot] + gap + text[spot:]
