"""Publishing to an S3-compatible bucket with boto3: incremental by content, in an order readers never notice.

Steps: refuse an incomplete build; hash the local files; read the bucket's listing (paginated) and the
manifest (``<prefix>.portal-deploy.json``); plan (plan.py); upload and fix headers group by group,
``workers`` at a time (content-hashed files, other assets and search files, pages with feeds and
sitemap, alias redirects); delete what the site no longer has (at most ``max_deletes`` unless
confirmed); write the manifest; invalidate the changed paths on the CDN. A deploy cut short at any
point leaves every reachable page working (the files a new page needs went up before it, nothing was
deleted) and running it again finishes it.

Every object carries its MD5 and header digest in its metadata, so objects uploaded in parts (whose
ETag is not an MD5) and objects written by an interrupted run are recognised without the manifest.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import botocore.session
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError
from botocore.exceptions import ConnectionError as EndpointUnreachable

from . import cdn
from .config import DeployConfig, S3Target
from .errors import EXIT_DELETES_HELD, DeployError
from .headers import GROUPS
from .local import check_complete, md5_cache, md5_files, walk
from .plan import Entry, Item, Plan, Remote, describe, desired, diff

__all__ = ["MANIFEST_NAME", "Report", "Store", "deploy"]

MANIFEST_NAME = ".portal-deploy.json"
MANIFEST_VERSION = 1
META_MD5, META_HEADERS = "md5", "headers"  # x-amz-meta-md5, x-amz-meta-headers
DELETE_BATCH = 1000  # delete_objects takes at most 1000 keys
COPY_LIMIT = 5 * 1024**3  # copy_object copies up to 5 GB in one request: larger files are uploaded again

_CREDENTIALS = {"InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "InvalidToken", "ExpiredToken",
                "AuthorizationHeaderMalformed", "InvalidClientTokenId", "403", "Forbidden"}
_NO_BUCKET = {"NoSuchBucket", "404", "NotFound"}


@dataclass
class Report:
    """What a deploy did (or, dry, would do)."""

    target: str
    plan: Plan
    uploaded: list[str] = field(default_factory=list)
    fixed: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)  # deletes above --max-deletes, not made
    invalidation: str = ""  # the CDN invalidation's id
    invalidated: list[str] = field(default_factory=list)
    dry_run: bool = False


class Store:
    """One bucket through boto3, every failure turned into a ``DeployError`` in Vietnamese."""

    def __init__(self, config: DeployConfig, target: S3Target, client: Any = None) -> None:
        self.config = config
        self.bucket = target.bucket
        self.prefix = target.prefix
        self.where = f"s3://{target.bucket}/{target.prefix}" + (f" ({config.endpoint})" if config.endpoint else "")
        self.client = client if client is not None else self._client()
        part = config.multipart_mb * 1024 * 1024
        self.transfer = TransferConfig(multipart_threshold=part, multipart_chunksize=max(part // 4, 5 * 1024 * 1024),
                                       max_concurrency=2)

    def _client(self) -> Any:
        core = botocore.session.get_session()
        # A listing of 100,000 objects would spend most of its time parsing dates nobody reads: keep them text.
        core.get_component("response_parser_factory").set_parser_defaults(timestamp_parser=str)
        session = boto3.Session(profile_name=self.config.profile or None, botocore_session=core)
        # Several S3-compatible stores reject the CRC32 checksums boto3 sends by default since 1.36.
        botocfg = Config(request_checksum_calculation="when_required", response_checksum_validation="when_required",
                         retries={"max_attempts": 3, "mode": "standard"}, connect_timeout=10, read_timeout=120,
                         max_pool_connections=max(10, self.config.workers + 2),
                         s3={"addressing_style": "path"} if self.config.endpoint else None)
        return session.client("s3", endpoint_url=self.config.endpoint or None, region_name=self.config.region or None,
                              config=botocfg)

    @property
    def manifest_key(self) -> str:
        return self.prefix + MANIFEST_NAME

    def error(self, exc: Exception, key: str | None = None) -> DeployError:
        """The message for a boto3 failure; ``key`` names the object the store refused."""
        if isinstance(exc, NoCredentialsError):
            return DeployError("Không tìm thấy khoá truy cập kho lưu trữ: đặt AWS_ACCESS_KEY_ID và "
                               "AWS_SECRET_ACCESS_KEY (hoặc AWS_PROFILE, hoặc một vai trò IAM) rồi chạy lại. "
                               "Không có gì bị xoá.")
        if isinstance(exc, EndpointUnreachable):  # refused, timed out, DNS, proxy
            return DeployError(f"Không kết nối được tới kho lưu trữ {self.where}: kiểm tra địa chỉ "
                               "(PORTAL_DEPLOY_ENDPOINT) và mạng. Không có gì bị xoá.")
        if isinstance(exc, ClientError):
            code = str(exc.response.get("Error", {}).get("Code", ""))
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            text = exc.response.get("Error", {}).get("Message", "") or code
            if code in _NO_BUCKET and key is None:
                return DeployError(f"Không có bucket '{self.bucket}' trên kho lưu trữ {self.where}: kiểm tra tên trong "
                                   "PORTAL_DEPLOY_TARGET (hoặc tạo bucket trước). Không có gì bị xoá.")
            if code in _CREDENTIALS or status == 403:
                return DeployError(f"Kho lưu trữ {self.where} từ chối khoá truy cập ({code}): kiểm tra "
                                   "AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY và quyền ghi vào bucket. "
                                   "Không có gì bị xoá.")
            if key is not None:
                return DeployError(f"Kho lưu trữ từ chối tệp '{key}' ({code}: {text}). Các trang bạn đọc đang thấy "
                                   "vẫn dùng được và không có gì bị xoá; sửa tệp rồi chạy lại để hoàn tất.")
            return DeployError(f"Kho lưu trữ {self.where} báo lỗi {code}: {text}. Không có gì bị xoá.")
        if isinstance(exc, BotoCoreError):
            what = f" khi gửi '{key}'" if key else ""
            return DeployError(f"Lỗi khi nói chuyện với kho lưu trữ {self.where}{what}: {exc}. Không có gì bị xoá; "
                               "chạy lại để hoàn tất.")
        if isinstance(exc, OSError) and key is not None:
            return DeployError(f"Không đọc được tệp của '{key}': {exc}. Không có gì bị xoá.")
        raise exc

    def listing(self) -> dict[str, Remote]:
        """Every object under the prefix: key -> ETag and size (all pages of list_objects_v2)."""
        found: dict[str, Remote] = {}
        try:
            pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix)
            for page in pages:
                for obj in page.get("Contents", ()):
                    found[obj["Key"]] = Remote(obj["ETag"].strip('"'), int(obj["Size"]))
        except (ClientError, BotoCoreError) as exc:
            raise self.error(exc) from exc
        return found

    def manifest(self, listing: dict[str, Remote]) -> dict[str, Entry]:
        """The manifest the last complete deploy wrote ({} if there is none or it cannot be read)."""
        if self.manifest_key not in listing:
            return {}
        try:
            body = self.client.get_object(Bucket=self.bucket, Key=self.manifest_key)["Body"].read()
            data = json.loads(body)
            if data.get("version") != MANIFEST_VERSION:
                return {}
            return {key: Entry(str(e["md5"]), int(e["size"]), str(e["etag"]), str(e["headers"]))
                    for key, e in data["objects"].items()}
        except (ClientError, BotoCoreError) as exc:
            raise self.error(exc) from exc
        except (ValueError, KeyError, TypeError, AttributeError):
            return {}  # a damaged manifest only costs HEAD requests

    def head(self, keys: list[str]) -> dict[str, tuple[str | None, str | None]]:
        """key -> (MD5, header digest) from each object's metadata (None when it has none)."""
        def one(key: str) -> tuple[str | None, str | None]:
            try:
                meta = self.client.head_object(Bucket=self.bucket, Key=key).get("Metadata", {})
            except ClientError as exc:
                if str(exc.response.get("Error", {}).get("Code")) in ("404", "NoSuchKey", "NotFound"):
                    return None, None
                raise self.error(exc, key) from exc
            except BotoCoreError as exc:
                raise self.error(exc, key) from exc
            return meta.get(META_MD5), meta.get(META_HEADERS)

        with ThreadPoolExecutor(max_workers=self.config.workers) as pool:
            return dict(zip(keys, pool.map(one, keys), strict=True))

    def _metadata(self, item: Item) -> dict[str, str]:
        return {META_MD5: item.md5, META_HEADERS: item.headers.digest()}

    def put(self, item: Item) -> str:
        """Upload one object; return its ETag."""
        args = {**item.headers.s3_args(), "Metadata": self._metadata(item)}
        try:
            if item.path is not None and item.size >= self.transfer.multipart_threshold:
                self.client.upload_file(str(item.path), self.bucket, item.key, ExtraArgs=args, Config=self.transfer)
                return self.client.head_object(Bucket=self.bucket, Key=item.key)["ETag"].strip('"')
            body = item.path.read_bytes() if item.path is not None else b""
            md5 = base64.b64encode(bytes.fromhex(item.md5)).decode()
            response = self.client.put_object(Bucket=self.bucket, Key=item.key, Body=body, ContentMD5=md5, **args)
            return response["ETag"].strip('"')
        except (ClientError, BotoCoreError, OSError) as exc:
            raise self.error(exc, item.key) from exc
        except Exception as exc:  # s3transfer wraps failures of a part upload
            cause = exc.__cause__ or exc.__context__
            if isinstance(cause, (ClientError, BotoCoreError)):
                raise self.error(cause, item.key) from exc
            raise

    def copy(self, item: Item) -> str:
        """Give an object new headers without sending its bytes again; return its ETag."""
        try:
            response = self.client.copy_object(Bucket=self.bucket, Key=item.key, MetadataDirective="REPLACE",
                                               CopySource={"Bucket": self.bucket, "Key": item.key},
                                               Metadata=self._metadata(item), **item.headers.s3_args())
            return response["CopyObjectResult"]["ETag"].strip('"')
        except (ClientError, BotoCoreError) as exc:
            raise self.error(exc, item.key) from exc

    def delete(self, keys: list[str]) -> None:
        for start in range(0, len(keys), DELETE_BATCH):
            batch = keys[start:start + DELETE_BATCH]
            try:
                response = self.client.delete_objects(Bucket=self.bucket, Delete={
                    "Objects": [{"Key": key} for key in batch], "Quiet": True})
            except (ClientError, BotoCoreError) as exc:
                raise self.error(exc, batch[0]) from exc
            errors = response.get("Errors") or []
            if errors:
                first = errors[0]
                raise DeployError(f"Kho lưu trữ không xoá được {len(errors)} tệp, ví dụ '{first.get('Key')}' "
                                  f"({first.get('Code')}: {first.get('Message')}). Chạy lại để hoàn tất.")

    def write_manifest(self, entries: dict[str, Entry]) -> None:
        body = json.dumps({"version": MANIFEST_VERSION, "tool": "portal.tools.deploy",
                           "objects": {key: entries[key].as_json() for key in sorted(entries)}},
                          ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        try:
            self.client.put_object(Bucket=self.bucket, Key=self.manifest_key, Body=body,
                                   ContentType="application/json; charset=utf-8", CacheControl="no-store")
        except (ClientError, BotoCoreError) as exc:
            raise self.error(exc, self.manifest_key) from exc


def _run(work: list[tuple[str, Item]], store: Store, workers: int,
         done: Callable[[str, Item, str], None]) -> None:
    """Uploads and copies of one group, ``workers`` at a time; the first failure stops the rest and is raised."""
    if not work:
        return
    stop = threading.Event()

    def one(action: str, item: Item) -> tuple[str, Item, str]:
        if stop.is_set():
            raise _Skipped()
        return action, item, (store.put(item) if action == "upload" else store.copy(item))

    pool = ThreadPoolExecutor(max_workers=workers)
    futures: list[Future[tuple[str, Item, str]]] = [pool.submit(one, action, item) for action, item in work]
    pending = set(futures)
    failure: BaseException | None = None
    try:
        while pending and failure is None:
            finished, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for future in finished:
                exc = future.exception()
                if exc is None:
                    done(*future.result())
                elif not isinstance(exc, _Skipped) and failure is None:
                    failure = exc
    except BaseException:  # Ctrl+C: start nothing more
        stop.set()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    if failure is not None:
        stop.set()
        for future in pending:
            future.cancel()
        for future in pending:  # the uploads under way finish: record them
            if not future.cancelled() and future.exception() is None:
                done(*future.result())
    pool.shutdown(wait=True)
    if failure is not None:
        raise failure


class _Skipped(Exception):
    """A queued upload not started because another one failed."""


def deploy(output: Path, config: DeployConfig, target: S3Target, *, dry_run: bool = False, force: bool = False,
           confirm: bool = False, invalidate: bool = True, client: Any = None, cloudfront_client: Any = None,
           say: Callable[[str], None] = print) -> Report:
    """Publish ``output`` to the bucket; a ``DeployError`` on any fault (nothing readers see is deleted then)."""
    output = Path(output)
    check_complete(output)
    negotiate = config.compression == "negotiate"
    files = walk(output, siblings=negotiate)
    md5s = md5_files(files, workers=min(config.workers, 4), cache=md5_cache(output))
    items = desired(output, files, md5s, target.prefix, config.website_redirects)
    store = Store(config, target, client)
    listing = store.listing()
    manifest = store.manifest(listing)
    plan = diff(items, listing, manifest, store.head, force=force, keep=[store.manifest_key])
    report = Report(str(target), plan, dry_run=dry_run)
    for line in describe(plan, dry_run, limit=500 if dry_run else 0):
        say(line)
    if dry_run:
        if len(plan.deletes) > config.max_deletes and not confirm:
            say(f"Cần xoá {len(plan.deletes)} tệp, quá giới hạn --max-deletes={config.max_deletes}: "
                "khi chạy thật sẽ không xoá tệp nào nếu không có --confirm.")
        return report

    entries = dict(plan.known)
    for key, entry in manifest.items():  # objects that stay where they are (e.g. deletes held back)
        if key in listing and key not in items and entry.etag == listing[key].etag:
            entries[key] = entry

    def done(action: str, item: Item, etag: str) -> None:
        entries[item.key] = Entry(item.md5, item.size, etag, item.headers.digest())
        (report.uploaded if action == "upload" else report.fixed).append(item.key)

    for group in GROUPS:
        _run(plan.in_group(group), store, config.workers, done)
    if len(plan.deletes) > config.max_deletes and not confirm:
        report.held = list(plan.deletes)
    elif plan.deletes:
        store.delete(plan.deletes)
        report.deleted = list(plan.deletes)
        for key in plan.deletes:
            entries.pop(key, None)
    if entries != manifest or not manifest:
        store.write_manifest(entries)
    if invalidate and config.cloudfront and (report.uploaded or report.fixed or report.deleted):
        changed = [items[key].rel for key in report.uploaded + report.fixed]
        changed += [key[len(target.prefix):] for key in report.deleted]
        paths = cdn.paths(changed, config.invalidation_limit)
        report.invalidated = paths
        report.invalidation = cdn.invalidate(config, config.cloudfront, paths, client=cloudfront_client)
    if report.held:
        raise DeployHeld(report, config.max_deletes)
    return report


class DeployHeld(DeployError):
    """Everything went up, but the deletes were more than ``max_deletes``: none was made."""

    def __init__(self, report: Report, limit: int) -> None:
        super().__init__(f"Cần xoá {len(report.held)} tệp, quá giới hạn --max-deletes={limit}: đã tải lên mọi tệp "
                         "nhưng không xoá tệp nào. Xem danh sách bằng --dry-run; nếu đúng ý, chạy lại với --confirm "
                         "(hoặc tăng --max-deletes).", EXIT_DELETES_HELD)
        self.report = report


def summary(report: Report) -> Iterable[str]:
    """What was done, in Vietnamese."""
    if report.dry_run:
        return []
    lines = [(f"Đã xuất bản lên {report.target}: tải lên {len(report.uploaded)} tệp, sửa tiêu đề {len(report.fixed)} "
             f"tệp, xoá {len(report.deleted)} tệp.")]
    if report.invalidation:
        lines.append(f"CDN: đã yêu cầu làm mới {len(report.invalidated)} đường dẫn (mã {report.invalidation}).")
    return lines
