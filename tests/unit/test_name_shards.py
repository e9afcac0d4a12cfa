"""Names for direct hits and suggestions: shard keys, splitting, folding, reach, and the size of a shard."""

from __future__ import annotations

import gzip
import json
import random

import pytest
from portal import search_names as sn
from portal.schema import KINDS, RECORD_KINDS
from portal.tools import synth


def _shards(items: list[sn.Entry], limit: int = sn.LIMIT) -> tuple[list[tuple[str, int, bool]], list[list[list]]]:
    """What the page gets: the manifest's (key, size, partial) triples, and each shard's rows."""
    cut = sn.cut(items, limit)
    data = [sn._shard(items, shard.placed) for shard in cut]
    return ([(s.key, -(-len(d) // 100), s.partial) for s, d in zip(cut, data, strict=True)],
            [json.loads(d) for d in data])


def _run_at(name: list[str], query: list[str]) -> bool:
    """names.js's match: the query's syllables together in the name, in order, the last one perhaps a prefix."""
    m = len(query)
    return any(all(name[p + i].startswith(w) if i == m - 1 else name[p + i] == w for i, w in enumerate(query))
               for p in range(len(name) - m + 1))


def _found(shards, rows, query: str) -> tuple[set[str], bool]:
    """URLs the page finds for ``query`` from the one shard it downloads, and whether that shard was complete."""
    picked = sn.shard_for(shards, query)
    assert picked is not None
    index, complete = picked
    words = sn.tokens(query)
    return {row[0] for row in rows[index] if any(_run_at(sn.tokens(n), words) for n in row[4:])}, complete


def _entry(url: str, *names: str) -> sn.Entry:
    return sn.Entry(url, 3, "", "", names)


def test_tokens_fold_every_diacritic_and_d_stroke():
    assert sn.tokens("Đắk Lắk") == ["dak", "lak"]
    assert sn.tokens("Vì người nghèo - Không để ai bị bỏ lại phía sau")[:3] == ["vi", "nguoi", "ngheo"]
    assert sn.tokens("Khối thi đua số 3") == ["khoi", "thi", "dua", "so", "3"]


@pytest.mark.parametrize("key", ["", "nguyen thi a", "dak", "3 x", "中文 a"])
def test_keys_are_safe_file_names_and_come_back(key):
    encoded = sn.encode_key(key)
    assert encoded and all(c.isascii() and (c.isalnum() or c in "-_~") for c in encoded)
    assert sn.decode_key(encoded) == key


def test_every_record_kind_is_an_entry_with_its_other_names(graph):
    items = {e.url: e for e in sn.entries(graph)}
    assert len(items) == sum(len(graph.records.all(k)) for k in RECORD_KINDS)
    campaign = items["phong-trao/nong-thon-moi/"]
    assert campaign.names == ("Cả nước chung sức xây dựng nông thôn mới", "Nông thôn mới",
                              "Phong trào xây dựng nông thôn mới")
    assert campaign.within == "nong-thon-moi"  # the campaign has articles: the search page can filter by it
    assert campaign.context == "từ 2011 · Toàn quốc"
    assert items["tinh-thanh/kon-tum/"].context == "Tỉnh · sáp nhập vào Quảng Ngãi"
    assert items["dien-hinh/nguyen-thi-an/"].context.startswith("Kon Tum · 2019")
    assert items["dien-hinh/nguyen-thi-an/"].within == ""  # exemplars have no search filter
    assert items["cum-khoi-thi-dua/cum-tay-nguyen/"].context == "Cụm thi đua"
    assert items["khen-thuong/huan-chuong-lao-dong-hang-ba/"].context == "Huân chương"


def test_the_names_key_follows_what_the_entries_read_of_the_graph(graph):
    """search_names.inputs, with the records' own digest, keys the names: an article moved between two campaigns
    that keep articles leaves the entries and the key as they were; a campaign left without articles, or an honour
    no longer conferred, changes both."""
    key, entries = sn.inputs(graph), sn.entries(graph)
    terms = sorted((t for t in graph.terms["campaigns"].values() if t.count), key=lambda t: -t.count)
    moved = terms[0].articles.pop()
    terms[1].articles.append(moved)
    assert sn.inputs(graph) == key and sn.entries(graph) == entries
    emptied, terms[0].articles[:] = list(terms[0].articles), []
    assert sn.inputs(graph) != key and sn.entries(graph) != entries
    terms[0].articles[:] = emptied
    assert sn.inputs(graph) == key
    honour = next(h for h in graph.honours_by_recipient["nguyen-thi-an"] if h.conferred)
    honour.stage = "proposed"
    assert sn.inputs(graph) != key and sn.entries(graph) != entries


def test_kind_labels_and_filters_come_from_the_declarations(graph):
    kinds = sn.kinds(graph)
    assert [k[0].lower() for k in kinds] == [KINDS[k].label.lower() for k in RECORD_KINDS]
    by_kind = dict(zip(RECORD_KINDS, kinds, strict=True))
    for tax in graph.taxonomies.values():
        if tax.record_kind and tax.search_filter:
            assert by_kind[tax.record_kind][1:] == [tax.search_filter, tax.search_noun]
    assert by_kind["exemplars"][1] == ""


def test_files_and_manifest_agree(graph):
    files = sn.files(graph)
    manifest = sn.manifest(graph)
    pairs = sn.read_manifest(manifest["shards"])
    assert [f"{sn.FOLDER}{sn.encode_key(k)}.json" for k, _, _ in pairs] == list(files)
    assert all(path.startswith("tim-kiem/ten/") for path in files)
    for (_, size, _), data in zip(pairs, files.values(), strict=True):
        assert size == -(-len(data) // 100)
        assert all(isinstance(row[0], str) and isinstance(row[1], int) for row in json.loads(data))
    assert manifest["kinds"] == sn.kinds(graph)


def test_small_shards_split_by_longer_keys_in_order(graph):
    items = sn.entries(graph)
    cut = sn.cut(items, 400)
    keys = [shard.key for shard in cut]
    assert keys[0] == "" and keys == sorted(keys) and len(set(keys)) == len(keys) and len(keys) > 5
    for i, shard in enumerate(cut):
        key, upper = shard.key, keys[i + 1] if i + 1 < len(keys) else None
        for text, *_ in shard.placed:  # every string lies in its shard's range
            assert key <= text and (upper is None or text < upper)


def test_every_record_is_found_by_each_name_and_each_run_of_syllables(graph):
    items = sn.entries(graph)
    for limit in (300, 800, sn.LIMIT):  # many tiny shards, a few, one
        shards, rows = _shards(items, limit)
        for entry in items:
            for name in entry.names:
                words = sn.tokens(name)
                found, complete = _found(shards, rows, name)
                assert complete and entry.url in found, (limit, name)
                for i in range(len(words)):
                    for j in range(i + 1, len(words) + 1):
                        run = " ".join(words[i:j])
                        found, complete = _found(shards, rows, run)
                        assert entry.url in found or not complete, (limit, run, name)


def test_d_stroke_aliases_and_merged_provinces_are_found(graph):
    shards, rows = _shards(sn.entries(graph), 300)
    assert "dien-hinh/dao-van-binh/" in _found(shards, rows, "dao van binh")[0]
    assert "dien-hinh/dao-van-binh/" in _found(shards, rows, "Đào Văn B")[0]  # the last word half typed
    assert "phong-trao/nong-thon-moi/" in _found(shards, rows, "phong trao xay dung")[0]  # an alias
    assert "tinh-thanh/kon-tum/" in _found(shards, rows, "Kon Tum")[0]  # merged on 1/7/2025


def test_a_string_too_common_for_one_shard_keeps_only_whole_names():
    items = [_entry(f"dien-hinh/a{i:03d}/", f"Người {i:03d} Văn Hùng") for i in range(400)]
    items.append(_entry("dien-hinh/hung/", "Hùng"))
    shards, rows = _shards(items, 2000)
    found, _ = _found(shards, rows, "Hùng")
    assert "dien-hinh/hung/" in found  # a one-syllable name is never left out
    assert _found(shards, rows, "Văn Hùng")[0] <= {"dien-hinh/hung/"}  # "văn hùng" ends 400 names: left out
    for i in (0, 123, 399):  # the whole name, or any part of it that is not too common, finds the record
        assert f"dien-hinh/a{i:03d}/" in _found(shards, rows, f"Người {i:03d} Văn Hùng")[0]
        assert f"dien-hinh/a{i:03d}/" in _found(shards, rows, f"{i:03d} van hung")[0]
    assert max(len(json.dumps(r, ensure_ascii=False)) for r in rows) <= 2000


def _synthetic(count: int) -> list[sn.Entry]:
    """``count`` exemplars named by the synthetic archive's generator, with profile-like context lines."""
    rng = random.Random(7)
    site = synth._Site(synth.CONTENT, rng)
    awards = sorted(a["name"] for a in site.awards.values())
    out = []
    for person in synth._exemplars(site, count, {}):
        years = sorted(rng.sample(range(2012, 2026), rng.randint(1, 4)))
        context = " · ".join((site.provinces[person.province]["name"], ", ".join(map(str, years)), rng.choice(awards)))
        out.append(sn.Entry(f"dien-hinh/{person.slug}/", 3, context, "", (person.name,)))
    return sorted(out, key=lambda e: e.url)


@pytest.fixture(scope="module")
def national():
    """About the exemplars of a 100,000-article archive (one per eight articles)."""
    items = _synthetic(12_500)
    return items, *_shards(items)


def test_shards_stay_a_few_kb_at_national_scale(national):
    _, shards, rows = national
    sizes = [len(gzip.compress(json.dumps(r, ensure_ascii=False, separators=(",", ":")).encode(), 9)) for r in rows]
    manifest = " ".join(f"{sn.encode_key(k)}:{s}{'!' if partial else ''}" for k, s, partial in shards)
    # Measured with LIMIT = 16,000: 607 shards, the largest 3.2 KB gzipped (median 2.1 KB); the manifest
    # 6.5 KB (2.4 KB gzipped).
    assert max(sizes) <= 4_000, max(sizes)
    assert len(manifest) <= 10_000 and len(gzip.compress(manifest.encode(), 9)) <= 4_000
    assert len(shards) < 1_000


def test_every_record_is_reachable_at_national_scale(national):
    items, shards, rows = national
    for n, entry in enumerate(items):
        found, complete = _found(shards, rows, entry.names[0])
        assert complete and entry.url in found, entry.names[0]
        words = sn.tokens(entry.names[0])
        for i in range(1, len(words) if n % 5 == 0 else 1):  # the end of a name ("Thị An"), as readers type it
            found, complete = _found(shards, rows, " ".join(words[i:]))
            assert entry.url in found or not complete


def test_one_new_record_changes_few_shards(national):
    items, shards, rows = national
    grown = sorted([*items, _entry("dien-hinh/nguyen-van-moi/", "Nguyễn Văn Mới")], key=lambda e: e.url)
    new_shards, new_rows = _shards(grown)
    before = dict(zip((k for k, _, _ in shards), map(json.dumps, rows), strict=True))
    after = dict(zip((k for k, _, _ in new_shards), map(json.dumps, new_rows), strict=True))
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    assert 0 < len(changed) <= 8, sorted(changed)
