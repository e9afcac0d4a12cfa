"""Pelican settings for the emulation-and-commendation portal (development)."""

import os

SITENAME = "Thi đua – Khen thưởng"
SITESUBTITLE = "Tin tức phong trào thi đua, cụm, khối thi đua và điển hình tiên tiến"
AUTHOR = "Ban biên tập"
SITEURL = ""
PATH = "content"
THEME = "theme"
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"

PLUGIN_PATHS = ["plugins"]
PLUGINS = ["portal"]
# See plugins/portal/config.py for every key and its default. The site's address: canonical URLs, Open Graph,
# JSON-LD, sitemap and feeds use it (required for publishconf.py; the preview and `make serve` set the local one).
PORTAL: dict = {"site_url": os.environ.get("PORTAL_SITE_URL", "")}

# Where each kind of content lives (docs/content-model.md).
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
STATIC_PATHS: list = []  # photos go through the pipeline (plugins/portal/media.py), never as uploaded (EXIF, GPS)
SLUGIFY_SOURCE = "basename"

# Vietnamese, ASCII URLs with a trailing slash.
ARTICLE_URL = "tin-tuc/{date:%Y}/{slug}/"
ARTICLE_SAVE_AS = "tin-tuc/{date:%Y}/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
DRAFT_URL = "ban-nhap/{slug}/"
DRAFT_SAVE_AS = "ban-nhap/{slug}/index.html"
DRAFT_PAGE_URL = "ban-nhap/trang/{slug}/"
DRAFT_PAGE_SAVE_AS = "ban-nhap/trang/{slug}/index.html"
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/trang/{number}/", "{base_name}/trang/{number}/index.html"),
)
DEFAULT_PAGINATION = 20

# Pelican's own category, tag, author and archive pages are replaced by the
# portal's taxonomies (plugins/portal/taxonomies.py).
USE_FOLDER_AS_CATEGORY = False
DEFAULT_CATEGORY = "tin-tuc"
DEFAULT_METADATA = {"category": DEFAULT_CATEGORY}  # Pelican's draft writer needs one; no pages are made
DIRECT_TEMPLATES: list[str] = []  # 404.html is the portal's (PortalGenerator._write_not_found)
CATEGORY_SAVE_AS = CATEGORIES_SAVE_AS = ""
TAG_SAVE_AS = TAGS_SAVE_AS = ""
AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
# Pelican's locale_date: the theme prints dates with the portal's filters (vietnamese.format_date), so
# Pelican need not format each article's date by hand (8 µs each, 0.1 s at 10,000 articles).
DEFAULT_DATE_FORMAT = ""
YEAR_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_SAVE_AS = DAY_ARCHIVE_SAVE_AS = ""
FEED_ALL_ATOM = None  # the portal writes tin-tuc/atom.xml itself (escaped leads)
FEED_ALL_RSS = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
# One language: no translations to pair up (Pelican's pairing is quadratic in the number of articles).
ARTICLE_TRANSLATION_ID = PAGE_TRANSLATION_ID = None

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.sane_lists": {},
    },
    "output_format": "html",
}
JINJA_ENVIRONMENT = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True}
DELETE_OUTPUT_DIRECTORY = False  # the build swaps in a fresh directory instead
READERS = {"rst": None, "html": None, "htm": None}  # Markdown only (plugins/portal/reader.py)
