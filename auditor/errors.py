"""Coded input errors: a file that cannot be audited yields one of these, never a traceback."""

from dataclasses import dataclass

from .resources import load_yaml


@dataclass
class InputError(Exception):
    """A file-level problem with a code from rules/input_errors.yaml and a Chinese detail."""

    code: str
    detail: str = ""
    line: int = 0

    @property
    def spec(self) -> dict:
        return load_yaml("input_errors.yaml")[self.code]

    @property
    def title(self) -> str:
        return self.spec["title"]

    @property
    def severity(self) -> str:
        return self.spec["severity"]

    @property
    def fix(self) -> str:
        return self.spec["fix"]

    @property
    def message(self) -> str:
        return f"{self.title}：{self.detail}" if self.detail else self.title

    def __str__(self) -> str:
        return f"{self.code} {self.message}"
