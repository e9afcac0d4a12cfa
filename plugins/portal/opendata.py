"""Open data (``/du-lieu/``): the honours and the records, as CSV and JSON, each JSON with its JSON Schema.

The record datasets and their schemas follow the content model (schema.py):
every declared field of a kind becomes a column, so a field added there is
published here without another line. Honours get one row each, joined with
the names a journalist needs (recipient, award and rank, campaign, article).
The CSV starts with a UTF-8 BOM so that Excel opens Vietnamese text correctly.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import marshal
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from .model import Honour, Record
from .fields import ListOf, json_schema, nullable
from .schema import KINDS, field_at

if TYPE_CHECKING:
    from .graph import SiteGraph

__all__ = ["DATASETS", "Column", "Dataset", "catalogue", "files", "honour_row", "inputs", "slice_path"]

FOLDER = "du-lieu/"
SCHEMA_DRAFT = "https://json-schema.org/draft/2020-12/schema"


@dataclass(frozen=True)
class Column:
    name: str
    schema: dict[str, Any]  # JSON Schema of one value
    label: str  # what the field means, in Vietnamese


_KIND = field_at("exemplars.kind")
_STAGE = field_at("articles.honours.stage")
HONOUR_COLUMNS = (
    Column("recipient", {"type": "string"}, "slug của người, tập thể hoặc địa phương được khen"),
    Column("recipient_name", {"type": "string"}, "tên người, tập thể hoặc địa phương được khen"),
    Column("recipient_kind", {"type": "string", "enum": list(_KIND.codes)}, "loại: " + _KIND.explain(", ")),
    Column("award", {"type": "string"}, "slug của danh hiệu, hình thức khen thưởng"),
    Column("award_name", {"type": "string"}, "tên danh hiệu, hình thức khen thưởng"),
    Column("award_rank", {"type": "integer"}, "thứ bậc theo Luật Thi đua, khen thưởng 2022 (số nhỏ là cao hơn)"),
    Column("stage", {"type": "string", "enum": list(_STAGE.codes)}, _STAGE.explain(" hoặc ")),
    Column("year", {"type": "integer"}, "năm thành tích"),
    Column("decision", nullable({"type": "string"}), "số, ký hiệu quyết định khen thưởng"),
    Column("campaign", nullable({"type": "string"}), "slug của phong trào thi đua"),
    Column("campaign_name", nullable({"type": "string"}), "tên phong trào thi đua"),
    Column("article_url", nullable({"type": "string"}), "địa chỉ bài viết đưa tin (trống nếu lấy từ hồ sơ điển hình)"),
)


@functools.cache  # one tuple per kind: every row of the kind reads it
def record_columns(kind: str) -> tuple[Column, ...]:
    """slug and url, then every field the content model declares for ``kind``."""
    base = (Column("slug", {"type": "string"}, "định danh (slug), cũng là tên tệp nội dung"),
            Column("url", {"type": "string"}, "địa chỉ trang trên cổng"))
    columns = ((f, json_schema(f)) for f in KINDS[kind].fields)
    return base + tuple(Column(f.name, schema, f.label) for f, schema in columns if schema is not None)


@dataclass(frozen=True)
class Dataset:
    name: str  # file stem: honours, exemplars …
    title: str
    kind: str | None  # the record kind, or None for honours

    @property
    def columns(self) -> tuple[Column, ...]:
        return HONOUR_COLUMNS if self.kind is None else record_columns(self.kind)

    def schema(self, site_url: str) -> dict[str, Any]:
        row = {"type": "object", "properties": {c.name: {**c.schema, "description": c.label} for c in self.columns},
               "required": [c.name for c in self.columns], "additionalProperties": False}
        return {"$schema": SCHEMA_DRAFT, "$id": f"{site_url}/{FOLDER}{self.name}.schema.json", "title": self.title,
                "type": "array", "items": row}


DATASETS = (
    Dataset("honours", "Khen thưởng: mỗi dòng một lần khen", None),
    Dataset("exemplars", "Điển hình tiên tiến", "exemplars"),
    Dataset("campaigns", "Phong trào thi đua", "campaigns"),
    Dataset("clusters", "Cụm, khối thi đua", "clusters"),
    Dataset("awards", "Danh hiệu, hình thức khen thưởng", "awards"),
)


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _own_part(h: Honour) -> tuple[Any, ...]:
    """What an honour's row takes from the honour itself; the rest (names, kinds, ranks) comes from its records.
    The row is made of this, and the open data's key (:func:`inputs`) digests it, so a field read here is keyed."""
    return (h.recipient.slug, h.award.slug, h.stage, h.year, h.decision, h.campaign.slug if h.campaign else None,
            h.article.url if h.article is not None else None)


def honour_row(h: Honour) -> dict[str, Any]:
    recipient, award, stage, year, decision, campaign, article_url = _own_part(h)
    return {
        "recipient": recipient, "recipient_name": h.recipient.name, "recipient_kind": h.recipient.data["kind"],
        "award": award, "award_name": h.award.name, "award_rank": h.award.data["rank"],
        "stage": stage, "year": year, "decision": decision,
        "campaign": campaign, "campaign_name": h.campaign.name if h.campaign else None,
        "article_url": "/" + article_url if article_url is not None else None,
    }


