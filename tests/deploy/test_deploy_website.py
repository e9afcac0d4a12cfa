"""Alias redirects as S3 website redirects, against s3rver's website endpoint (npm, run on 127.0.0.1)."""

from __future__ import annotations

import http.client
import os

import pytest
from deploy_servers import REGION, S3RVER, local_objects, remote_objects, require, s3rver
from portal.tools.deploy import s3
from portal.tools.deploy.config import DeployConfig, parse_target
from portal.tools.deploy.local import redirect_pairs

require(S3RVER.exists(), "s3rver (node_modules/.bin/s3rver)", "npm ci")

BUCKET = "site"
WEBSITE_HOST = f"{BUCKET}.s3-website-{REGION}.amazonaws.com"  # how s3rver tells its website endpoint


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    with s3rver(tmp_path_factory.mktemp("s3rver")) as running:
        client = running.client()
        client.create_bucket(Bucket=BUCKET)
        client.put_bucket_website(Bucket=BUCKET, WebsiteConfiguration={
            "IndexDocument": {"Suffix": "index.html"}, "ErrorDocument": {"Key": "404.html"}})
        yield running


@pytest.fixture(autouse=True)
def credentials(server, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(("PORTAL_DEPLOY_", "AWS_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", server.key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", server.secret)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)


def website_get(server, path: str) -> http.client.HTTPResponse:
    host, port = server.endpoint.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    conn.request("GET", path, headers={"Host": WEBSITE_HOST})
    response = conn.getresponse()
    response.body = response.read()
    conn.close()
    return response


def publish(server, output, redirects: bool) -> s3.Report:
    config = DeployConfig(target=f"s3://{BUCKET}", endpoint=server.endpoint, region=REGION,
                          website_redirects=redirects)
    return s3.deploy(output, config, parse_target(config.target), say=lambda line: None)


def test_an_alias_answers_301_on_the_website_endpoint(server, site):
    pairs = redirect_pairs(site)
    old = next(path for path in pairs if path.endswith("/"))
    new = pairs[old]
    assert new.startswith("/phong-trao/") and new != old
    report = publish(server, site, redirects=True)
    redirects = sorted(key for key in report.uploaded if key.startswith(old.strip("/")))
    assert redirects == [old.strip("/"), old.lstrip("/") + "index.html"]  # "/x/" is x/index.html to a website

    for url in (old, old + "index.html", old.rstrip("/")):
        response = website_get(server, url)
        assert response.status == 301, url
        assert response.getheader("Location") == new
    page = website_get(server, new)
    assert page.status == 200 and page.body == (site / new.strip("/") / "index.html").read_bytes()
    head = server.client().head_object(Bucket=BUCKET, Key=old.lstrip("/") + "index.html")
    assert head["WebsiteRedirectLocation"] == new
    assert head["ContentType"] == "text/html; charset=utf-8"

    again = publish(server, site, redirects=True)
    assert (again.uploaded, again.fixed, again.deleted) == ([], [], [])

    # Redirects off: the alias page is the HTML refresh page again (fixed by copy), the extra object goes.
    off = publish(server, site, redirects=False)
    assert off.fixed == [old.lstrip("/") + "index.html"] and off.deleted == [old.strip("/")]
    assert off.uploaded == []
    assert "WebsiteRedirectLocation" not in server.client().head_object(Bucket=BUCKET,
                                                                         Key=old.lstrip("/") + "index.html")
    assert remote_objects(server.client(), BUCKET) == local_objects(site)
    assert website_get(server, old).status == 200  # the refresh page, which any host can serve
