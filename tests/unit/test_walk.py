"""Pelican's generators find their files in the build's one walk of the content folder (files_in_walk):
the same files, named the same way, as Pelican's own ``get_files`` finds by walking again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pelican.generators import ArticlesGenerator
from pelican.settings import DEFAULT_CONFIG

from portal.incremental import content_files, files_in_walk


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    for rel in ("articles/2024/a.md", "articles/2024/b.markdown", "articles/2024/.hidden.md", "articles/notes.txt",
                "articles/nhap/c.md", "articles/.git/d.md", "articles/pages/e.md", "pages/gioi-thieu.md",
                "top.md", "elsewhere/f.md", "articles/tam.md~"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x", encoding="utf-8")
    os.symlink(root / "elsewhere", root / "articles" / "linked")  # Pelican follows linked folders
    return root


@pytest.mark.parametrize(("paths", "exclude", "extensions", "ignores"), [
    (["articles"], ["pages"], None, ["**/.*"]),
    (["articles"], ["articles/nhap"], None, [".*", "*~"]),
    (["articles", "pages"], [], False, [".*"]),
    ([""], ["pages", "articles/2024"], None, []),  # the content folder itself: Pelican names its files ./name
    ("top.md", None, None, []),  # a file named directly
    (["articles"], None, (), [".*"]),  # no extension (a disabled reader's check)
    (["articles/missing"], None, None, []),
])
def test_the_walk_finds_what_pelican_finds(content: Path, paths, exclude, extensions, ignores):
    settings = {**DEFAULT_CONFIG, "PATH": str(content), "IGNORE_FILES": ignores}
    generator = ArticlesGenerator(context={}, settings=settings, path=str(content), theme=settings["THEME"],
                                  output_path=str(content.parent / "out"))
    pelicans = generator.get_files(paths, exclude=exclude, extensions=extensions)
    walked = files_in_walk(content_files(settings), str(content), paths, exclude,
                           tuple(generator.readers.extensions) if extensions is None else extensions, ignores)
    assert walked == pelicans
    assert pelicans or paths == ["articles/missing"] or extensions == ()


def test_a_path_that_is_not_plain_is_left_to_pelican(content: Path):
    walk = content_files({"PATH": str(content)})
    assert files_in_walk(walk, str(content), ["articles/../pages"], None, ("md",), []) is None
    assert files_in_walk(walk, str(content), ["articles"], ["/etc"], ("md",), []) is None


def test_one_walk_asked_again_with_other_ignores_follows_them(content: Path):
    """The walk's names are split once per walk and ignore list (four asks a build): a second ask with other
    patterns must not get the first ask's answer, nor a later walk the earlier walk's."""
    walk = content_files({"PATH": str(content)})
    extensions = ("md", "markdown")
    for ignores in ([".*"], [], ["*.markdown"], [".*"]):
        settings = {**DEFAULT_CONFIG, "PATH": str(content), "IGNORE_FILES": ignores}
        generator = ArticlesGenerator(context={}, settings=settings, path=str(content), theme=settings["THEME"],
                                      output_path=str(content.parent / "out"))
        assert files_in_walk(walk, str(content), ["articles"], None, extensions, ignores) == \
            generator.get_files(["articles"], extensions=extensions)
    (content / "articles" / "2024" / "moi.md").write_text("x", encoding="utf-8")
    found = files_in_walk(content_files({"PATH": str(content)}), str(content), ["articles"], None, extensions, [])
    assert os.path.join("articles", "2024", "moi.md") in found


def test_the_walk_finds_the_records_a_search_of_their_folders_finds(tmp_path: Path):
    """records.record_files: the same files, kind by kind, in the same order, from the build's walk as from a
    walk of each kind's folder (nested folders, hidden files, a linked folder followed, names that sort apart as
    text and as paths)."""
    from portal.records import record_files
    from portal.schema import KINDS

    root = tmp_path / "content"
    folder = KINDS["exemplars"].folder
    for rel in (f"{folder}/a.md", f"{folder}/a-b/c.md", f"{folder}/a/z.md", f"{folder}/.an.md", f"{folder}/x.txt",
                f"{KINDS['campaigns'].folder}/phong-trao.md", "articles/2024/bai.md", "ngoai/d.md"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x", encoding="utf-8")
    os.symlink(root / "ngoai", root / folder / "lien-ket")
    walked = record_files(root)
    assert walked == record_files(root, content_files({"PATH": str(root)}))
    assert all(os.path.isabs(p) for _, p in walked)
    exemplars = [Path(p).relative_to(root).as_posix() for kind, p in walked if kind == "exemplars"]
    assert exemplars == [f"{folder}/{rel}" for rel in (".an.md", "a/z.md", "a-b/c.md", "a.md", "lien-ket/d.md")]
    assert [p for p in exemplars if "lien-ket" not in p] == [  # paths sort part by part, as a search sorts them
        p.relative_to(root).as_posix() for p in sorted((root / folder).rglob("*.md")) if "lien-ket" not in p.parts]
