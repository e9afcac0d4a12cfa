"""A built site on 127.0.0.1 and Debian's Chromium: shared by the search budget and the browser tests; the
server, quiet when a reader leaves early, is the preview's too.

The browser is the system one (/usr/bin/chromium), never a downloaded build;
the flags keep it from calling out to a network that is not there.
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["ARGS", "CHROMIUM", "SEARCH_DONE", "QuietHandler", "QuietServer", "serve"]

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
# True once the search page has finished a query (its live region says how many results, or none).
# None while a page without it is still shown (a form sent from a campaign's page, before the search page loads).
SEARCH_DONE = ("() => { const status = document.getElementById('search-status');"
               " return !!status && /^(Tìm thấy|Không tìm thấy)/.test(status.textContent); }")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Files of a folder, without a log line per request."""

    def log_message(self, *args: object) -> None:
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    """A server on 127.0.0.1 for a browser (the preview's, the tests'). A reader who leaves before the answer is
    sent (a tab closed or reloaded while the preview builds, a request Chromium gives up) is no error: the standard
    server printed a Python traceback for each, in English, in the editor's terminal."""

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a broken pipe, a connection reset or aborted
            super().handle_error(request, client_address)


@contextmanager
def serve(root: Path, handler: type[QuietHandler] = QuietHandler) -> Iterator[str]:
    """Serve ``root`` on a free port of 127.0.0.1 through ``handler`` (a subclass changes how); yields the base URL."""
    server = QuietServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
