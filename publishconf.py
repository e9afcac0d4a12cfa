"""Production settings: strict validation, no drafts or scheduled articles."""

import os
import sys

sys.path.append(os.path.dirname(__file__))
from pelicanconf import *  # noqa: E402,F403

# A build for readers: strict, and it must know the site's address (PORTAL_SITE_URL, read by pelicanconf.py);
# links between pages stay root-relative (SITEURL stays "").
PORTAL = {**PORTAL, "strict": True, "production": True}  # noqa: F405
WITH_FUTURE_DATES = False  # a future date means scheduled: not published yet
DRAFT_SAVE_AS = DRAFT_PAGE_SAVE_AS = ""
