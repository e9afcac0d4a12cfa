"""What a build started as ``python -m portal`` leaves out of its start: Pelican's reStructuredText reader, and the
garbage collector while it imports.

``pelican.readers`` imports docutils, and ``pelican.rstdirectives`` Pygments' lexers, at module level for its
``RstReader``: 0.07 s of the 0.3 s of imports every build process pays, an edit build's 4 % at 10,000 articles.
The portal reads Markdown only (``READERS`` in pelicanconf.py turns .rst off). So the command's process puts empty
stand-ins for those modules in ``sys.modules`` before Pelican is imported (``portal/__init__.py``), and a build
whose settings would let Pelican read .rst files, or load another plugin, starts the process again with the real
ones (``build.build``).
Only the command's own fresh process does this; a test, the preview or a Pelican run importing the plugin imports
the real docutils as before.

The same process turns the collector off before it imports (:func:`collect_later`): the command never turns it on
again but while a full build renders (build.py, generator.py), and importing the ~450 modules woke it for 0.011 s
of every build (farm-bench, 30 pairs: 0.286 s of imports against 0.297 s).
"""

from __future__ import annotations

import gc
import os
import sys
import types
from typing import Any, NoReturn

_REAL = "PORTAL_REAL_DOCUTILS"  # set in the restarted process: import the real modules
_MARK = "__portal_stand_in__"


class _Absent:
    """A docutils class the stand-ins name (Pelican subclasses two at import); making one is a bug of ours."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise RuntimeError("docutils was left out of this process (portal/startup.py); a build that reads .rst "
                           "files or loads another plugin restarts with it")


_STAND_INS: dict[str, dict[str, Any]] = {
    "docutils": {},
    "docutils.core": {},
    "docutils.io": {},
    "docutils.parsers": {},
    "docutils.parsers.rst": {},
    "docutils.parsers.rst.languages": {"get_language": lambda *args, **kwargs: None},
    "docutils.writers": {},
    "docutils.writers.html4css1": {"HTMLTranslator": type("HTMLTranslator", (_Absent,), {}),
                                   "Writer": type("Writer", (_Absent,), {})},
    "pelican.rstdirectives": {},  # registers Pelican's directives with docutils; imports Pygments' lexers
}


def started_as_command() -> bool:
    """True while ``python -m portal …`` starts: runpy imports this package before running its ``__main__``."""
    argv = getattr(sys, "orig_argv", [])
    return "-m" in argv and argv[argv.index("-m") + 1:][:1] == ["portal"]


def leave_out_docutils() -> None:
    """Put the stand-ins in place, unless the real modules are wanted or already imported."""
    if os.environ.get(_REAL) or any(name in sys.modules for name in _STAND_INS):
        return
    for name, attributes in _STAND_INS.items():
        module = types.ModuleType(name, "A stand-in: see portal/startup.py.")
        module.__dict__.update(attributes, **{_MARK: True})
        sys.modules[name] = module


def collect_later() -> None:
    """No garbage collection while the command imports, nor after (``__main__`` turns it off too, and leaves without
    freeing: see there)."""
    gc.disable()


def docutils_left_out() -> bool:
    return getattr(sys.modules.get("docutils"), _MARK, False)


def needs_docutils(settings: dict[str, Any]) -> bool:
    """Whether a build under these settings may use docutils: Pelican reads .rst files (its RstReader, unless
    READERS maps "rst" to None), or loads a plugin besides the portal (PLUGINS None: every one installed)."""
    plugins = settings.get("PLUGINS")
    others = plugins is None or any(getattr(p, "__name__", p) != "portal" for p in plugins)
    return others or (settings.get("READERS") or {}).get("rst", "RstReader") is not None


def restart_with_docutils() -> NoReturn:
    """Run this command again, the same arguments, with the real docutils."""
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, [sys.executable, *sys.orig_argv[1:]], {**os.environ, _REAL: "1"})
