"""The facts stage: parsed document -> typed Report (sections, tables, cells, metadata, prose)."""

from ..chars import source_lines as source_lines_of
from ..ingest import Source
from ..model import Report
from ..normalize import Stream
from .metadata import extract_metadata
from .prose import extract_fee, extract_figures
from .sections import map_sections
from .tables import map_tables
from .transformer import Document
from .truncation import truncated_at


def build_report(source: Source, stream: Stream, document: Document) -> Report:
    source_lines = source_lines_of(source.text)
    report = Report(
        path=source.path,
        encoding=source.encoding,
        format=source.format,
        layout=stream.layout,
        size=source.size,
        source_lines=source_lines,
        notes=list(stream.notes),
        undecodable_lines=source.undecodable_lines,
        pages=source.pages,
        image_pages=source.image_pages,
    )
    report.sections, section_deviations = map_sections(document)
    report.metadata = extract_metadata(document, source_lines)
    mapping = map_tables(document, report.metadata.year)
    report.tables = mapping.tables
    report.deviations = section_deviations + mapping.deviations
    report.metadata.template = mapping.template
    report.metadata.template_votes = dict(mapping.votes)
    report.metadata.template_conflicts = list(mapping.conflicts)
    report.figures = extract_figures(document)
    report.fee = extract_fee(document, mapping.fee_cells, mapping.fee_line)
    report.last_line = max((line.src for line in stream.lines), default=0)
    report.truncated_at = truncated_at(report, stream)
    return report
