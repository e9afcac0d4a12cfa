"""The synthetic content generator: deterministic, valid by the content model, built strictly."""

from __future__ import annotations

import hashlib
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest
from portal.tools.synth import generate
from portal.vietnamese import SLUG_RE, slugify
from support import front_matter, run_build

ARTICLES = 60


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("synth") / "content"
    stats = generate(target, ARTICLES, seed=7)
    assert stats.articles == ARTICLES and stats.exemplars == 20
    return target


def _digest(root: Path) -> str:
    """One hash over every file's path and bytes."""
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def test_same_seed_same_tree_and_every_file_is_valid(tree: Path, tmp_path: Path) -> None:
    again, other = tmp_path / "again", tmp_path / "other"
    generate(again, ARTICLES, seed=7)
    generate(other, ARTICLES, seed=8)
    assert _digest(again) == _digest(tree)
    assert _digest(other) != _digest(tree)

    data = {path: front_matter(path) for path in tree.rglob("*.md")}
    articles = {p: d for p, d in data.items() if p.parent.parent.name == "articles"}
    exemplars = {p.stem: d for p, d in data.items() if p.parent.name == "exemplars"}
    awards = {p.stem: d.get("recipients") or [] for p, d in data.items() if p.parent.name == "awards"}
    merged = {p.stem for p, d in data.items() if p.parent.name == "provinces" and d.get("merged_into")}
    assert len(articles) == ARTICLES and (tree / "pages" / "gioi-thieu.md").is_file()

    slugs = [p.stem for p in articles]
    assert len(set(slugs)) == len(slugs)
    assert all(SLUG_RE.fullmatch(s) for s in [*slugs, *exemplars])

    honours = 0
    for path, meta in articles.items():
        assert path.parent.name == meta["date"][:4]
        if meta["date"] >= "2025-07-01":
            assert not merged & set(meta["provinces"]), path
        for honour in meta.get("honours", []):
            assert exemplars[honour["recipient"]]["kind"] in awards[honour["award"]], (path, honour)
            honours += 1
    for slug, meta in exemplars.items():
        for honour in meta.get("honours", []):
            assert meta["kind"] in awards[honour["award"]] and isinstance(honour["year"], int), slug
    assert honours > 0

    # Names that fold alike: none of them may keep the bare folded slug.
    by_fold = defaultdict(list)
    for slug, meta in exemplars.items():
        by_fold[slugify(meta["name"])].append(slug)
    assert all(folded not in group for folded, group in by_fold.items() if len(group) > 1)

    nfd = [p for p in articles if (t := p.read_text(encoding="utf-8")) != unicodedata.normalize("NFC", t)]
    assert 1 <= len(nfd) <= ARTICLES // 10


def test_synthetic_tree_builds_strictly(tree: Path, tmp_path: Path) -> None:
    result = run_build(tree, tmp_path / "output", strict=True, settings="publishconf.py")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 cảnh báo)" in result.stdout
