"""Search index: Pagefind records for articles and exemplar profiles.

The index is written as a step of every build, from the graph (no HTML is
re-parsed): article bodies and exemplar profiles only, never navigation or
list pages. Each record carries the filters readers narrow by (campaign,
cluster, award, province, year, kind) with the records' Vietnamese names as
values, and a date to sort by.

Pagefind folds tone marks but not "đ", which has no Unicode decomposition,
so "dua" would never find "đua". Each record therefore gets a small ``kd``
meta field: its đ-words folded to ASCII ("đua Đắk" → "dak dua"). Keeping the
folded copy to those words leaves excerpts accented and fragments small.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pagefind.service import get_executable

from .model import Record
from .progress import Progress
from .vietnamese import d_words, format_date, plain_text

from .taxonomy import ordered

if TYPE_CHECKING:
    from .graph import SiteGraph
    from .taxonomy import Taxonomy, Term

__all__ = ["BUNDLES_FILE", "KIND_ARTICLE", "KIND_EXEMPLAR", "Bundle", "Indexing", "bundle_years", "bundles_file",
           "menus", "plan", "prepare", "records"]

KIND_ARTICLE = "Bài viết"  # the values of the filter ``loai``: what a result is
KIND_EXEMPLAR = "Điển hình"
_UNUSED = ("pagefind-ui.*", "pagefind-component-ui.*", "pagefind-modular-ui.*", "pagefind-highlight.js",
           "pagefind-worker.js")


def _names(items: Iterable[Any]) -> list[str]:
    out: list[str] = []
    for item in items:
        name = item.name if isinstance(item, Record) else str(item)
        if name not in out:
            out.append(name)
    return out


def _term_names(tax: Taxonomy, article: Any, graph: SiteGraph) -> list[str]:
    """Filter values of an article: the names of its terms (a year stays "2024")."""
    items = tax.terms_of(article)
    if tax.record_kind:
        items = [i if isinstance(i, Record) else graph.lookup(tax.record_kind, i) for i in items]
    return _names(i for i in items if i is not None)


def _filtering(graph: SiteGraph) -> list[Taxonomy]:
    return [t for t in graph.taxonomies.values() if t.search_filter]


def menus(graph: SiteGraph) -> list[tuple[str, str, list[Term]]]:
    """The filter menus of /tim-kiem/: per taxonomy with a filter, its key, its label and its terms with articles."""
    return [(tax.search_filter, tax.search_label, [t for t in ordered(graph.terms[tax.name].values()) if t.count])
            for tax in _filtering(graph)]


def _stamp(when: Any) -> str:
    return f"{when.year:04d}{when.month:02d}{when.day:02d}{getattr(when, 'hour', 0):02d}{getattr(when, 'minute', 0):02d}"


def records(graph: SiteGraph) -> list[dict[str, Any]]:
    """One Pagefind custom record per published article and per exemplar."""
    out: list[dict[str, Any]] = []
    taxonomies = _filtering(graph)
    for article in graph.articles:
        # The reader made the plain text and đ-words once per file (cached with it); a bare Pelican read did not.
        body = getattr(article, "portal_plain", None)
        if body is None:
            body = plain_text(article.content)
        filters = {tax.search_filter: _term_names(tax, article, graph) for tax in taxonomies}
        filters["loai"] = [KIND_ARTICLE]
        filters = {k: v for k, v in filters.items() if v}
        out.append({
            "url": "/" + article.url,
            "content": f"{article.title}\n{article.summary}\n{body}",
            "meta": {"title": article.title, "ngay": format_date(article.date),
                     "kd": getattr(article, "portal_kd", None) or d_words(article.title, article.summary, body)},
            "filters": filters,
            "sort": {"date": _stamp(article.date)},
        })
    for term in graph.terms.get("exemplars", {}).values():
        record = term.record
        honours = graph.honours_by_recipient.get(record.slug, [])
        parts = [record.name, record.position, record.organisation, term.province.name if term.province else None,
                 plain_text(record.html), *(f"{h.award.name} ({h.year})" for h in honours)]
        text = "\n".join(dict.fromkeys(p for p in parts if p))
        latest = term.articles[0].date if term.articles else None
        filters = {"loai": [KIND_EXEMPLAR]}
        for tax in taxonomies:
            if tax.of_exemplar is not None:
                filters[tax.search_filter] = _names(tax.of_exemplar(term, graph))
        out.append({
            "url": "/" + term.url,
            "content": text,
            "meta": {"title": record.name, "ngay": format_date(latest) if latest else "",
                     "kd": d_words(text)},
            "filters": {k: v for k, v in filters.items() if v},
            "sort": {"date": _stamp(latest) if latest else f"{max((h.year for h in honours), default=1900)}12310000"},
        })
    return out


def _document(item: dict[str, Any]) -> str:
    """One record as the minimal HTML page Pagefind indexes (every value escaped)."""
    esc = html.escape
    hidden = [f'<span data-pagefind-meta="{esc(k)}">{esc(v)}</span>' for k, v in item["meta"].items() if v]
    hidden += [f'<span data-pagefind-filter="{esc(k)}">{esc(v)}</span>'
               for k, values in item["filters"].items() for v in values]
    hidden += [f'<span data-pagefind-sort="{esc(k)}">{esc(v)}</span>' for k, v in item["sort"].items()]
    # The first line is the title or name: a heading, which Pagefind weighs above the body.
    lines = [p for p in item["content"].split("\n") if p.strip()]
    paragraphs = "".join(f"<h1>{esc(p)}</h1>" if i == 0 else f"<p>{esc(p)}</p>" for i, p in enumerate(lines))
    return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{esc(item["meta"]["title"])}</title>'
            f'</head><body><main data-pagefind-body><div data-pagefind-ignore>{"".join(hidden)}</div>'
            f"{paragraphs}</main></body></html>")


class SearchIndexError(RuntimeError):
    """The search step failed; the build stops and the previous site stays."""


@dataclass
class Bundle:
    """A slice of the index, newest records first: the search page loads bundles as it needs them.

    ``items`` is None in a bundle handed back by ``prepare`` without its records: its key, size and dates
    were read before they were dropped, and nothing of this build needs them again.
    """

    number: int
    items: list[dict[str, Any]] | None

    @cached_property
    def key(self) -> str:
        """A digest of its records, read once ``plan`` has tagged them.

        What its index and its words are made of: the incremental key of its Pagefind files (``Indexing``)
        and the memo key of its words (``search_words.summarise``). Each record's text goes in as its UTF-8
        bytes, the rest as JSON: escaping every body for JSON cost 0.4 s of each build at 10,000 articles.
        """
        h = hashlib.blake2b(digest_size=16)
        for item in self.records:
            fields = json.dumps({k: v for k, v in item.items() if k != "content"}, sort_keys=True,
                                ensure_ascii=False, default=str).encode()
            text = str(item.get("content", "")).encode()
            for part in (fields, text):  # each part after its length: no text can pass for the next record
                h.update(len(part).to_bytes(8, "big"))
                h.update(part)
        return h.hexdigest()

    @property
    def records(self) -> list[dict[str, Any]]:
        """Its records; asking a bundle that ``prepare`` emptied is a bug, not an empty bundle."""
        if self.items is None:
            raise RuntimeError(f"search bundle {self.number}: its records were not kept for this build")
        return self.items

    @property
    def path(self) -> str:
        """URL path of the bundle below the site root (bundle 0 is Pagefind's primary index)."""
        return "pagefind/" if self.number == 0 else f"pagefind/kho-{self.number}/"

    @cached_property
    def count(self) -> int:
        return len(self.records)

    @cached_property
    def _dates(self) -> list[date]:
        """The dates of its dated records, newest first (profiles without news have none)."""
        return [date(int(day[6:10]), int(day[3:5]), int(day[:2]))  # "dd/mm/yyyy", as format_date wrote it
                for item in self.records if (day := item["meta"]["ngay"])]

    @property
    def oldest(self) -> date | None:
        return (self._dates or [None])[-1]

    @property
    def newest(self) -> date | None:
        return (self._dates or [None])[0]

    def without_records(self) -> Bundle:
        """The same bundle with its key, size and dates read, and its records dropped."""
        light = Bundle(self.number, None)
        light.__dict__.update(key=self.key, count=self.count, _dates=self._dates)
        return light


# The primary index holds only this: every bundle of records is merged when a query needs it.
_PLACEHOLDER = {"url": "/tim-kiem/", "content": "Tìm kiếm", "meta": {"title": "Tìm kiếm", "ngay": ""},
                "filters": {"kho": ["0"]}, "sort": {"date": "000000000000"}}
BUNDLES_FILE = "tim-kiem/kho.json"
INDEX_BYTES_PER_POSTING = 5.6  # Pagefind word-index bytes per (word, record) pair: 5.4-6.0 measured on synth


def plan(graph: SiteGraph) -> list[Bundle]:
    """Cut the records, newest first, into bundles of ``search_bundle_size`` (numbered from 1).

    One index over a national archive makes every common syllable ("thi",
    "đua") a posting list of megabytes; a first query then downloads all of
    it. Bundles keep a first query to a slice; the word summary
    (search_words.py) says which slices can hold the query, and the page
    merges only those. Pagefind's primary index (bundle 0) holds a single
    placeholder, so a query never pays for a slice it does not need. Each
    record is tagged with its bundle (filter ``kho``), which the page filters by.
    """
    items = sorted(records(graph), key=lambda i: i["sort"]["date"], reverse=True)
    size = graph.config.search_bundle_size
    bundles = [Bundle(0, [dict(_PLACEHOLDER)])]
    bundles += [Bundle(n, items[start:start + size]) for n, start in enumerate(range(0, len(items), size), 1)]
    for bundle in bundles[1:]:
        for item in bundle.items:
            item["filters"]["kho"] = [str(bundle.number)]
    return bundles


def prepare(graph: SiteGraph, session: Any = None) -> list[Bundle]:
    """``plan`` with every key read, keeping the records only of bundles this build indexes or tokenises again.

    Run in a process forked beside the build (generator.py), it hands back kilobytes instead of the
    whole archive's text: after a one-article edit, one bundle's records.
    """
    bundles = plan(graph)
    if session is None:
        return bundles
    memo = session.memo
    return [bundle if not session.would_reuse(bundle.path, bundle.key)
            or (bundle.number and memo is not None and not memo.has(f"words:{bundle.key}"))
            else bundle.without_records() for bundle in bundles]


def bundles_file(bundles: list[Bundle], postings: list[int]) -> dict[str, bytes]:
    """``tim-kiem/kho.json``: when each bundle of records reaches back to, and its word index's size.

    The page reads it with every first query, so it is kept small (6 KB at 100,000 articles):
    ``newest`` is the day (days since 1970-01-01) of the newest record, ``back[n-1]`` how many days
    bundle n's oldest dated record lies before the bundle above it reaches (null: no dated record),
    ``kb[n-1]`` its word index in KB (rounded up), estimated from its postings (search_words.summarise), not read
    off Pagefind's files: those are not byte-stable, and an incremental build must write what a cold
    one writes. A bundle's years run from its oldest record's to the one above it reaches.
    """
    epoch = date(1970, 1, 1)
    newest = bundles[1].newest if len(bundles) > 1 else None
    reach = (newest - epoch).days if newest else 0
    back: list[int | None] = []
    for bundle in bundles[1:]:
        oldest = bundle.oldest
        if oldest is None:
            back.append(None)
            continue
        day = (oldest - epoch).days
        back.append(reach - day)
        reach = day
    kb = [math.ceil(count * INDEX_BYTES_PER_POSTING / 1000) for count in postings[1:]]
    data = {"newest": (newest - epoch).days if newest else None, "back": back, "kb": kb}
    return {BUNDLES_FILE: json.dumps(data, separators=(",", ":")).encode()}


def bundle_years(data: dict[str, Any]) -> list[set[int]]:
    """The years each bundle of records (1, 2, …) reaches, read from ``bundles_file`` as search.js reads it."""
    epoch, reach, out = date(1970, 1, 1), data["newest"], []
    for days in data["back"]:
        top = reach
        if days is None:
            out.append(set())
            continue
        reach -= days
        out.append(set(range((epoch + timedelta(reach)).year, (epoch + timedelta(top)).year + 1)))
    return out


def _index(jobs: list[tuple[Path, Path]], workers: int) -> None:
    """Index each bundle with Pagefind's command line, ``workers`` at a time.

    The binary is the one the ``pagefind`` package would run (PAGEFIND_BINARY_PATH, else ``pagefind_bin``).

    One process per bundle, no service protocol: the Python wrapper's polling
    cost a national archive a quarter of its build, and a crashed binary is a
    plain exit code here, never a wait without end.
    """
    binary = get_executable()  # found once: ``python -m pagefind`` per bundle costs an interpreter start each
    if binary is None:
        raise FileNotFoundError("không tìm thấy chương trình pagefind")

    def one(job: tuple[Path, Path]) -> None:
        source, output = job
        done = subprocess.run([str(binary), "--site", str(source), "--output-path", str(output),
                               "--force-language", "vi", "--silent"], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            detail = (done.stderr or done.stdout).strip()[-500:]
            raise SearchIndexError(f"Pagefind dừng với mã {done.returncode}: {detail}")

    progress = Progress("Chỉ mục tìm kiếm (gói)", len(jobs))
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for _ in pool.map(one, jobs):
            progress.step()
    progress.done()


class Indexing:
    """Pagefind at work on the bundles that changed, in a process of its own, while the build renders pages.

    Made, it writes each changed bundle's records as small HTML files at their URLs in a scratch
    folder and starts one runner process (``_run``) that indexes each bundle's folder with one Pagefind
    run (see ``_index``). Pagefind's CPU then fills the core that the build's serial steps leave idle.
    ``finish`` waits for it and moves the bundles into the output; ``cancel`` (a failed build) stops it.
    With one job (``--jobs 1``) it is waited for at once: one process at a time.
    A bundle whose records did not change since the last build (``session``, see incremental/) is left
    as that build wrote it.
    """

    def __init__(self, bundles: list[Bundle], output_path: str, session: Any = None) -> None:
        self.output, self.session = Path(output_path), session
        self.count = sum(b.count for b in bundles)
        self.scratch = Path(tempfile.mkdtemp(prefix="portal-search-"))
        self.todo: list[tuple[Bundle, Path]] = []
        self.process: subprocess.Popen[str] | None = None
        self.workers = getattr(session, "jobs", 0) or os.cpu_count() or 1
        try:
            self._start(bundles)
            if self.workers < 2:  # --jobs 1: one process at a time, so Pagefind does not run beside the build
                self._wait()
        except BaseException:
            self.cancel()
            raise

    def _start(self, bundles: list[Bundle]) -> None:
        jobs = []
        for bundle in bundles:
            if self.session is not None and self.session.reuse(bundle.path, bundle.key):
                continue
            root = self.scratch / "src" / str(bundle.number)
            root.mkdir(parents=True)
            for item in bundle.records:
                target = root / item["url"].strip("/") / "index.html"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(_document(item), encoding="utf-8")
            built = self.scratch / "out" / str(bundle.number)  # each bundle its own folder: no run touches another's
            jobs.append((str(root), str(built)))
            self.todo.append((bundle, built))
        if not jobs:
            return
        listing = self.scratch / "jobs.json"
        listing.write_text(json.dumps(jobs), encoding="utf-8")
        plugins = str(Path(__file__).resolve().parents[1])
        env = {**os.environ, "PORTAL_QUIET": "1",  # the build's own progress line owns the terminal
               "PYTHONPATH": os.pathsep.join(p for p in (plugins, os.environ.get("PYTHONPATH")) if p)}
        self.process = subprocess.Popen(
            [sys.executable, "-c", "import sys; from portal.search import _run; sys.exit(_run(sys.argv[1], sys.argv[2]))",
             str(listing), str(self.workers)],
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            start_new_session=True)  # its own group: cancel stops the Pagefind runs with it

    def _wait(self) -> None:
        if self.process is None:
            return
        _, err = self.process.communicate()
        code, self.process = self.process.returncode, None
        if code != 0:  # the binary is missing, crashed or the disk is full
            detail = err.strip()[-600:] or f"mã thoát {code}"
            raise SearchIndexError(f"không lập được chỉ mục tìm kiếm (Pagefind): {detail}; "
                                   "kiểm tra gói pagefind[bin] và chỗ trống trên đĩa")

    def finish(self) -> int:
        """Wait for Pagefind, then put every new bundle under ``<output>/pagefind/``; the number of records."""
        try:
            self._wait()
            for bundle, built in self.todo:
                self._place(bundle, built)
        finally:
            self.cancel()
        return self.count

    def _place(self, bundle: Bundle, built: Path) -> None:
        unused = _UNUSED if bundle.number == 0 else (*_UNUSED, "pagefind.js", "wasm.*")  # merged bundles share
        for pattern in unused:
            for path in built.glob(pattern):
                path.unlink()
        files = tuple(sorted(bundle.path + p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file()))
        target = self.output / bundle.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():  # bundle 0 holds the others' folders: merge into it
            shutil.copytree(built, target, dirs_exist_ok=True)
        else:
            shutil.move(str(built), str(target))
        if self.session is not None:
            self.session.produced(bundle.path, files)

    def cancel(self) -> None:
        """Stop Pagefind if it still runs and remove the scratch folder (also after ``finish``)."""
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.communicate()
        shutil.rmtree(self.scratch, ignore_errors=True)


def _run(listing: str, workers: str) -> int:
    """The runner process of ``Indexing``: index the listed bundles; on failure say why on stderr."""
    try:
        _index([(Path(a), Path(b)) for a, b in json.loads(Path(listing).read_text(encoding="utf-8"))], int(workers))
    except Exception as exc:
        print(f"{exc.__class__.__name__}: {exc}", file=sys.stderr)
        return 1
    return 0

