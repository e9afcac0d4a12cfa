"""The progress line: on a terminal only, never in CI or logs."""

from __future__ import annotations

import io

from portal.progress import Progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_terminal_shows_phase_count_and_rate(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("PORTAL_QUIET", raising=False)
    monkeypatch.setattr("portal.progress.INTERVAL", 0.0)
    stream = _Terminal()
    progress = Progress("Dựng trang", 3, stream=stream)
    for _ in range(3):
        progress.step()
    progress.done()
    text = stream.getvalue()
    assert "\rDựng trang: 1/3 (" in text and "\rDựng trang: 3/3 (" in text and "/giây)" in text
    assert text.endswith("\n")


def test_ci_and_logs_stay_quiet(monkeypatch):
    monkeypatch.setattr("portal.progress.INTERVAL", 0.0)
    monkeypatch.setenv("CI", "true")
    quiet = _Terminal()
    Progress("Đọc nội dung", 2, stream=quiet).step()
    assert quiet.getvalue() == ""
    monkeypatch.delenv("CI")
    log = io.StringIO()  # not a terminal
    progress = Progress("Đọc nội dung", 2, stream=log)
    progress.step()
    progress.done()
    assert log.getvalue() == ""
