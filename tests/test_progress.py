"""The batch progress bar: on stderr at a terminal, silent in pipes and CI."""

import io

from auditor.cli import audit as cli
from auditor.cli import main

from .conftest import SEEDS, seed


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bar_shown_at_a_terminal_for_batches(monkeypatch):
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    monkeypatch.delenv("CI", raising=False)
    bar = cli._progress(["a", "b"], disabled=False)
    assert not bar.disable
    list(bar)
    bar.close()
    assert "审核:" in terminal.getvalue() and "0/2" in terminal.getvalue()
    assert cli._progress(["a"], disabled=False).disable  # one file: no bar
    assert cli._progress(["a", "b"], disabled=True).disable  # --no-progress


def test_bar_quiet_in_ci_even_at_a_terminal(monkeypatch):
    monkeypatch.setattr("sys.stderr", _Terminal())
    monkeypatch.setenv("CI", "true")
    assert cli._progress(["a", "b"], disabled=False).disable


def test_quiet_in_pipes(capsys, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    main(["audit", str(SEEDS), "--format", "json"])
    captured = capsys.readouterr()
    assert "\r" not in captured.err and "份/s" not in captured.err and "it/s" not in captured.err
    assert captured.err.startswith("运行汇总")


def test_table_output_unchanged_in_shape(capsys):
    code = main(["audit", str(seed("001"))])
    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith(f"== {seed('001')}  天津市北辰区小淀镇人民政府 2020年度\n规则")
    assert "运行汇总" in out and "TMPL-004" in out
