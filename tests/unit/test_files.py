"""files.replaced: a file is replaced whole or not at all, and a failure of any kind leaves no partial file beside
it; files.sweep_partials removes what a killed process left."""

from __future__ import annotations

import os

import pytest

from portal.files import replaced


def test_the_new_content_replaces_the_file_when_the_block_ends(tmp_path):
    target = tmp_path / "derived.pickle"
    target.write_bytes(b"old")
    with replaced(target) as partial:
        assert partial == tmp_path / f"derived.pickle.{os.getpid()}"  # the name sweep_partials knows
        partial.write_bytes(b"new")
        assert target.read_bytes() == b"old"  # a reader meanwhile finds the old file whole
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["derived.pickle"]


@pytest.mark.parametrize("error", [ValueError("a value that does not pickle"), KeyboardInterrupt()])
def test_a_failure_of_any_kind_keeps_the_old_file_and_leaves_no_partial_one(tmp_path, error):
    target = tmp_path / "parsed-03.pickle"
    target.write_bytes(b"old")
    with pytest.raises(type(error)), replaced(target) as partial:
        partial.write_bytes(b"half")
        raise error
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["parsed-03.pickle"]


def test_a_hidden_partial_file_in_a_folder_whose_listing_is_read(tmp_path):
    target = tmp_path / "index.html.gz"
    with replaced(target, hidden=True) as partial:
        assert partial.name == f".index.html.gz.{os.getpid()}"
        partial.write_bytes(b"x")
    assert target.read_bytes() == b"x"
