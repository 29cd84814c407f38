"""A PDF page's characters and ruling lines, read by PDFium, in pdfplumber's object shape.

PDFium (pypdfium2) interprets a page's content in C; pdfminer, which pdfplumber uses by
default, does it in Python and took 90% of the time on the real reports (measured: 0.60 s of
0.66 s for six pages). So the objects come from PDFium and pdfplumber's table finder and text
layout runs on them: `PdfPage` offers what it reads — `chars`, `edges`, `bbox` — with
coordinates from the page's top-left corner, as pdfplumber's are.

Characters: each with its baseline, size (the font's ascent to descent) and a box set on
the baseline, generated and blank characters left out. Edges: every straight,
axis-parallel segment of every drawn path (a ruled line, a rectangle's sides, a cell border
drawn as a thin filled box), in page coordinates through the path's and its forms' matrices.
"""

import ctypes

import pypdfium2
import pypdfium2.raw as pdfium_c

_LOOSE_LIMIT = 3  # a loose box this many times as tall as the page's typical one is not the character's
_AXIS_TOLERANCE = 0.5  # points a segment may lean and still be a horizontal or vertical rule


class PdfPage:
    """One page: `chars`, `edges` and `bbox`, what pdfplumber's TableFinder reads, and
    `image_share`, the part of the page images cover."""

    def __init__(self, page: pypdfium2.PdfPage):
        self.width, self.height = page.get_size()
        self.bbox = (0.0, 0.0, self.width, self.height)
        self.chars = _chars(page, self.height)
        self.edges, self.image_share = _edges_and_images(page, self.width, self.height)


def _chars(page, height: float) -> list[dict]:
    textpage = page.get_textpage()
    x, y = ctypes.c_double(), ctypes.c_double()
    try:
        found = []  # (character, loose box, index)
        for index in range(textpage.count_chars()):
            code = pdfium_c.FPDFText_GetUnicode(textpage, index)
            if code <= 32 or code == 0xFFFE or pdfium_c.FPDFText_IsGenerated(textpage, index) == 1:
                continue
            box = textpage.get_charbox(index, loose=True)
            if box[2] > box[0] and box[3] > box[1]:
                found.append((chr(code), box, index))
        sizes = sorted(box[3] - box[1] for _, box, _ in found)
        typical = sizes[len(sizes) // 2] if sizes else 0
        chars = []
        for text, (left, bottom, right, top), index in found:
            if top - bottom > _LOOSE_LIMIT * typical:
                # a font whose metrics are out of all proportion (WPS's vertical table
                # headings): the glyph's own box, as tall as the page's typical character
                left, bottom, right, _ = textpage.get_charbox(index)
                top = bottom + typical
            pdfium_c.FPDFText_GetCharOrigin(textpage, index, ctypes.byref(x), ctypes.byref(y))
            size = top - bottom
            # a box from the baseline: characters of one line in different fonts (a bold
            # heading run into its paragraph, Latin digits among Chinese) share top and bottom
            baseline = height - y.value
            chars.append({
                "object_type": "char", "text": text, "x0": left, "x1": right, "top": baseline - 0.8 * size,
                "bottom": baseline + 0.2 * size, "baseline": baseline, "size": size, "width": right - left,
            })
        return chars
    finally:
        textpage.close()


def _edges_and_images(page, width: float, height: float) -> tuple[list[dict], float]:
    """The ruling lines, and the share of the page that images cover (a scanned page, a
    table pasted as a picture)."""
    edges: list[dict] = []
    image_area = 0.0
    forms: list[tuple[int, tuple]] = []  # (level, matrix to page space) of the enclosing forms
    kinds = (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM, pdfium_c.FPDF_PAGEOBJ_IMAGE)
    for obj in page.get_objects(filter=kinds, max_depth=8):
        while forms and forms[-1][0] >= obj.level:
            forms.pop()
        outer = forms[-1][1] if forms else (1, 0, 0, 1, 0, 0)
        matrix = _compose(_matrix(obj), outer)
        if obj.type == pdfium_c.FPDF_PAGEOBJ_FORM:
            forms.append((obj.level, matrix))
        elif obj.type == pdfium_c.FPDF_PAGEOBJ_PATH and _drawn(obj):
            edges.extend(_path_edges(obj, matrix, height))
        elif obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            left, bottom, right, top = obj.get_bounds()
            image_area += max(0.0, min(right, width) - max(left, 0.0)) * max(0.0, min(top, height) - max(bottom, 0.0))
    return edges, min(1.0, image_area / (width * height)) if width and height else 0.0


def _matrix(obj) -> tuple:
    m = obj.get_matrix()
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner: tuple, outer: tuple) -> tuple:
    """The matrix applying `inner` and then `outer` (PDF's row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _drawn(obj) -> bool:
    """A path that is stroked or filled (not one only building a clip)."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj.raw, ctypes.byref(fill), ctypes.byref(stroke)):
        return True
    return bool(fill.value or stroke.value)


def _path_edges(obj, matrix: tuple, height: float) -> list[dict]:
    a, b, c, d, e, f = matrix
    x, y = ctypes.c_float(), ctypes.c_float()
    edges = []
    start = current = None
    for index in range(pdfium_c.FPDFPath_CountSegments(obj.raw)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj.raw, index)
        pdfium_c.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y))
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = current = point
            continue
        if kind == pdfium_c.FPDF_SEGMENT_LINETO and current is not None:
            edges.extend(_edge(current, point, height))
        current = point
        if pdfium_c.FPDFPathSegment_GetClose(segment) and start is not None:
            edges.extend(_edge(current, start, height))
            current = start
    return edges


def _edge(p: tuple, q: tuple, height: float) -> list[dict]:
    (x0, y0), (x1, y1) = p, q
    if abs(y0 - y1) <= _AXIS_TOLERANCE and abs(x0 - x1) > _AXIS_TOLERANCE:
        orientation = "h"
    elif abs(x0 - x1) <= _AXIS_TOLERANCE and abs(y0 - y1) > _AXIS_TOLERANCE:
        orientation = "v"
    else:
        return []
    left, right = min(x0, x1), max(x0, x1)
    top, bottom = height - max(y0, y1), height - min(y0, y1)
    return [{
        "object_type": "line", "orientation": orientation, "x0": left, "x1": right, "top": top, "bottom": bottom,
        "doctop": top, "width": right - left, "height": bottom - top,
    }]
