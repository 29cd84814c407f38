"""Findings as CSV on stdout (`auditor audit --format csv`), one report at a time.

The columns and cells are those of `--out`'s findings.csv (frames.findings_frame, exported
with frames.FINDING_HEADERS, cells cleaned by sanitize.clean_frame), without the byte-order
mark: the header row once, then each report's rows as soon as it is audited, so a long
batch streams and the bytes do not depend on --jobs.
"""

import pandas as pd

from . import frames
from .sanitize import clean_frame


def header() -> str:
    """The header row (with its line end)."""
    return pd.DataFrame(columns=list(frames.FINDING_HEADERS.values())).to_csv(index=False)


def report_rows(result, conclusion) -> str:
    """The rows of one report's findings (each with its line end; "" when it has none)."""
    if not result.findings:
        return ""
    table = frames.export(frames.findings_frame([result], [conclusion]), frames.FINDING_HEADERS)
    return clean_frame(table).to_csv(index=False, header=False)
