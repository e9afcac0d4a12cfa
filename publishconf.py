"""Production settings: strict validation, no drafts or scheduled articles."""

import os
import sys

sys.path.append(os.path.dirname(__file__))
from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("SITEURL", "")
FEED_DOMAIN = SITEURL
PORTAL = {**PORTAL, "strict": True}  # noqa: F405
WITH_FUTURE_DATES = False  # a future date means scheduled: not published yet
DRAFT_SAVE_AS = DRAFT_PAGE_SAVE_AS = ""
