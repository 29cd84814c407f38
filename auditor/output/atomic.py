"""Output files written whole or not at all, and a record of what a run wrote.

Every output (CSV, XLSX, JSON Lines, summaries, memos, the baseline) goes through
write_bytes(): the data goes to a temporary file in the same folder, is flushed to disk, and
replaces the target with os.replace — a reader sees the old file or the new one, never half
of one, however the process ends (kill -9, power loss, a full disk). A temporary file left by
a killed process is hidden (a leading dot, suffix .gkaudit-tmp) and removed by the next run
that locks the folder (output/outdir.py).

While a Recorder is active (start_recording), each file written is recorded with its size and
SHA-256, for the run manifest.
"""

import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from ..usage import UsageError
from .sanitize import display_path, visible

TEMP_SUFFIX = ".gkaudit-tmp"


class OutputError(UsageError):
    """An output file or folder that cannot be written (no space, no permission, not a folder)."""

    def __init__(self, path, error: OSError | str):
        reason = error if isinstance(error, str) else (error.strerror or str(error))
        super().__init__(f"无法写入 {display_path(path)}：{reason}（请检查磁盘空间、写入权限和路径，以及该文件是否正被 Excel 等程序打开）")


@dataclass(frozen=True)
class Written:
    path: Path
    size: int
    sha256: str


class Recorder:
    """The files written while it is active, by path (the last write of a path counts)."""

    def __init__(self):
        self.files: dict[Path, Written] = {}

    def add(self, path: Path, data: bytes) -> None:
        key = Path(os.path.abspath(path))
        self.files[key] = Written(key, len(data), hashlib.sha256(data).hexdigest())


_recorders: list[Recorder] = []


def start_recording() -> Recorder:
    recorder = Recorder()
    _recorders.append(recorder)
    return recorder


def stop_recording(recorder: Recorder) -> None:
    if recorder in _recorders:
        _recorders.remove(recorder)


def ensure_folder(folder) -> Path:
    """The folder, created if missing; OutputError when it cannot be (a file of that name, …)."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(folder, "同名的文件已存在，不是文件夹") from None
    except OSError as error:
        raise OutputError(folder, error) from None
    return folder


def write_bytes(path, data: bytes) -> Path:
    """Write `data` to `path` atomically (temporary file in the same folder, fsync, replace)."""
    path = Path(path)
    temp = path.parent / f".{secrets.token_hex(6)}{TEMP_SUFFIX}"
    try:
        with open(temp, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except OSError as error:
        _remove(temp)
        raise OutputError(path, error) from None
    except BaseException:
        _remove(temp)
        raise
    for recorder in _recorders:
        recorder.add(path, data)
    return path


def write_text(path, text: str, encoding: str = "utf-8") -> Path:
    """Write text atomically; text that cannot be encoded (a lone surrogate) is made visible."""
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = visible(text).encode(encoding, "replace")
    return write_bytes(path, data)


def remove_temporaries(folder) -> int:
    """Remove temporary files a killed run left in `folder`; how many were removed."""
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        if entry.name.startswith(".") and entry.name.endswith(TEMP_SUFFIX) and entry.is_file(follow_symlinks=False):
            removed += _remove(entry.path)
    return removed


def _remove(path) -> bool:
    try:
        os.unlink(path)
        return True
    except OSError:
        return False
