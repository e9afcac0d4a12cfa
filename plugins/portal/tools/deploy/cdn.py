"""CloudFront invalidation of the paths a deploy changed, and only those.

A CDN keeps a page until its cache time runs out; invalidating what changed makes an edit visible at
once without emptying the cache of the whole site. ``x/index.html`` is also invalidated as ``/x/``
(the address readers use); a compressed sibling stands for its base. Above ``limit`` paths a single
``/*`` is cheaper and as quick (CloudFront bills per path, and a wildcard counts as one).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from .config import DeployConfig
from .errors import DeployError

__all__ = ["invalidate", "paths"]


def paths(rels: Iterable[str], limit: int = 1000) -> list[str]:
    """The CDN paths for changed site paths ("tin-tuc/x/index.html" -> "/tin-tuc/x/index.html", "/tin-tuc/x/")."""
    found: set[str] = set()
    for rel in rels:
        for suffix in (".gz", ".br"):
            rel = rel.removesuffix(suffix)
        path = "/" + quote(rel, safe="/-._~")  # CloudFront wants non-ASCII and spaces percent-encoded
        found.add(path)
        if path == "/index.html" or path.endswith("/index.html"):
            found.add(path[: -len("index.html")])
    ordered = sorted(found)
    return ["/*"] if len(ordered) > limit else ordered


def invalidate(config: DeployConfig, distribution: str, changed: list[str], client: Any = None) -> str:
    """Ask CloudFront to drop ``changed`` (paths() output); return the invalidation's id."""
    if not changed:
        return ""
    if client is None:
        import boto3

        client = boto3.Session(profile_name=config.profile or None).client("cloudfront")
    reference = f"portal-deploy-{int(time.time())}-{uuid.uuid4().hex[:8]}"
    try:
        response = client.create_invalidation(DistributionId=distribution, InvalidationBatch={
            "Paths": {"Quantity": len(changed), "Items": changed}, "CallerReference": reference})
    except Exception as exc:  # botocore's ClientError and connection errors alike
        raise DeployError(f"Đã xuất bản, nhưng CDN (CloudFront {distribution}) không nhận yêu cầu làm mới "
                          f"{len(changed)} đường dẫn: {exc}. Bạn đọc có thể thấy bản cũ tới khi bộ nhớ đệm hết hạn "
                          "(5 phút với trang HTML); muốn làm mới ngay: aws cloudfront create-invalidation "
                          f"--distribution-id {distribution} --paths '/*'.") from exc
    return str(response["Invalidation"]["Id"])
