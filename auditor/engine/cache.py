"""Rule packs and compiled rules kept between runs, keyed by a digest of what they are made of.

Reading the rule packs (YAML with every key's line) and compiling them into durable_rules
rules (conditions parsed with Lark, every template instance expanded) took 0.4–0.5 s of every
start — of the CLI and of every worker process. The results are stored in a cache folder and
reused when nothing they depend on has changed: the key is a digest of the pack file's bytes
(packs) or of the rules themselves as loaded (compiled rules: configuration overrides and
extra rule folders included), plus the rule data and grammar files, the tool's own code and
the versions of gkaudit, durable_rules and Python. A changed rule, template or line of engine
code gives a new key; old entries are simply not read again.

Folder: $GKAUDIT_CACHE_DIR, else $XDG_CACHE_HOME/gkaudit, else ~/.cache/gkaudit;
GKAUDIT_CACHE_DIR=off turns the cache off. A folder that cannot be written, or an entry that
cannot be read, only costs the compile time: the cache never fails a run. Entries are
written whole (a temporary file renamed into place), so parallel workers never read half of
one.
"""

import hashlib
import os
import pickle
import sys
import tempfile
from functools import cache
from pathlib import Path

from .. import __version__
from ..resources import grammar_dir, overlays, rules_dir

_OFF = ("off", "0", "no", "false")


def cached_compile(rules: list, compile_rules) -> list:
    """compile_rules(rules), from the cache when the same rules were compiled before."""
    try:
        key = pickle.dumps(rules, protocol=5)
    except (pickle.PicklingError, TypeError, AttributeError):
        return compile_rules(rules)
    return cached("rules", key, lambda: compile_rules(rules))


def cached(kind: str, key: bytes, build):
    """build(), or what it returned before for the same `key` (with the same sources)."""
    folder = _folder()
    if folder is None:
        return build()
    digest = hashlib.sha256(_sources_digest() + kind.encode() + b"\0" + key).hexdigest()
    entry = folder / f"{kind}-{digest[:32]}.pickle"
    try:
        with open(entry, "rb") as handle:
            return pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError, IndexError):
        pass  # not there yet, or not readable: build it
    value = build()
    _store(entry, value)
    return value


def _folder() -> Path | None:
    setting = os.environ.get("GKAUDIT_CACHE_DIR", "")
    if setting.lower() in _OFF:
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "gkaudit"


def _store(entry: Path, value) -> None:
    temporary = None
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=entry.parent, prefix=".rules-", delete=False) as handle:
            temporary = handle.name
            pickle.dump(value, handle, protocol=5)
        os.replace(temporary, entry)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        if temporary is not None:
            try:
                os.unlink(temporary)
            except OSError:
                pass


def _sources_digest() -> bytes:
    return _digest_of(tuple(overlays()))


@cache
def _digest_of(folders: tuple) -> bytes:
    """Versions, the tool's code, the grammars, the packaged rule data and the data files of
    the --rules folders (once a process for each set of folders)."""
    import durable

    installed = os.stat(durable.__file__)  # durable_rules has no __version__: its installed file
    digest = hashlib.sha256()
    digest.update(f"{__version__}|{installed.st_size}|{installed.st_mtime_ns}|{sys.version}".encode())
    package = Path(__file__).parent.parent
    files = sorted(package.rglob("*.py")) + sorted(grammar_dir().glob("*.lark")) + sorted(rules_dir().rglob("*.yaml"))
    files += [path for folder in folders for path in sorted(folder.rglob("*.yaml")) if path.is_file()]  # (never a pipe)
    for path in files:
        digest.update(path.name.encode())
        try:
            digest.update(path.read_bytes()[: 8 * 1024 * 1024])
        except OSError:  # unreadable: the rule loader reports it (a coded rule-file error)
            digest.update(b"\0unreadable")
    return digest.digest()
