"""Findings one per line, yamllint's "parsable" form: `file:line: [级别] message (RULE-ID)`.

Editors and CI jump to `file:line`; a finding without a source line is `file: [级别] ...`.
File names go through display_path; a message's line breaks become spaces.
"""

from ..findings import SEVERITY_LABEL, Finding
from .sanitize import display_path

_STATUS = {"accepted": "（已接受）", "dismissed": "（已排除）"}


def finding_line(finding: Finding) -> str:
    place = display_path(finding.file) + (f":{finding.line}" if finding.line else "")
    level = SEVERITY_LABEL.get(finding.severity, finding.severity) + _STATUS.get(finding.status, "")
    message = display_path(" ".join(finding.message.split()))
    return f"{place}: [{level}] {message} ({finding.rule_id})"