def record_row(record: Record) -> dict[str, Any]:
    row: dict[str, Any] = {"slug": record.slug, "url": "/" + record.url}
    fields = KINDS[record.type].by_name
    for column in record_columns(record.type)[2:]:
        value = record.data.get(column.name)
        if value is None and column.schema["type"] == "array":
            value = []
        kind = fields[column.name].type
        if isinstance(kind, ListOf) and value:  # every declared field of each item, the line number left out
            value = [{sub.name: item.get(sub.name) for sub in kind.fields} for item in value]
        row[column.name] = _plain(value)
    return row


_ROW = json.JSONEncoder(ensure_ascii=False)


def _json(value: Any) -> bytes:
    """A table one row per line (readable, diffable, and written by the C encoder, which ``indent`` would
    replace by the pure-Python one: 2.3 times slower on 20,000 rows); anything else indented."""
    if isinstance(value, list):
        rows = ",\n".join(map(_ROW.encode, value))
        return f"[\n{rows}\n]\n".encode() if value else b"[]\n"
    return (json.dumps(value, ensure_ascii=False, indent=1) + "\n").encode()


def csv_bytes(table: list[dict[str, Any]], columns: tuple[Column, ...]) -> bytes:
    """CSV with a header and a UTF-8 BOM (Excel); lists are joined with "; "."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.name for c in columns])
    for row in table:
        writer.writerow(["; ".join(map(str, v)) if isinstance(v, list) else "" if v is None else v
                         for v in (row[c.name] for c in columns)])
    return ("\ufeff" + out.getvalue()).encode()


def slice_path(term_url: str) -> str:
    """``dien-hinh/x/`` -> ``du-lieu/dien-hinh/x.json``: one record's honours."""
    return f"{FOLDER}{term_url.strip('/')}.json"


def _honour_rows(graph: SiteGraph) -> list[dict[str, Any]]:
    """Every honour's row, once per build (``files`` reads them for the datasets and for each slice)."""
    return graph.memo("opendata.honour_rows", lambda g: [honour_row(h) for h in g.honours])


def inputs(graph: SiteGraph, site_url: str, records: str) -> str:
    """A digest of what ``files`` reads (the build keeps the files while it is the last one's; the code is keyed
    apart): the records (``records``, their digest: Fingerprint.graph, which gives a row its names and ranks), each
    honour's own part of its row in the rows' order, the terms that have a slice, the site's address. An edit that
    changes no honour leaves the files unmade, even when its article reports some: naming one more campaign there
    made all of them again (4.9 s of a 22 s edit build at 100,000 articles, 62,000 honours). This digest takes
    0.015-0.02 s at 10,000 articles (6,000 honours), against 0.25 s for the files; it is made only when the graph
    changed."""
    rows = [_own_part(h) for h in graph.honours]
    slices = [(tax.name, t.slug, t.url) for tax in graph.taxonomies.values() if tax.data_slice is not None
              for t in graph.terms.get(tax.name, {}).values()]
    return hashlib.blake2b(marshal.dumps([records, rows, slices, site_url], 2), digest_size=16).hexdigest()


def files(graph: SiteGraph, site_url: str) -> dict[str, bytes]:
    """Every open-data file: path below the site root -> bytes (datasets, schemas, per-record slices)."""
    out: dict[str, bytes] = {}
    honours = _honour_rows(graph)
    for tax in graph.taxonomies.values():  # a term page with a data slice links to its rows of honours.json
        column = tax.data_slice
        if column is None:
            continue
        groups: dict[str, list[dict[str, Any]]] = {}
        for row in honours:
            if row[column] is not None:
                groups.setdefault(row[column], []).append(row)
        for term in graph.terms.get(tax.name, {}).values():
            out[slice_path(term.url)] = _json(groups.get(term.slug, []))
    for dataset in DATASETS:
        table = honours if dataset.kind is None else [
            record_row(r) for r in sorted(graph.records.all(dataset.kind), key=lambda r: r.slug)]
        out[f"{FOLDER}{dataset.name}.json"] = _json(table)
        out[f"{FOLDER}{dataset.name}.schema.json"] = _json(dataset.schema(site_url))
        if dataset.kind is None:
            out[f"{FOLDER}{dataset.name}.csv"] = csv_bytes(table, dataset.columns)
    return out


_TYPE_LABELS = {"string": "chuỗi", "integer": "số nguyên", "boolean": "đúng/sai", "array": "danh sách",
                "object": "bản ghi"}


def type_label(schema: dict[str, Any]) -> str:
    """A value's type in words, for the field tables of /du-lieu/."""
    types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    words = [_TYPE_LABELS[t] for t in types if t != "null"]
    if schema.get("format") == "date":
        words = ["ngày (YYYY-MM-DD)"]
    if "enum" in schema:
        words.append("một trong: " + ", ".join(str(v) for v in schema["enum"] if v is not None))
    if "null" in types:
        words.append("có thể trống")
    return "; ".join(words)


def catalogue(graph: SiteGraph) -> list[tuple]:
    """What /du-lieu/ lists: per dataset its name, title, row count, file links and field table (plain data)."""
    out = []
    for dataset in DATASETS:
        links = [("JSON", f"{FOLDER}{dataset.name}.json")]
        if dataset.kind is None:
            links.append(("CSV (Excel)", f"{FOLDER}{dataset.name}.csv"))
        links.append(("JSON Schema", f"{FOLDER}{dataset.name}.schema.json"))
        count = len(graph.honours) if dataset.kind is None else len(graph.records.all(dataset.kind))
        fields = [(c.name, type_label(c.schema), c.label) for c in dataset.columns]
        out.append((dataset.name, dataset.title, count, links, fields))
    return out
