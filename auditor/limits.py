"""Resource limits for one file: size, decompressed DOCX size, line length, time, memory.

A batch of thousands of files from hundreds of sites holds hostile ones: a 3 MB DOCX that
inflates to gigabytes, a file of one 50 MB line, a FIFO that never ends. Each limit turns such
a file into a coded outcome (INPUT-013/014/015) instead of a hung or exhausted batch. Defaults
are in auditor/data/defaults.toml ([limits]); configuration may change them.
"""

import ctypes
import errno
import os
import signal
import stat
import threading
from contextlib import contextmanager
from dataclasses import dataclass

from .errors import InputError

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    file_mb: float = 50  # bytes read from one file
    docx_mb: float = 100  # a DOCX's parts, decompressed
    pdf_pages: int = 300  # pages of a PDF
    line_chars: int = 200_000  # one line of text
    seconds: float = 60  # parsing and auditing one file
    worker_memory_mb: float = 4096  # address space of a worker process (--jobs > 1)

    def file_bytes(self) -> int:
        return int(self.file_mb * MB)


LIMITS = Limits()
_current = {"limits": LIMITS}


def current() -> Limits:
    return _current["limits"]


def set_limits(limits: Limits) -> None:
    _current["limits"] = limits


def regular_file(path: str) -> os.stat_result:
    """The file's status; InputError for what is not a regular file (FIFO, device, socket),
    checked before opening it: opening a FIFO blocks forever."""
    try:
        info = os.stat(path)
    except OSError as error:
        raise InputError("INPUT-005", os_reason(error)) from None
    if not stat.S_ISREG(info.st_mode):
        kind = "文件夹" if stat.S_ISDIR(info.st_mode) else "管道" if stat.S_ISFIFO(info.st_mode) else "设备或套接字"
        raise InputError("INPUT-015", f"这是{kind}，不是报告文件")
    return info


def read_limited(path: str) -> bytes:
    """The file's bytes, refusing a non-regular file and one over the size limit (read at most
    one byte past it, so a file that grows while read cannot exhaust memory)."""
    info = regular_file(path)
    limit = current().file_bytes()
    if info.st_size > limit:
        raise InputError("INPUT-014", f"文件大小 {info.st_size / MB:.1f} MB，超过限制 {current().file_mb:g} MB")
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        raise InputError("INPUT-005", os_reason(error)) from None
    if len(data) > limit:
        raise InputError("INPUT-014", f"文件超过大小限制 {current().file_mb:g} MB")
    return data


def check_lines(text: str) -> None:
    """InputError for a line longer than the limit (a wall of digits costs the parser gigabytes)."""
    limit = current().line_chars
    if len(text) <= limit:
        return
    start = 0
    number = 1
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if end - start > limit:
            raise InputError("INPUT-014", f"第 {number} 行长达 {end - start} 个字符，超过限制 {limit}", number)
        start, number = end + 1, number + 1


_OS_REASONS = {
    errno.ENOENT: "文件不存在", errno.EACCES: "没有读取权限", errno.EPERM: "没有读取权限",
    errno.ELOOP: "符号链接形成循环", errno.EISDIR: "这是文件夹", errno.ENAMETOOLONG: "文件名过长",
    errno.EIO: "读取时发生输入输出错误", errno.ENOTDIR: "路径中的某一级不是文件夹",
}


def os_reason(error: OSError) -> str:
    """What the operating system said, in Chinese (the English text is kept for the rest)."""
    return _OS_REASONS.get(error.errno, f"系统错误：{error.strerror or error}")


class FileTimeout(Exception):
    """Raised inside the audit of one file when its time is up."""


@contextmanager
def time_limit(seconds: float | None = None):
    """Interrupt the body after `seconds`: by SIGALRM in the main thread; in another thread
    (a Dask worker runs its tasks in one) by an exception raised asynchronously in that
    thread when a timer expires — it interrupts Python code, as the signal does."""
    seconds = current().seconds if seconds is None else seconds
    if not seconds or seconds <= 0:
        yield
        return
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        with _thread_time_limit(seconds):
            yield
        return
    previous = signal.signal(signal.SIGALRM, _expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def _thread_time_limit(seconds: float):
    target = ctypes.c_ulong(threading.get_ident())
    lock, state = threading.Lock(), {"done": False, "fired": False}

    def expire():
        with lock:
            if not state["done"]:
                state["fired"] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(target, ctypes.py_object(FileTimeout))

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["done"] = True
            if state["fired"]:  # raised already, or still pending: never after the block
                ctypes.pythonapi.PyThreadState_SetAsyncExc(target, None)
        timer.cancel()


def _expire(signum, frame):
    raise FileTimeout()


def limit_worker_memory() -> None:
    """Cap a worker process's address space: a file that needs more fails with MemoryError
    (a coded outcome) instead of taking the machine down."""
    try:
        import resource
    except ImportError:  # not on this platform
        return
    cap = int(current().worker_memory_mb * MB)
    if cap <= 0:
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ValueError, OSError):
        pass
