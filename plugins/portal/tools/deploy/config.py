"""Deploy settings, typed and with every default in one place, and the targets they name.

Set them in the Pelican settings file as ``DEPLOY = {"target": "s3://bucket/site", ...}``; CI overrides
any of them with ``PORTAL_DEPLOY_<KEY>`` environment variables (``PORTAL_DEPLOY_TARGET``,
``PORTAL_DEPLOY_ENDPOINT`` …), and the command line overrides both. An unknown key, in the dict or
as a ``PORTAL_DEPLOY_*`` variable, is an error: a typo must not silently fall back to a default.

Credentials are never a setting: boto3 finds them through its standard chain (``AWS_ACCESS_KEY_ID``
and ``AWS_SECRET_ACCESS_KEY``, a profile, an instance or CI role); rsync through ssh keys or
``RSYNC_PASSWORD``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from .errors import EXIT_CONFIG, DeployError

__all__ = ["ENV_PREFIX", "DeployConfig", "RsyncTarget", "S3Target", "parse_target"]

ENV_PREFIX = "PORTAL_DEPLOY_"
COMPRESSION_MODES = ("plain", "negotiate")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class DeployConfig:
    """What ``invoke deploy`` publishes to, and how."""

    # s3://bucket/prefix, rsync://host/module/path, user@host:/path (rsync over ssh) or a local folder.
    target: str = ""
    endpoint: str = ""  # an S3-compatible store's URL (SeaweedFS, MinIO, R2 …); "" = AWS S3
    region: str = ""  # "" = boto3's own (AWS_REGION, the profile's)
    profile: str = ""  # a named AWS profile; "" = boto3's standard credential chain
    cloudfront: str = ""  # a CloudFront distribution id: its changed paths are invalidated after a deploy
    # plain: identity bytes only (the CDN compresses); negotiate: also each .br/.gz sibling as its own object,
    # with the original Content-Type and a Content-Encoding, for an edge that picks by Accept-Encoding.
    compression: str = "plain"
    website_redirects: bool = False  # aliases as objects with WebsiteRedirectLocation (a 301 on an S3 website)
    workers: int = 8  # parallel uploads within a group
    max_deletes: int = 256  # more deletes than this are held back (and the exit is non-zero) unless confirmed
    invalidation_limit: int = 1000  # above this many changed paths, one "/*" invalidation instead
    multipart_mb: int = 64  # files from this size up are uploaded in parts (their MD5 kept in metadata)
    ssh: str = ""  # rsync over ssh: the remote shell, e.g. "ssh -p 2222"; "" = rsync's default (or RSYNC_RSH)

    @classmethod
    def load(cls, settings: Mapping[str, Any] | None, env: Mapping[str, str] | None = None,
             **overrides: Any) -> DeployConfig:
        """Defaults, then ``DEPLOY`` from the settings, then ``PORTAL_DEPLOY_*`` variables, then ``overrides``."""
        env = os.environ if env is None else env
        known = {f.name: f.type for f in fields(cls)}
        given = (settings or {}).get("DEPLOY") or {}
        if not isinstance(given, Mapping):
            raise DeployError(f"DEPLOY phải là một dict, không phải {type(given).__name__}.", EXIT_CONFIG)
        unknown = sorted(set(given) - set(known))
        if unknown:
            raise DeployError(f"DEPLOY có khoá không biết {unknown}; các khoá hợp lệ: {sorted(known)}.", EXIT_CONFIG)
        values: dict[str, Any] = {}
        for key, value in given.items():
            values[key] = _check(f"DEPLOY[{key!r}]", known[key], value)
        names = {ENV_PREFIX + key.upper(): key for key in known}
        stray = sorted(name for name in env if name.startswith(ENV_PREFIX) and name not in names)
        if stray:
            raise DeployError(f"Biến môi trường không biết {stray}; các biến hợp lệ: {sorted(names)}.", EXIT_CONFIG)
        for name, key in names.items():
            if name in env:
                values[key] = _parse(name, known[key], env[name])
        for key, value in overrides.items():
            if key not in known:
                raise TypeError(f"unknown deploy option {key!r}")
            if value is not None:
                values[key] = _check(f"--{key.replace('_', '-')}", known[key], value)
        config = cls(**values)
        config.validate()
        return config

    def validate(self) -> None:
        """Values that parse but make no sense."""
        if self.compression not in COMPRESSION_MODES:
            raise DeployError(f"compression phải là một trong {list(COMPRESSION_MODES)}, không phải "
                              f"{self.compression!r}.", EXIT_CONFIG)
        for key, low in (("workers", 1), ("max_deletes", 0), ("invalidation_limit", 1), ("multipart_mb", 5)):
            if getattr(self, key) < low:
                raise DeployError(f"{key} phải từ {low} trở lên, không phải {getattr(self, key)}.", EXIT_CONFIG)


def _check(where: str, kind: str, value: Any) -> Any:
    expected = {"bool": bool, "int": int, "str": str}[kind]
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        raise DeployError(f"{where} phải là {kind}, không phải {value!r}.", EXIT_CONFIG)
    return value


def _parse(name: str, kind: str, text: str) -> Any:
    """An environment variable's text as the setting's type."""
    text = text.strip()
    if kind == "bool":
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise DeployError(f"{name} phải là 1/0 (true/false), không phải {text!r}.", EXIT_CONFIG)
    if kind == "int":
        try:
            return int(text)
        except ValueError:
            raise DeployError(f"{name} phải là một số nguyên, không phải {text!r}.", EXIT_CONFIG) from None
    return text


@dataclass(frozen=True)
class S3Target:
    """A bucket and a key prefix ("" or ending in "/")."""

    bucket: str
    prefix: str = ""

    def __str__(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}"


@dataclass(frozen=True)
class RsyncTarget:
    """An rsync destination folder, always ending in "/" (its contents become the site's root)."""

    destination: str
    daemon: bool = False  # rsync://host/module/… or host::module/…: an rsync daemon, no ssh
    remote: bool = True  # False: a local (mounted) folder

    def __str__(self) -> str:
        return self.destination


_SSH = re.compile(r"^(?:[^@/:\s]+@)?[^@/:\s]+:(?!:)")  # [user@]host:path (one colon: over ssh)
_DAEMON = re.compile(r"^(?:[^@/:\s]+@)?[^@/:\s]+::[^/\s]+")  # [user@]host::module/path


def parse_target(text: str, prefix: str | None = None) -> S3Target | RsyncTarget:
    """The target a setting names; ``prefix`` (``--prefix``) replaces an S3 prefix or adds a sub-folder."""
    text = text.strip()
    if not text:
        raise DeployError("Chưa có đích xuất bản: đặt DEPLOY['target'] trong tệp cấu hình, biến môi trường "
                          "PORTAL_DEPLOY_TARGET (s3://bucket/thu-muc, rsync://may-chu/module/thu-muc hoặc "
                          "nguoi-dung@may-chu:/duong/dan) hoặc --target.", EXIT_CONFIG)
    sub = (prefix or "").strip("/")
    if text.startswith("s3://"):
        bucket, _, path = text[len("s3://"):].partition("/")
        if not bucket:
            raise DeployError(f"Đích {text!r} thiếu tên bucket: s3://ten-bucket/thu-muc.", EXIT_CONFIG)
        path = (sub if prefix is not None else path).strip("/")
        return S3Target(bucket, path + "/" if path else "")
    if text.startswith("rsync://"):
        if not re.match(r"^rsync://[^/\s]+/[^/\s]+", text):
            raise DeployError(f"Đích {text!r} thiếu module: rsync://may-chu/module/thu-muc.", EXIT_CONFIG)
        return RsyncTarget(_folder(text, sub), daemon=True)
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", text):
        raise DeployError(f"Không hỗ trợ đích {text!r}: chỉ s3://, rsync:// hoặc nguoi-dung@may-chu:/duong/dan.",
                          EXIT_CONFIG)
    if _DAEMON.match(text):
        return RsyncTarget(_folder(text, sub), daemon=True)
    if _SSH.match(text):
        return RsyncTarget(_folder(text, sub), daemon=False)
    if text.startswith("/"):
        return RsyncTarget(_folder(text, sub), daemon=False, remote=False)
    raise DeployError(f"Không hiểu đích xuất bản {text!r}: cần s3://bucket/thu-muc, rsync://may-chu/module/thu-muc, "
                      "nguoi-dung@may-chu:/duong/dan hoặc một thư mục tuyệt đối.", EXIT_CONFIG)


def _folder(base: str, sub: str) -> str:
    folder = base.rstrip("/") + "/"
    return folder + sub + "/" if sub else folder
