"""Word 97-2003 (.doc) and WPS files through LibreOffice: converted to DOCX, then read as DOCX.

LibreOffice (`soffice --headless`) runs with a private, throw-away profile, so conversions in
parallel workers do not share (and lock) one user profile; it is given the per-file time
limit. Without LibreOffice the file gets INPUT-006 saying how to convert it.
"""

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import InputError
from ..limits import current

_PROGRAMS = ("soffice", "libreoffice")
_DEFAULT_SECONDS = 120  # when the configuration sets no time limit


def soffice() -> str | None:
    """The LibreOffice program on PATH, if any."""
    return next((found for name in _PROGRAMS if (found := shutil.which(name))), None)


def doc_to_docx(data: bytes, what: str = "Word 97-2003（.doc）或 WPS 文件") -> bytes:
    """The DOCX LibreOffice makes of an old Word binary file; raises InputError."""
    program = soffice()
    if program is None:
        raise InputError("INPUT-006", f"{what}需要 LibreOffice（soffice）转换，本机未安装；请安装 LibreOffice 或先另存为 DOCX")
    seconds = current().seconds or _DEFAULT_SECONDS
    with tempfile.TemporaryDirectory(prefix="gkaudit-office-") as folder:
        work = Path(folder)
        source = work / "report.doc"
        source.write_bytes(data)
        command = [
            program, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
            "--convert-to", "docx", "--outdir", str(work / "out"), str(source),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=seconds, check=False)
        except subprocess.TimeoutExpired:
            raise InputError("INPUT-013", f"LibreOffice 转换{what}超过 {seconds:g} 秒，已停止") from None
        except OSError as error:
            raise InputError("INPUT-006", f"无法运行 LibreOffice（{type(error).__name__}）") from None
        made = work / "out" / "report.docx"
        if not made.is_file():
            raise InputError("INPUT-006", f"LibreOffice 无法转换该{what}（文件可能已损坏或不是 Word 文档）")
        return made.read_bytes()
