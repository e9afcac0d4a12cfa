"""What the last good build wrote (State) and what this build renders or reuses (Session)."""

from __future__ import annotations

import contextlib
import functools
import os
import pickle
import time
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..forked import DAMAGE_NICE, Forked
from ..serving import COPIES

__all__ = ["SESSION", "STATE_VERSION", "Session", "State", "free_released"]

SESSION = "PORTAL_BUILD"  # settings key of the running build's Session (set by build.py)
STATE_VERSION = 7


@dataclass
class State:
    """What the last good build wrote: its site key, each unit's key and files, every file of the site.

    A unit is one page, one feed or one search bundle (a folder of files).
    """

    site_key: str = ""
    units: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)  # unit -> (key, files)
    files: set[str] = field(default_factory=set)  # every file of the site, without the .gz/.br copies
    sizes: dict[str, int] = field(default_factory=dict)  # every file of the site, copies included: its size
    redirect_pages: list[str] = field(default_factory=list)  # alias pages: nginx's redirect map reads them
    inputs: str = ""  # digest of every input file's name, size and mtime, the theme, the code and the settings
    next_due: datetime | None = None  # the first scheduled article: the site changes then, inputs or not
    graph: str = ""  # digest of the joined graph without article bodies (Fingerprint.graph); "" when not taken
    own: dict[str, str] = field(default_factory=dict)  # unit -> digest of what it shows besides the graph (kept_key)
    # The graph's parts (Fingerprint.graph): each article's own digest by its path; the records' and documents'.
    articles: dict[str, bytes] = field(default_factory=dict)
    records: str = ""
    # A paginated page made from the graph -> the names of its pages, in order (PortalWriter.write_file): a listing
    # kept whole is not paginated again.
    listings: dict[str, tuple[str, ...]] = field(default_factory=dict)
    related: str = ""  # the memo key of the ranking its article pages show (related.attach); "" when not known
    version: int = STATE_VERSION

    def unchanged(self, inputs: str, now: datetime) -> bool:
        """True when nothing the site is made of changed since this state was saved, nor fell due."""
        return self.inputs == inputs and (self.next_due is None or now < self.next_due)

    def damaged(self, live: Path) -> set[str]:
        """Files of the site (copies counted with their original) that are missing or changed size since.

        A site damaged from outside (a file deleted, truncated, a copy lost) is repaired by the next build:
        the no-change shortcut does not apply, and these files are written again.
        """
        root, found = str(live), set()
        for rel, size in self.sizes.items():
            try:
                same = os.stat(os.path.join(root, rel)).st_size == size
            except OSError:
                same = False
            if not same:
                found.add(rel[:-3] if rel.endswith(COPIES) and rel[:-3] in self.files else rel)
        return found

    @classmethod
    def load(cls, path: Path) -> State | None:
        try:
            with path.open("rb") as f:
                state = pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None
        return state if isinstance(state, cls) and state.version == STATE_VERSION else None

    def stage(self, path: Path) -> Path:
        """Write the state beside ``path`` without replacing it; the commit renames it into place.

        Pickled without a memo (``fast``): the state holds no cycle, only strings, tuples and digests, and an equal
        string met twice is written twice. At 10,000 articles that took the pickling from 0.045 to 0.009 s, for a
        file of 12.5 MB instead of 9.7, which a new process loads in 0.047 s instead of 0.044."""
        path.parent.mkdir(parents=True, exist_ok=True)
        pending = path.with_name(path.name + ".pending")
        try:
            with pending.open("wb") as f:
                pickler = pickle.Pickler(f, protocol=pickle.HIGHEST_PROTOCOL)
                pickler.fast = True
                pickler.dump(self)
        except BaseException:
            pending.unlink(missing_ok=True)
            raise
        return pending


_RELEASED: list[tuple[Any, ...]] = []  # what the last Session.release let go of, until free_released


def free_released() -> None:
    """Free what the last build released (Session.release): the preview calls it between saves."""
    _RELEASED.clear()


