"""PDF reports read from their page geometry: `read_pdf(data)` (read.py) gives the text with
tables as tab-separated rows and the page of every line. page.py: PDFium's characters and
ruling lines; tables.py: ruled tables as rows, rows cut by page breaks put together;
text.py: characters into lines. See docs/pdf.md."""

from .read import PdfText, read_pdf

__all__ = ["PdfText", "read_pdf"]
