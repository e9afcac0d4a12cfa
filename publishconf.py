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

# Publishing (`invoke deploy`, README "Publishing"; every key and its default: plugins/portal/tools/deploy/config.py).
# CI may set each key as PORTAL_DEPLOY_<KEY> instead (PORTAL_DEPLOY_TARGET, PORTAL_DEPLOY_ENDPOINT …); credentials
# never go here: boto3 reads AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, a profile or a role.
DEPLOY: dict = {
    # "target": "s3://thidua-portal/",  # or "rsync://may-chu/web/thidua", or "deploy@may-chu:/srv/thidua/output"
    # "endpoint": "https://s3.example.vn",  # an S3-compatible store; leave out for AWS S3
    # "region": "ap-southeast-1",
    # "cloudfront": "E2EXAMPLE",  # invalidate the changed paths after each deploy
    # "compression": "plain",  # or "negotiate": also the .br/.gz copies, for an edge that picks by Accept-Encoding
    # "website_redirects": True,  # aliases as 301s on an S3 website endpoint
    # "max_deletes": 256,
}
