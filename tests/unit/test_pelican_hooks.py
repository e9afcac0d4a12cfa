"""The plugin's shortcuts through Pelican's generators leave every object as Pelican would."""

from __future__ import annotations

from types import SimpleNamespace

from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG

from portal import refresh_links_where_there_are_any
from portal.snapshots import KEPT_PLAIN, links_to_refresh


def _article(summary: str) -> Article:
    return Article("<p>Thân bài</p>", metadata={"title": "Bài", "summary": summary}, settings=DEFAULT_CONFIG)


def test_only_articles_with_a_tag_in_a_formatted_field_have_their_links_refreshed():
    plain, linked = _article("Tin ngắn: ba người, không có thẻ"), _article('Xem <a href="{filename}/b.md">bài</a>')
    assert not links_to_refresh(plain, ["summary"]) and links_to_refresh(linked, ["summary"])
    plain._summary = "Một lời dẫn khác"  # Pelican would copy it into the metadata
    assert links_to_refresh(plain, ["summary"])
    plain._summary = plain.metadata["summary"]
    before = (dict(plain.metadata), plain._summary)
    plain.refresh_metadata_intersite_links()  # what the shortcut passes by, Pelican leaves as it was
    assert (plain.metadata, plain._summary) == before

    refreshed = []
    for article in (plain, linked):
        article.refresh_metadata_intersite_links = lambda a=article: refreshed.append(a)
    lists = {name: [] for name in ("translations", "drafts", "drafts_translations", "hidden_articles",
                                   "hidden_translations")}
    generator = SimpleNamespace(settings={"FORMATTED_FIELDS": ["summary"]}, articles=[plain], **lists)
    generator.drafts.append(linked)
    refresh_links_where_there_are_any(generator)
    generator.refresh_metadata_intersite_links()
    assert refreshed == [linked]
    # A restored article brings the answer its kept state was saved with (snapshots._Kept.put): one kept as plain is
    # not asked again; any other is.
    linked.__dict__[KEPT_PLAIN], plain.__dict__[KEPT_PLAIN] = True, False
    generator.refresh_metadata_intersite_links()
    assert refreshed == [linked]
    del linked.__dict__[KEPT_PLAIN]
    generator.refresh_metadata_intersite_links()
    assert refreshed == [linked, linked]
