"""pagefind_index.py writes what the pinned Pagefind writes: both run over the same records, both outputs decoded
(gzip, the ``pagefind_dcd`` signature, CBOR or JSON) and compared as data, page by page (by URL: Pagefind numbers
pages in the order its threads finish)."""

from __future__ import annotations

import gzip
import json
import os
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from portal import pagefind_index, search
from portal.incremental.state import Session
from portal.search import Bundle, _document, records
from support import ROOT, pelican_context

# Records the way search.records makes them, with what Pagefind cuts in its own ways: compounds, capitals inside
# a word, numbers with points and commas, quotes and dashes, entities, and each kind of end of a line.
_EDGES = [
    "Đua tranh COVID-19 tại TP.HCM: “đổi mới” 2030”.\nNgười dân iPhone abc123 (2024). đua đua ĐUA dua",
    "Dòng ba: 50% và 1/7/2025, x-y a-bc-de HĐND-UBND ĐBSCL ÁoDài x.y.z v1.2 COVID19 abc123def 123abc",
    "Covid-19-Test nhà/xưởng e-mail 'quote' \"double\" A&B <b> 50–60 l’alphabet … 30°C ½ x² 1.000.000 10,5",
    "ABCDef Abc123 123Abc abc123Def x1Y a-é é-ö HTMLParser XMLHttp2Request ÐaÐb ǅx ǄX ẞa İx aB ABc AB1 X1a",
    "a_b ab_cd A_b 1A a1B2 Ab-1 Đ1 ab.Cd 2024-2025 “Abc” Ab” aBc” ab’Cd _ab ab_ a__b 1a2 A1 ab1C 20.000₫ ‰ ※",
    "\n".join(["Kết thúc bằng dấu chấm.", "Hỏi?", "Than!", "Hai chấm:", "Ngoặc)", "Chấm phẩy;", "Phẩy,",
               "Ba chấm…", "Ngoặc kép”", 'Kép"', "Số 5", "Đô$", "Sao*", "Vuông]", "Lớn>", "Và&", "Đơn'", "Gạch-",
               "  khoảng   trắng  ", "Tab\tgiữa", "Số mũ²"]),
]


def _edge_records() -> list[dict[str, Any]]:
    out = []
    for i, text in enumerate(_EDGES):
        title = text.split("\n")[0]
        out.append({"url": f"/tin-tuc/bien-{i}/", "content": f"{title}\n{text}" if i % 2 else text,
                    "meta": {"title": title, "ngay": f"{i + 1:02d}/08/2025" if i % 3 else "",
                             "kd": "dua doi" if i % 2 else ""},
                    "filters": {"loai": ["Bài viết"], "nam": ["2025", "2024"][: 1 + i % 2],
                                "tinh-thanh": [f"Tỉnh {i % 3}"]},
                    "sort": {"date": f"2025080{i}1200"}})
    return out


def _cbor(data: bytes, i: int = 0) -> tuple[Any, int]:
    """A CBOR decoder for what Pagefind writes: integers, strings and arrays."""
    head, i = data[i], i + 1
    major, info = head >> 5, head & 31
    if info < 24:
        n = info
    else:
        size = {24: 1, 25: 2, 26: 4, 27: 8}[info]
        n, i = int.from_bytes(data[i:i + size], "big"), i + size
    if major == 0:
        return n, i
    if major == 1:
        return -1 - n, i
    if major == 3:
        return data[i:i + n].decode(), i + n
    assert major == 4, f"CBOR major type {major}"
    out = []
    for _ in range(n):
        value, i = _cbor(data, i)
        out.append(value)
    return out, i


