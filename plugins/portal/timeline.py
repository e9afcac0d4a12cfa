"""Timelines: what happened in a campaign or a cluster, year by year.

A campaign's year shows its launch (from the campaign record), the launches of
the drives under it, the articles an editor marked as an ``event`` (phát động,
sơ kết, tổng kết, ký giao ước, tôn vinh) and the number of honours earned in it.
A cluster's year shows its events and its members' honours. Events are grouped
once per build, in one pass over the articles.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import NamedTuple

from .graph import SiteGraph
from .model import Honour, Record
from .schema import field_at
from .vietnamese import slugify

_EVENT = field_at("articles.event")


class Event(NamedTuple):
    """One dated step: a launch, a review, a ceremony."""

    date: date
    kind: str  # a code of the article field ``event`` (schema.EVENTS)
    title: str
    url: str  # the article or record page; "" when the portal has none
    note: str = ""  # who launched it, under which decision

    @property
    def label(self) -> str:
        return _EVENT.label_of(self.kind)


class Year(NamedTuple):
    """A year of a timeline: its events and how many honours were earned in it."""

    year: int
    events: tuple[Event, ...]
    conferred: int
    proposed: int


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def events_by(graph: SiteGraph) -> dict[tuple[str, str], list[Event]]:
    """(record kind, slug) → the events articles report for it, oldest first."""
    def compute(g: SiteGraph) -> dict[tuple[str, str], list[Event]]:
        out: dict[tuple[str, str], list[Event]] = {}
        for article in g.articles:
            kind = article.portal_data.get("event")
            if not kind:
                continue
            refs = article.refs
            event = Event(_day(article.portal_data.get("event_date") or article.date), kind, article.title, article.url)
            for record in refs.event_for or (*refs.campaigns, *refs.clusters):  # the editor may narrow it
                out.setdefault((record.type, record.slug), []).append(event)
        for events in out.values():
            events.sort(key=lambda e: (e.date, e.title))
        return out
    return graph.memo("timeline_events", compute)


def _launch(record: Record, events: list[Event]) -> list[Event]:
    """The record's launch date joins the first article reporting the launch, so it is listed once."""
    if not record.launched:
        return events
    note = " · ".join(x for x in (record.launched_by, record.decision) if x)
    first = next((e for e in events if e.kind == "phat-dong"), None)
    title = first.title if first else record.name
    rest = [e for e in events if e is not first]
    return [Event(record.launched, "phat-dong", title, first.url if first else "", note), *rest]


def build(events: Iterable[Event], honours: Iterable[Honour]) -> list[Year]:
    """Events and honour counts grouped by year, oldest year first; years with neither are left out."""
    by_year: dict[int, list[Event]] = {}
    counts: dict[int, list[int]] = {}
    for event in events:
        by_year.setdefault(event.date.year, []).append(event)
    for honour in honours:
        counts.setdefault(honour.year, [0, 0])[0 if honour.conferred else 1] += 1
    return [
        Year(year, tuple(sorted(by_year.get(year, []), key=lambda e: e.date)), *counts.get(year, (0, 0)))
        for year in sorted(by_year.keys() | counts.keys())
    ]


def campaign(record: Record, children: list[Record], honours: list[Honour], graph: SiteGraph) -> list[Year]:
    own = _launch(record, list(events_by(graph).get(("campaigns", record.slug), [])))
    drives = [Event(c.launched, "phat-dong", c.name, c.url, c.launched_by or "")
              for c in children if c.launched]
    return build([*own, *drives], honours)


def representatives(graph: SiteGraph) -> dict[str, Record]:
    """Province slug → the locality exemplar that stands for it ("Tỉnh Bình Định" for binh-dinh).

    Honours go to exemplars; a cluster of provinces names provinces. The bridge is
    the exemplar of kind ``locality`` in that province whose name is the province's
    name with its kind in front (Tỉnh …, Thành phố …).
    """
    def compute(g: SiteGraph) -> dict[str, Record]:
        out: dict[str, Record] = {}
        for exemplar in g.records.all("exemplars"):
            province = g.lookup("provinces", exemplar.province) if exemplar.province else None
            if exemplar.kind == "locality" and province is not None:
                if slugify(exemplar.name) == slugify(f"{province.label_of('kind')} {province.name}"):
                    out[province.slug] = exemplar
        return out
    return graph.memo("province_representatives", compute)


def member_honours(record: Record, members: list[Record], graph: SiteGraph) -> list[Honour]:
    """Honours of a cluster's members for the years the cluster existed, newest first, then by rank."""
    stand_in = representatives(graph)
    first = record.valid_from.year if record.valid_from else None
    last = record.valid_to.year if record.valid_to else None
    honours = []
    for member in members:
        recipient = stand_in.get(member.slug) if member.type == "provinces" else member
        if recipient is None:
            continue
        honours += [h for h in graph.honours_by_recipient.get(recipient.slug, [])
                    if (first is None or h.year >= first) and (last is None or h.year <= last)]
    return sorted(honours, key=lambda h: h.order_key)


def cluster(record: Record, honours: list[Honour], graph: SiteGraph) -> list[Year]:
    return build(events_by(graph).get(("clusters", record.slug), []), honours)


__all__ = ["Event", "Year", "campaign", "cluster", "member_honours", "representatives"]
