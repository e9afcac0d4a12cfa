"""Live preview for editors: serve the site on 127.0.0.1 and rebuild on every change.

Each rebuild runs the real build in a fresh process, so edits to the theme or
the plugin count as much as edits to content; the open page reloads itself
(livereload). Preview uses the development settings: drafts and scheduled
articles are built, each with a banner, and listed at /ban-nhap/.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

__all__ = ["serve"]

WATCHED = ("content", "theme", "plugins")


def _rebuild(settings: str, output: str, address: str, content: str | None) -> None:
    cmd = [sys.executable, "-m", "portal", "build", "-s", settings, "-o", output, *(["-c", content] if content else [])]
    result = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PORTAL_SITE_URL": address})
    print(result.stdout.strip().splitlines()[-1] if result.returncode == 0 else result.stderr.strip(), flush=True)


def serve(port: int = 8000, settings: str = "pelicanconf.py", output: str = "output", content: str | None = None) -> None:
    """Build once, then serve ``output`` and rebuild whenever a watched file changes (``content``: the settings')."""
    from livereload import Server  # a development tool: only preview needs it

    address = f"http://127.0.0.1:{port}"  # the preview's own address: canonical URLs and feeds point at it
    _rebuild(settings, output, address, content)
    server = Server()
    watched = [content or WATCHED[0], *WATCHED[1:], settings]
    for path in watched:
        if Path(path).exists():
            server.watch(path, lambda: _rebuild(settings, output, address, content), delay=0.2)
    print(f"Xem trước tại http://127.0.0.1:{port}/ (bản nháp: /ban-nhap/). Ctrl+C để dừng.", flush=True)
    server.serve(port=port, host="127.0.0.1", root=output, restart_delay=0)
