"""The one exception a deploy raises: a Vietnamese message for the person publishing, and an exit code.

Every fault (configuration, an incomplete build, the store or the server refusing) ends as a
``DeployError`` so the command line prints one clear sentence instead of a traceback.
"""

from __future__ import annotations

__all__ = ["EXIT_CONFIG", "EXIT_DELETES_HELD", "EXIT_FAILED", "DeployError"]

EXIT_FAILED = 1  # the store or server refused, or could not be reached: nothing readers see was deleted
EXIT_CONFIG = 2  # wrong settings or an output that is not a complete build: nothing was sent
EXIT_DELETES_HELD = 3  # everything was sent, but more deletes than --max-deletes allows: none was made


class DeployError(Exception):
    """A fault the person publishing must act on; ``str()`` is the message, in Vietnamese."""

    def __init__(self, message: str, code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
