"""Problems found in content: values first, exceptions only at the edge.

Validation never raises on bad input; it collects :class:`Problem` values so
that an editor sees every mistake of a build at once. The build decides what
is fatal (errors always, warnings in strict mode) and raises
:class:`ContentError` with the whole report.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one field of one file, and how to fix it."""

    path: str
    line: int | None
    field: str
    message: str
    fix: str = ""
    severity: str = ERROR

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        label = "lỗi" if self.severity == ERROR else "cảnh báo"
        text = f"{where}: {label}: [{self.field}] {self.message}"
        if self.fix:
            text += f"\n    → cách sửa: {self.fix}"
        return text


@dataclass
class Report:
    """All problems of one build, in file order."""

    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    def fatal(self, strict: bool) -> list[Problem]:
        """What stops a build: the errors, and in strict mode the warnings too."""
        return self.errors + (self.warnings if strict else [])


class ContentError(Exception):
    """Raised when content cannot be built; its message is the full report."""

    exitcode = 1

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.path, p.line or 0, p.field))
        count = len(self.problems)
        strict = any(p.severity == WARNING for p in self.problems)
        note = " (chế độ nghiêm ngặt: cảnh báo cũng là lỗi)" if strict else ""
        lines = [f"Nội dung có {count} lỗi{note}, chưa thể dựng trang:"]
        lines += [str(p) for p in self.problems]
        super().__init__("\n".join(lines))


def did_you_mean(value: str, candidates: Iterable[str]) -> str:
    """A "did you mean" hint for an unknown slug, or "" when nothing is close."""
    matches = difflib.get_close_matches(value, list(candidates), n=3, cutoff=0.72)
    if not matches:
        return ""
    return "có phải ý bạn là " + " hoặc ".join(f"'{m}'" for m in matches) + "?"
