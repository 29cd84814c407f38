"""One renderer per layout of DESIGN.md; `render(spec, rng)` prints a Spec in its layout."""

from .base import Rendered
from .cell_per_line import CellPerLine
from .html import Html
from .markdown import Markdown
from .pdf_text import PdfText
from .pipe_cell import PipeCell
from .pipe_row import PipeRow
from .run_together import RunTogether
from .tab import Tab

RENDERERS = {r.name: r for r in (CellPerLine, Tab, PipeCell, PipeRow, Markdown, PdfText, Html, RunTogether)}
LAYOUTS = tuple(RENDERERS)
# Layouts that keep every cell's position (a blank cell prints as an empty cell).
KEEP_POSITIONS = ("tab", "pipe-row", "markdown", "html")


def render(spec, rng) -> Rendered:
    return RENDERERS[spec.layout](spec, rng).render()
