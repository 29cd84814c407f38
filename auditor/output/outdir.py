"""An output folder in use by one run: a lock while the run lasts, and a manifest written last.

OutputSession.open(out, memo, inputs, run), before the batch starts:
  - creates the --out and --memo folders and locks each: `.auditor.lock`, held with an OS lock
    (flock / msvcrt) for as long as the process runs. A second run on the same folder is
    refused (UsageError, exit 2) with the holder's process, host and start time; a lock file
    left by a process that died holds no OS lock and is simply taken over.
  - removes temporary files a killed run left there (output/atomic.py);
  - replaces out/manifest.json with one saying this run has started ("complete": false), so
    files of a run that never finished are never mistaken for a complete set;
  - records every file written from then on (atomic.Recorder).
session.finish(), after the last output: writes manifest.json — run id, start and end time,
tool version, rule digest, the number of input files, every file the run wrote with its size
and SHA-256 — then releases the locks.

A session left open by an earlier call in the same process (an exception between open and
finish) is released by the next open: one process runs one batch at a time.
"""

import datetime
import json
import os
import secrets
import socket
from pathlib import Path

from .. import __version__
from ..usage import UsageError
from .atomic import OutputError, ensure_folder, remove_temporaries, start_recording, stop_recording, write_text
from .sanitize import display_path

LOCK_NAME = ".auditor.lock"
MANIFEST = "manifest.json"
_WINDOWS_LOCK_OFFSET = 1 << 20  # msvcrt locks a byte range: one far past the text readers read

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None


class FolderBusy(UsageError):
    """The folder is locked by another run that is still alive."""


def _now() -> str:
    return datetime.datetime.now().astimezone().isoformat(timespec="seconds")


def _try_lock(fd: int) -> bool:
    """Take the OS lock without waiting: True if taken, False if another process holds it."""
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            import msvcrt

            os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except (BlockingIOError, PermissionError):
        return False
    except OSError as error:
        import errno

        if error.errno in (errno.EAGAIN, errno.EACCES, getattr(errno, "EDEADLK", -1)):
            return False
        # a file system without locks (some network shares): go on unlocked
    return True


def _same_file(fd: int, path: Path) -> bool:
    try:
        mine, there = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (mine.st_dev, mine.st_ino) == (there.st_dev, there.st_ino)


def _holder(path: Path) -> str:
    """Who holds the lock, as written in the lock file ("" if unreadable)."""
    try:
        with open(path, "rb") as handle:
            info = json.loads(handle.read(4096).decode("utf-8"))
        return f"（进程 {info['pid']}，主机 {info['host']}，{info['started']} 开始）"
    except (OSError, ValueError, KeyError, TypeError):
        return ""


class FolderLock:
    def __init__(self, folder: Path, option: str):
        self.folder, self.option = folder, option
        self.path = folder / LOCK_NAME
        self.fd: int | None = None

    def acquire(self, info: dict) -> None:
        for _ in range(10):
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
            except OSError as error:
                raise OutputError(self.path, error) from None
            if not _try_lock(fd):
                os.close(fd)
                raise FolderBusy(
                    f"{self.option} 目录 {display_path(self.folder)} 正被另一次审核使用{_holder(self.path)}；"
                    f"请等它结束后再运行，或换一个 {self.option} 目录"
                )
            if not _same_file(fd, self.path):  # the previous holder removed it meanwhile: retry
                os.close(fd)
                continue
            text = json.dumps(info, ensure_ascii=False).encode("utf-8")
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, text)
            self.fd = fd
            return
        raise FolderBusy(f"{self.option} 目录 {display_path(self.folder)} 的锁文件反复被其他进程替换，请稍后再试")

    def release(self) -> None:
        if self.fd is None:
            return
        fd, self.fd = self.fd, None
        if fcntl is not None:  # remove it while still holding it: nobody can take a stale copy
            _unlink(self.path)
            os.close(fd)
        else:
            os.close(fd)
            _unlink(self.path)


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


_open_sessions: list = []


class OutputSession:
    """The --out / --memo folders of one `auditor audit` run (see the module docstring)."""

    def __init__(self, out, memo, inputs: int, run):
        self.out = Path(out) if out else None
        self.inputs, self.run = inputs, run
        self.run_id = f"{datetime.datetime.now():%Y%m%dT%H%M%S}-{secrets.token_hex(4)}"
        self.started = _now()
        self.locks: list[FolderLock] = []
        self.recorder = None
        self._folders = [(Path(f), option) for f, option in ((out, "--out"), (memo, "--memo")) if f]

    @classmethod
    def open(cls, out, memo, inputs: int, run) -> "OutputSession":
        for stale in list(_open_sessions):
            stale.close()
        session = cls(out, memo, inputs, run)
        _open_sessions.append(session)
        try:
            session._start()
        except BaseException:
            session.close()
            raise
        return session

    def _start(self) -> None:
        info = {"pid": os.getpid(), "host": socket.gethostname(), "started": self.started, "run_id": self.run_id}
        seen = set()
        for folder, option in self._folders:
            ensure_folder(folder)
            key = os.path.realpath(folder)
            if key in seen:
                continue
            seen.add(key)
            lock = FolderLock(folder, option)
            lock.acquire(info)
            self.locks.append(lock)
            remove_temporaries(folder)
        if self.out is not None:
            write_text(self.out / MANIFEST, self._manifest(complete=False))
        self.recorder = start_recording()

    def finish(self) -> None:
        """Write the manifest (last), then release the folders."""
        try:
            if self.out is not None and self.recorder is not None:
                stop_recording(self.recorder)
                write_text(self.out / MANIFEST, self._manifest(complete=True))
        finally:
            self.close()

    def close(self) -> None:
        """Release the folders without declaring the run complete."""
        if self.recorder is not None:
            stop_recording(self.recorder)
        for lock in self.locks:
            lock.release()
        self.locks = []
        if self in _open_sessions:
            _open_sessions.remove(self)

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        if kind is None:
            self.finish()
        else:
            self.close()

    def _manifest(self, complete: bool) -> str:
        files = []
        if complete and self.recorder is not None:
            manifest = Path(os.path.abspath(self.out / MANIFEST))
            for written in sorted(self.recorder.files.values(), key=lambda w: str(w.path)):
                if written.path != manifest:
                    name = os.path.relpath(written.path, os.path.abspath(self.out)).replace(os.sep, "/")
                    files.append({"path": display_path(name), "bytes": written.size, "sha256": written.sha256})
        ruleset = getattr(self.run, "ruleset", None)
        data = {
            "tool": "gkaudit",
            "version": __version__,
            "run_id": self.run_id,
            "complete": complete,
            "started": self.started,
            "finished": _now() if complete else None,
            "inputs": self.inputs,
            "rules_digest": getattr(ruleset, "digest", ""),
            "ruleset": ruleset.version_text() if ruleset is not None else "",
            "config": display_path(getattr(ruleset, "config", "") or ""),
            "audit_date": getattr(self.run, "audit_date", ""),
            "files": files,
        }
        if not complete:
            data["note"] = "本次运行尚未完成（或已中断）：本目录中的文件可能属于不同的运行，请以完成后的清单为准"
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
