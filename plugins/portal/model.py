"""Typed objects the site graph is made of: records, honours and terms.

A :class:`Record` is one file of ``content/<kind>/``; its fields are the
schema's typed values. Articles stay Pelican ``Article`` objects and get a
:class:`ArticleRefs` attached as ``article.refs`` once the graph is joined.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .schema import KINDS, RECORD_KINDS, field_at
from .vietnamese import sort_key

_STAGE = field_at("articles.honours.stage")


@dataclass(eq=False)
class Record:
    """One campaign, cluster, award, exemplar or province."""

    type: str  # the record kind: "campaigns", "exemplars" … (``kind`` is a data field)
    slug: str
    path: str
    data: dict[str, Any]
    body: str = ""
    html: str = ""
    lines: dict[str, int] = field(default_factory=dict, repr=False)
    # Its body as plain text and that text's đ-words (vietnamese.d_words), made when the file is parsed and
    # kept in the parse cache: the search index reads an exemplar's on every build.
    body_plain: str = field(default="", repr=False)
    body_kd: str = field(default="", repr=False)
    term: Any = None  # the taxonomy term that gives the record its page and URL
    picture: Any = None  # media.Photo of an exemplar's ``photo``
    # Its name's collation key (vietnamese.sort_key): every list of records in a build is sorted by it. Made when
    # its file is parsed and kept in the parse cache (1,300 records took 0.04 s of every build); else here.
    sort_key: tuple = field(default=(), repr=False)

    def __post_init__(self) -> None:
        if not self.sort_key:
            self.sort_key = sort_key(self.data.get("name", ""))

    @property
    def url(self) -> str:
        return self.term.url if self.term is not None else ""

    def __getattr__(self, name: str) -> Any:
        # Declared but absent fields read as None, so templates can test them.
        data = self.__dict__.get("data")
        if data is not None and name in data:
            return data[name]
        kind = self.__dict__.get("type")
        if kind and name in KINDS[kind].by_name:
            return None
        raise AttributeError(name)

    @property
    def name(self) -> str:
        return self.data["name"]

    @property
    def label(self) -> str:
        """The short name where one exists: chips and tables are narrow."""
        return self.data.get("short_name") or self.data["name"]


    def label_of(self, name: str) -> str:
        """The Vietnamese label of a choice field's code (its default's when absent), as schema.py declares it."""
        return KINDS[self.type].by_name[name].label_of(self.data.get(name))

    @property
    def alias_names(self) -> list[str]:
        return list(self.data.get("aliases") or [])

    def __repr__(self) -> str:
        return f"<{self.type}:{self.slug}>"


@dataclass(eq=False)
class Honour:
    """Who received (or was proposed for) which award, for which year."""

    recipient: Record
    award: Record
    year: int
    stage: str = "conferred"
    decision: str | None = None
    campaign: Record | None = None
    article: Any = None  # the Pelican Article reporting it, or None (exemplar's own record)
    path: str = ""
    line: int | None = None
    decision_file: str | None = None  # the signed decision, a PDF inside content/
    document: Any = None  # media.Document of ``decision_file``

    @property
    def conferred(self) -> bool:
        return self.stage == "conferred"

    @property
    def proposed(self) -> bool:
        return self.stage == "proposed"

    @property
    def stage_label(self) -> str:
        return _STAGE.label_of(self.stage)

    @property
    def date(self) -> date | None:
        return self.article.date if self.article is not None else None

    @property
    def order_key(self) -> tuple:
        """Profiles list honours by year (newest first), then by legal rank."""
        return (-self.year, self.award.data["rank"], 0 if self.conferred else 1, self.award.sort_key)


@dataclass(eq=False)
class ArticleRefs:
    """An article's resolved references, attached as ``article.refs``.

    ``named`` holds, per record kind, the records the article names (in its own
    fields, its honours and its event), in the order it names them; templates
    read them as ``refs.campaigns``, ``refs.awards`` …
    """

    named: dict[str, list[Record]] = field(default_factory=dict)
    honours: list[Honour] = field(default_factory=list)
    event_for: list[Record] = field(default_factory=list)  # what the article's ``event`` belongs to; [] = all
    related: list[Any] = field(default_factory=list)
    previous: Any = None
    next: Any = None
    ranked_as: str = ""  # the memo key of a ranking whose lists and neighbours these are (related.attach)

    def of(self, kind: str) -> list[Record]:
        """The records of ``kind`` the article names."""
        return self.named.get(kind) or []

    def name(self, record: Record) -> None:
        """Add ``record`` to what the article names, once."""
        bucket = self.named.setdefault(record.type, [])
        if record not in bucket:
            bucket.append(record)

    def name_all(self, kind: str, records: list[Record]) -> None:
        """Add ``records``, distinct records of ``kind``, to what the article names, each once: as :meth:`name` one
        by one, without a call per record (60,000 at 10,000 articles)."""
        bucket = self.named.get(kind)
        if bucket is None:
            if records:
                self.named[kind] = list(records)
        else:
            bucket += [record for record in records if record not in bucket]

    def __getattr__(self, name: str) -> list[Record]:
        if name in RECORD_KINDS:  # refs.campaigns, refs.exemplars …
            return self.of(name)
        raise AttributeError(name)
