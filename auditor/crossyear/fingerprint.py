"""Text fingerprints for copy detection: masked shingles and their MinHash signatures.

Before comparing, a report's own wording is kept and the rest masked: numbers (years
included) become “#”, the body's name “@”, and the template's wording (row, column, section
and table labels of rules/templates/*.yaml) and the boilerplate of rules/copy_masks.yaml are
removed; runs of masks collapse, and shingles made only of masks are dropped, so two tables
with different figures — or two bodies' empty tables — do not look alike. A signature is
MinHash over the shingles (crc32 per shingle: stable across processes; the same values as
datasketch's MinHash with that hash function and scheme="legacy"), kept as `num_perm` unsigned 32-bit values; the MinHash of a whole report is the element-wise minimum
of its parts'.
"""

import re
import unicodedata
import zlib
from functools import cache

import numpy as np

from ..resources import load_yaml
from ..templates import all_templates

_NUMBER = re.compile(r"\d+(?:[.,，]\d+)*%?")
_NUMBERING = re.compile(r"[(（]?[一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、.．]")
_SPACE = re.compile(r"\s+")
_NOISE = re.compile(r"[^\w#@]+")  # whitespace and punctuation
_MASK_RUN = re.compile(r"[#@]{2,}")
_MASK_CHARS = "#@_0123456789"  # a shingle of these only is a mask, not text (digits are masked to # before)
SEED = 1


@cache
def settings() -> dict:
    return load_yaml("copy_masks.yaml")


@cache
def _wording() -> re.Pattern:
    """The template's own wording and the boilerplate, longest first."""
    words = set(settings()["boilerplate"])
    for template in all_templates():
        for item in template.sections:
            words.update((item.label, *item.aliases))
        for spec in template.tables.values():
            words.add(spec.label)
            words.update(spec.header_words)
            items = spec.columns + spec.all_rows() + tuple(c for b in spec.blocks for c in b.columns)
            words.update(b.caption for b in spec.blocks)
            for item in items:
                words.update((item.label, *item.aliases))
    words = sorted({unicodedata.normalize("NFKC", w) for w in words if w and len(w) >= 2}, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words))


def body_names(body: str) -> list[str]:
    """The body's name and its short form (without 人民政府, 管委会 …), longest first."""
    from .identity import short_name

    names = {unicodedata.normalize("NFKC", body), short_name(body)} - {""}
    return sorted((n for n in names if len(n) >= 2), key=len, reverse=True)


def masked(text: str, bodies: list[str] = ()) -> str:
    text = _SPACE.sub("", unicodedata.normalize("NFKC", text))
    for name in bodies:
        text = text.replace(name, "@")
    text = _wording().sub("", text)
    text = _NUMBERING.sub("", text)
    text = _NUMBER.sub("#", text)
    text = _NOISE.sub("", text)
    return _MASK_RUN.sub("#", text)


def shingles(text: str, size: int | None = None) -> set[str]:
    size = size or settings()["shingle"]
    if len(text) < size:
        return {text} if text.strip(_MASK_CHARS) else set()
    every = {text[i:i + size] for i in range(len(text) - size + 1)}
    return {s for s in every if s.strip(_MASK_CHARS)}


_PRIME = np.uint64((1 << 61) - 1)
_MAX = np.uint64((1 << 32) - 1)


@cache
def _permutations(num_perm: int) -> tuple:
    """datasketch's permutations for `SEED` (same generator, same draws): signatures equal
    datasketch.MinHash(num_perm, seed=SEED, hashfunc=crc32, scheme="legacy")'s (tests/test_crossyear.py)."""
    generator = np.random.RandomState(SEED)
    pairs = [(generator.randint(1, _PRIME, dtype=np.uint64), generator.randint(0, _PRIME, dtype=np.uint64)) for _ in range(num_perm)]
    a, b = np.array(pairs, dtype=np.uint64).T
    return a, b


def signature(parts: set[str]) -> bytes:
    """MinHash signature of a shingle set, as bytes (num_perm × uint32); b"" for an empty set.
    Written on numpy rather than imported: datasketch's import pulls in scipy and its async
    LSH modules (about a second in every worker), for four lines of arithmetic."""
    if not parts:
        return b""
    a, b = _permutations(settings()["num_perm"])
    hashes = np.fromiter((zlib.crc32(s.encode("utf-8")) for s in parts), dtype=np.uint64, count=len(parts))[:, None]
    with np.errstate(over="ignore"):
        values = ((hashes * a + b) % _PRIME) & _MAX
    return values.min(axis=0).astype(np.uint32).tobytes()


def union(signatures) -> bytes:
    """The signature of the union of several sets (element-wise minimum)."""
    arrays = [np.frombuffer(s, dtype=np.uint32) for s in signatures if s]
    return np.minimum.reduce(arrays).tobytes() if arrays else b""


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of the two sets (0 when either is empty)."""
    if not a or not b or len(a) != len(b):
        return 0.0
    return float(np.mean(np.frombuffer(a, dtype=np.uint32) == np.frombuffer(b, dtype=np.uint32)))


def bands(sig: bytes) -> list[bytes]:
    """LSH band keys of a signature (settings: bands × rows = num_perm)."""
    count = settings()["bands"]
    width = len(sig) // count
    return [bytes([i]) + sig[i * width:(i + 1) * width] for i in range(count)] if sig else []