@dataclass
class Session:
    """One build: the last good state, and what this build renders or reuses.

    ``previous`` is None for a cold build; :meth:`begin` turns the build full
    when the site key shows the previous pages cannot be reused.
    """

    cache_dir: Path
    live: Path  # the output being replaced
    previous: State | None = None
    state: State = field(default_factory=State)
    full: bool = True
    rendered: int = 0
    reused: int = 0
    parse_cache: Any = None  # cache.ParseCache of this build, read by the reader and load_records
    walk: dict[str, tuple[int, int]] | None = None  # the content folder as walked at the start (content_files)
    memo: Any = None  # cache.Memo of this build: the search words and related articles of unchanged inputs
    fingerprint: Any = None  # fingerprints.Fingerprint of this build: the graph's digest (State.graph), page keys
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase (``build --timings``)
    jobs: int = 1  # worker processes for every parallel phase (``build --jobs``, PortalConfig.workers)
    _damaged: set[str] | None = None  # files of the last build missing or changed (State.damaged): see ``damaged``
    _damage: Any = None  # forked.Forked: State.damaged checked beside the build (:meth:`check_damage`)
    stops: list[Callable[[], None]] = field(default_factory=list)  # work started beside the build: stopped at its end
    # Told the pages each flush wrote (output paths, below the staging folder): build.py compresses them beside
    # the rest of an edit build.
    on_rendered: Callable[[list[str]], None] | None = None
    # Told when the build has nothing left but to wait for the search step's Pagefind, or knows it runs none
    # (search.Indexing): the compressed copies then take the core the build leaves idle, not Pagefind's.
    on_search_wait: Callable[[], None] | None = None

    def release(self) -> None:
        """Drop what only this build needed: the last state, this one's (the commit saved it) and the graph's
        fingerprint. The preview keeps a build's objects, and through their settings this session: at 10,000
        articles it held 60 MB of states, and the next build loads the state from its file anyway.

        They are freed with the next build's, or by :func:`free_released`: freeing their hundred thousand strings
        and tuples one by one took 0.013-0.015 s at the end of every edit build at 10,000 articles, which the
        command line then leaves to the system (__main__.py) and the preview does between saves."""
        _RELEASED[:] = [(self.previous, self.state, self.fingerprint)]
        self.previous, self.state, self.fingerprint = None, State(), None

    def check_damage(self, fork: bool) -> None:
        """Check the live site against the last state (:meth:`State.damaged`) in a forked child, beside the build.

        It stats every file of the site (67,000 at 10,000 articles: 0.24 s) and nothing needs the answer
        before the graph is joined: at a lower priority (forked.DAMAGE_NICE), it leaves the cores to the build and
        to what the build waits for first (a CI runner's restore: the child digesting every article while the
        shards load). A build that fails first stops it (``stops``).
        """
        previous, live = self.previous, self.live
        if previous is None:
            self._damaged = set()
            return
        self._damage = Forked(lambda: iter([previous.damaged(live)]), fork=fork, nice=DAMAGE_NICE)
        self.stops.append(self._damage.cancel)

    @property
    def damaged(self) -> set[str]:
        """Files of the last build missing or changed since (State.damaged): written again by this build."""
        if self._damaged is None:
            if self._damage is None:
                return set()
            self._damaged = self._damage.receive()
            self._damage.cancel()  # reaped: its one message is read
        return self._damaged

    @contextlib.contextmanager
    def timed(self, phase: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings[phase] = self.timings.get(phase, 0.0) + time.perf_counter() - started

    @property
    def state_path(self) -> Path:
        return self.cache_dir / "state.pickle"

    def begin(self, key: str) -> None:
        self.state.site_key = key
        self.full = self.previous is None or self.previous.site_key != key or not self.live.is_dir()
        self._damaged = self.damaged  # read now: the search step's child, forked next, asks it too

    @property
    def graph_unchanged(self) -> bool:
        """The joined graph is the last build's, bodies of articles aside (State.graph, Fingerprint.graph)."""
        return (not self.full and self.previous is not None and self.state.graph != ""
                and self.previous.graph == self.state.graph)

    @functools.cached_property
    def changed_articles(self) -> frozenset[str] | None:
        """Paths of the articles added, removed or changed since the last build (their own digests: State.articles)
        when the records and documents are the last build's; None when that is not known.

        Every other article then shows the same card (Fingerprint.card is made of these alone).
        """
        previous, state = self.previous, self.state
        if self.full or previous is None or not state.records or previous.records != state.records:
            return None
        now, before = state.articles, previous.articles
        return frozenset([*(p for p, digest in now.items() if before.get(p) != digest),
                          *(p for p in before if p not in now)])

    def settled(self) -> tuple[State, frozenset[str] | None] | None:
        """For keeping units in one pass without keying them (PortalWriter.keep_terms, its article pages): the last
        build's state, and the articles changed since (None: the graph is unchanged); None when neither is known
        (a full build, the records changed)."""
        previous = self.previous if not self.full else None
        if previous is None:
            return None
        if self.graph_unchanged:
            return previous, None
        changed = self.changed_articles
        return (previous, changed) if changed is not None else None

    def keep_all(self, units: list[tuple[str, str]], taken: Collection[str] = ()) -> bool:
        """Record every one of ``units`` (name, ``own`` as :meth:`kept_key` takes it) as reused, and true, when
        each has the last build's ``own`` and files (none damaged) and is not written by this build yet (nor
        ``taken``); else record nothing. What :meth:`kept_key` and :meth:`reuse` would find unit by unit, for a
        unit made from the joined graph whose ``own`` its caller knows holds the same articles in the same order."""
        previous, state, damaged = self.previous, self.state, self.damaged
        befores = [previous.units.get(unit) for unit, _ in units]
        if any(before is None or previous.own.get(unit, "") != own or unit in state.units or unit in taken
               or damaged and any(f in damaged for f in before[1]) for (unit, own), before in zip(units, befores)):
            return False
        for (unit, own), before in zip(units, befores):
            state.own[unit] = own
            state.units[unit] = before
        self.reused += len(units)
        return True

    def kept_key(self, unit: str, own: str = "", reads: Collection[str] | None = None) -> str | None:
        """``unit``'s key in the last build, for a unit made from the joined graph and ``own`` (a digest of what
        else it shows: an article's body; "" for nothing), when both are the last build's; else None.

        Such a unit is then not keyed again: an edit that changes only an article's body keys no page but
        its own and its feeds. A unit made only of the cards of the articles at ``reads`` (paths) and ``own``
        keeps its key too when the graph changed but none of those articles did (:attr:`changed_articles`):
        ``own`` must then name them in order. An edit that names one more campaign keys the article pages
        whose related articles it changes, not all 10,000.
        """
        if own:
            self.state.own[unit] = own
        if self.previous is None or self.previous.own.get(unit, "") != own:
            return None
        if not self.graph_unchanged:
            changed = self.changed_articles if reads is not None else None
            if changed is None or any(path in changed for path in reads):
                return None
        before = self.previous.units.get(unit)
        return before[0] if before is not None else None

    def reuse(self, unit: str, key: str, files: tuple[str, ...] = ()) -> bool:
        """Record ``unit``'s key; true (its files kept) when the last build made it with the same key."""
        if unit in self.state.units:
            raise RuntimeError(f"incremental: two outputs would be written to {unit}")
        if self.would_reuse(unit, key):
            self.state.units[unit] = self.previous.units[unit]
            self.reused += 1
            return True
        self.state.units[unit] = (key, files)
        return False

    def would_reuse(self, unit: str, key: str) -> bool:
        """What :meth:`reuse` will answer, without recording anything (asked ahead by the search step, search.Indexing)."""
        before = None if self.full or self.previous is None else self.previous.units.get(unit)
        return before is not None and before[0] == key and not any(f in self.damaged for f in before[1])

    def produced(self, unit: str, files: tuple[str, ...]) -> None:
        """The files a re-made unit wrote (a search bundle knows them only afterwards)."""
        self.state.units[unit] = (self.state.units[unit][0], files)

    def kept_files(self) -> set[str]:
        return {f for _, files in self.state.units.values() for f in files}
