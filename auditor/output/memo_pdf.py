"""The PDF memo: the DOCX memo converted by LibreOffice (`soffice --headless --convert-to pdf`).

LibreOffice is optional. Whether it is installed is checked before anything is audited
(require_converter: a Chinese message, exit code 2); CI and the tests never need it. One user
profile per process (a temporary folder) keeps conversions apart from a LibreOffice the user
has open and from other runs.
"""

import atexit
import os
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from ..usage import UsageError

PDF_FORMATS = ("pdf", "all")
TIMEOUT = 180  # seconds for one conversion (the first one starts LibreOffice)
NAMES = ("soffice", "libreoffice")


def converter() -> str | None:
    """The LibreOffice program on PATH, or None."""
    return next((found for name in NAMES if (found := shutil.which(name))), None)


def require_converter(fmt: str | None) -> None:
    """Refuse a PDF format when LibreOffice is not installed (before any file is audited)."""
    if fmt in PDF_FORMATS and converter() is None:
        raise UsageError(
            "生成 PDF 审核意见需要 LibreOffice（soffice），但未找到。请安装 LibreOffice"
            "（Debian / Ubuntu：apt-get install libreoffice-writer-nogui fonts-noto-cjk），或改用 docx 格式。"
        )


@cache
def _profile() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="gkaudit-soffice-"))
    atexit.register(shutil.rmtree, folder, True)
    return folder


def pdf_bytes(docx: bytes, stem: str = "memo") -> bytes:
    """The PDF LibreOffice makes of a DOCX (raises UsageError with its message when it fails)."""
    program = converter()
    if program is None:
        require_converter("pdf")
    with tempfile.TemporaryDirectory(prefix="gkaudit-pdf-") as work:
        source = Path(work) / f"{stem}.docx"
        source.write_bytes(docx)
        command = [
            program, f"-env:UserInstallation={(_profile() / 'profile').as_uri()}", "--headless", "--norestore",
            "--convert-to", "pdf", "--outdir", work, str(source),
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT, env={**os.environ, "HOME": str(_profile())}, check=False)
        except subprocess.TimeoutExpired:
            raise UsageError(f"LibreOffice 在 {TIMEOUT} 秒内未完成 PDF 转换") from None
        target = source.with_suffix(".pdf")
        if not target.is_file():
            said = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
            raise UsageError(f"LibreOffice 未能把审核意见转换为 PDF（退出码 {done.returncode}{'：' + said[-1] if said else ''}）")
        return target.read_bytes()