def _load(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    assert data.startswith(b"pagefind_dcd")
    data = data[len(b"pagefind_dcd"):]
    if path.suffix == ".pf_fragment":
        return json.loads(data)
    value, end = _cbor(data)
    assert end == len(data)
    return value


def _f32(value: str) -> float:
    return struct.unpack("f", struct.pack("f", float(int(value))))[0]


def _decoded(folder: Path, items: list[dict[str, Any]]) -> dict[str, Any]:
    """Everything a bundle says, pages by URL: words with their locations, filters, sorts, fragments."""
    entry = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
    language = entry["languages"]["vi"]
    version, pages, chunks, filters, sorts, fields = _load(folder / f"pagefind.{language['hash']}.pf_meta")
    fragments = [_load(folder / "fragment" / f"{name}.pf_fragment") for name, _ in pages]
    urls = [fragment["url"] for fragment in fragments]
    words: dict[tuple[str, str, str], tuple[list[int], list[Any]]] = {}
    keys: list[str] = []
    for start, end, name in chunks:
        (listed,) = _load(folder / "index" / f"{name}.pf_index")
        for key, direct, variants in listed:
            assert start <= key and key[:len(end)] <= end, (start, key, end)  # the chunk's range holds its words
            keys.append(key)
            for form, pages_of in [(key, direct), *variants]:
                page = 0
                for step, locs, meta_locs in pages_of:
                    page += step
                    words[(key, form, urls[page])] = (locs, [fields[-n - 1] if n < 0 else n for n in meta_locs])
    assert keys == sorted(keys) and len(keys) == len(set(keys))
    by_url = {item["url"]: item for item in items}
    sorted_by = {}
    for name, order in sorts:
        values = [_f32(by_url[urls[n]]["sort"][name]) for n in order]
        assert values == sorted(values) and len(order) == len(items)
        sorted_by[name] = sorted(urls[n] for n in order)
    filter_values = {}
    for name, file in filters:
        got_name, values = _load(folder / "filter" / f"{file}.pf_filter")
        assert got_name == name
        filter_values[name] = {value: sorted(urls[n] for n in numbers) for value, numbers in values}
    entry["languages"]["vi"]["hash"] = None
    return {"version": version, "fields": fields, "entry": entry, "words": words, "filters": filter_values,
            "sorts": sorted_by, "fragments": {f["url"]: f for f in fragments},
            "word_counts": {urls[n]: count for n, (_, count) in enumerate(pages)}}


def _pagefind(items: list[dict[str, Any]], tmp_path: Path) -> Path:
    source, output = tmp_path / "pages", tmp_path / "pagefind"
    for item in items:
        folder = source / item["url"].strip("/")
        folder.mkdir(parents=True)
        (folder / "index.html").write_text(_document(item), encoding="utf-8")
    subprocess.run([search._binary(), "--site", str(source), "--output-path", str(output), "--force-language", "vi",
                    "--silent"], check=True)
    return output


def _same_as_pagefind(items: list[dict[str, Any]], tmp_path: Path) -> dict[str, Any]:
    assert all(map(pagefind_index.indexable, items))
    ours = tmp_path / "ours"
    ours.mkdir()
    pagefind_index.write_bundle(items, ours)
    theirs, mine = _decoded(_pagefind(items, tmp_path), items), _decoded(ours, items)
    for key in theirs:
        assert mine[key] == theirs[key], key
    return mine


def test_the_index_of_tricky_records_is_pagefinds(tmp_path):
    decoded = _same_as_pagefind(_edge_records(), tmp_path)
    # What the comparison covers: parts of compounds at a share of the weight, forms kept with their quotes,
    # the heading's weight, words of the meta fields.
    by_form = {(form, url): locs for (_, form, url), locs in decoded["words"].items()}
    assert by_form[("covid", "/tin-tuc/bien-0/")] == ([-85, 2], ["title", 2])
    assert by_form[("“đổi", "/tin-tuc/bien-0/")][0] == [-169, 5]
    assert ("đua", "/tin-tuc/bien-0/") in by_form and ("dua", "/tin-tuc/bien-0/") in by_form
    assert "dấu chấm. Hỏi? Than! Hai chấm: Ngoặc). Chấm phẩy; " in decoded["fragments"]["/tin-tuc/bien-5/"]["content"]


def test_the_index_of_the_sample_portal_is_pagefinds(tmp_path):
    items = records(pelican_context(ROOT / "content", tmp_path / "build")["portal"])
    assert len(items) > 40
    _same_as_pagefind(items, tmp_path)


def test_a_word_met_more_often_than_the_tables_hold_is_written_as_pagefind_writes_it(tmp_path):
    """At every position from 1 to 65,535 of a page (a hostile body, under BODY_MAX_CHARS): one more than the CBOR
    tables' list heads go to."""
    item = {**_edge_records()[0], "url": "/tin-tuc/lap-lai/"}
    item["content"] = "Lặp\n" + "đua " * 65_535 + "hết"
    item["meta"] = {**item["meta"], "title": "Lặp"}
    decoded = _same_as_pagefind([item, _edge_records()[1]], tmp_path)
    locs, _ = decoded["words"][("đua", "đua", "/tin-tuc/lap-lai/")]
    assert len(locs) == 65_536  # the weight's mark, then one step for each


def test_long_records_make_several_word_chunks_with_ranges_pagefind_reads(tmp_path, monkeypatch):
    monkeypatch.setattr(pagefind_index, "CHUNK_BYTES", 400)
    items = _edge_records()
    decoded = _same_as_pagefind(items, tmp_path)
    assert decoded["words"]
    chunks = list((tmp_path / "ours" / "index").glob("*.pf_index"))
    assert len(chunks) > 3  # each chunk's range was checked against its words while decoding


@pytest.mark.parametrize("text", ["Chúc mừng 🎉", "Bản quyền ©", "Tiếng Nga: Москва", "Kết hợp dấu: e\u0301",
                                  "Hai\u200bphần", "Thẻ\x1fđiều khiển", "‼ cảnh báo"])
def test_a_record_with_an_unchecked_character_is_left_to_pagefind(text):
    item = _edge_records()[0]
    assert pagefind_index.indexable(item)
    assert not pagefind_index.indexable({**item, "content": text})
    assert not pagefind_index.indexable({**item, "meta": {**item["meta"], "title": ""}})
    assert not pagefind_index.indexable({**item, "filters": {"loai": [text]}})
    assert not pagefind_index.indexable({**item, "sort": {"date": "2025-08-01"}})


@pytest.mark.parametrize("change", [{"meta": {"title": "Hai  khoảng"}}, {"meta": {"title": " Đầu"}},
                                    {"filters": {"loai": ["Cuối "]}}, {"url": "/tin tuc/"}, {"url": "tin-tuc/"},
                                    {"url": "/tin-tuc/đua/"}, {"content": "Soft\u00adhyphen"}])
def test_a_record_pagefind_would_read_otherwise_is_left_to_it(change):
    """Values Pagefind would space anew, a URL it would make otherwise from the page's folder."""
    item = _edge_records()[0]
    assert not pagefind_index.indexable({**item, **change})


def _indexed(tmp_path: Path, bundles: list[Bundle], **kwargs: Any) -> Path:
    session = Session(cache_dir=tmp_path / "cache", live=tmp_path / "live", jobs=2)
    indexing = search.Indexing(lambda: bundles, str(tmp_path / "out"), session, **kwargs)
    try:
        indexing.bundles()
    finally:
        assert indexing.finish() == sum(len(b.records) for b in bundles)
    return tmp_path / "out" / "pagefind"


def _bundles(extra: dict[str, Any] | None = None) -> list[Bundle]:
    items = _edge_records()
    return [Bundle(0, [dict(search._PLACEHOLDER)]), Bundle(1, items[:3]), Bundle(2, items[3:]),
            Bundle(3, [{**items[0], "url": "/tin-tuc/khac/", **(extra or {})}])]


def test_the_search_step_writes_the_bundles_it_can_and_leaves_the_rest_to_pagefind(tmp_path):
    """Bundle 0 (the scripts) and a bundle with an emoji go to Pagefind, which names files by 7 hex digits; the
    others are written here (10), in two processes; the search page's files are all in place."""
    out = _indexed(tmp_path, _bundles({"content": "Chúc mừng 🎉"}))
    assert (out / "pagefind.js").is_file() and list(out.glob("wasm.*"))
    names = {n: sorted(p.stem for p in (out / f"kho-{n}" / "fragment").iterdir()) for n in (1, 2, 3)}
    assert all(len(name) == len("vi_") + 10 for n in (1, 2) for name in names[n])
    assert all(len(name) == len("vi_") + 7 for name in names[3])
    for n in (1, 2, 3):
        assert not [p for p in (out / f"kho-{n}").iterdir() if p.suffix in (".js", ".css")]


def test_a_bundle_of_more_pages_than_the_tables_hold_goes_to_pagefind(tmp_path, monkeypatch):
    monkeypatch.setattr(pagefind_index, "MAX_PAGES", 2)  # bundles 1 and 2 have three records, 3 one
    out = _indexed(tmp_path, _bundles())
    assert all(len(p.stem) == len("vi_") + 7 for n in (1, 2) for p in (out / f"kho-{n}" / "fragment").iterdir())
    assert all(len(p.stem) == len("vi_") + 10 for p in (out / "kho-3" / "fragment").iterdir())


def test_with_pagefind_chosen_it_writes_every_bundle(tmp_path):
    out = _indexed(tmp_path, _bundles(), own=False)
    for n in (1, 2, 3):
        assert all(len(p.stem) == len("vi_") + 7 for p in (out / f"kho-{n}" / "fragment").iterdir())


def test_a_failure_while_writing_fails_the_search_step(tmp_path, monkeypatch):
    """In the forked children too: an error stops the build (SearchIndexError), the disk's as an OSError."""
    def broken(items, folder):
        if folder.name == "2":
            raise ValueError("hỏng")
        real(items, folder)

    real = pagefind_index.write_bundle
    monkeypatch.setattr(pagefind_index, "write_bundle", broken)
    with pytest.raises(search.SearchIndexError, match="hỏng"):
        _indexed(tmp_path / "a", _bundles())

    def full(items, folder):
        raise OSError(28, "No space left on device", str(folder))

    monkeypatch.setattr(pagefind_index, "write_bundle", full)
    with pytest.raises(OSError) as raised:
        _indexed(tmp_path / "b", _bundles())
    assert raised.value.errno == 28
    assert not list((tmp_path / "b" / "out").glob(".search-*"))


def test_the_installed_pagefind_is_the_one_the_files_are_written_for(monkeypatch, tmp_path):
    assert search._writes_own()
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\necho 'pagefind 9.9.9'\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    assert not search._writes_own()


_SEEDED = """
import json, sys
from pathlib import Path
from portal import pagefind_index
pagefind_index.write_bundle(json.loads(sys.argv[1]), Path(sys.argv[2]))
"""


def test_a_bundle_is_the_same_bytes_whatever_the_processs_string_hashes(tmp_path):
    # Forms of one word without marks (hạn, hán, hàn) met in the title and the meta: Pagefind's index lists them
    # under one key, in the order the bundle met them, never in the order of a set of strings.
    record = {"url": "/tin-tuc/han/", "content": "Hạn hán hàn huyên\nNgày hạn, hán và hàn: hẹn hôm sau.",
              "meta": {"title": "Hạn hán hàn huyên", "ngay": "01/08/2025", "kd": "han hen"},
              "filters": {"loai": ["Bài viết"]}, "sort": {"date": "202508011200"}}
    assert pagefind_index.indexable(record)
    written = []
    for seed in ("1", "2", "3", "4"):
        out = tmp_path / seed
        subprocess.run([sys.executable, "-c", _SEEDED, json.dumps([record, *_edge_records()]), str(out)], check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT / "plugins")})
        written.append({p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()})
    assert written[0] and all(files == written[0] for files in written[1:])


def test_integers_past_the_tables_are_written_as_pagefind_writes_them(tmp_path, monkeypatch):
    """Tables of 8 integers: positions and steps past them take the slower encoding, to the same bytes (a long page's
    positions past the usual 4,096); a bundle of more pages grows the tables, which its page numbers then fit."""
    monkeypatch.setattr(pagefind_index, "_TABLE", 8)
    for table in ("_SMALL", "_SMALL_NEG", "_LIST", "_ONE"):
        monkeypatch.setattr(pagefind_index, table, [])
    items = [*_edge_records(), *({**item, "url": f"/tin-tuc/lan-hai-{i}/"} for i, item in enumerate(_edge_records()))]
    # A word at every position the tables hold but the last: one past what the quicker encoding of its steps takes.
    repeated = {**items[0], "url": "/tin-tuc/lap-lai/", "content": "Lặp\n" + "đua " * (len(items) + 1) + "hết"}
    items.append({**repeated, "meta": {**repeated["meta"], "title": "Lặp"}})
    assert len(items) > 8
    _same_as_pagefind(items, tmp_path)
    assert len(pagefind_index._SMALL) == len(items) + 1 and len(pagefind_index._ONE) == 8
