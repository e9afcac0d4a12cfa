"""CloudFront invalidation of the changed paths, through botocore's Stubber (no CDN runs here)."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import ANY, Stubber
from portal.tools.deploy import cdn
from portal.tools.deploy.config import DeployConfig
from portal.tools.deploy.errors import DeployError

DISTRIBUTION = "E2EXAMPLE"


@pytest.fixture
def cloudfront():
    return boto3.client("cloudfront", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y")


def _response(paths: list[str]) -> dict:
    return {"Location": "https://cloudfront.amazonaws.com/", "Invalidation": {
        "Id": "I2J3K4", "Status": "InProgress", "CreateTime": "2025-01-01T00:00:00Z",
        "InvalidationBatch": {"Paths": {"Quantity": len(paths), "Items": paths}, "CallerReference": "ref"}}}


def test_changed_paths_are_sent_with_their_folder_address(cloudfront):
    changed = ["tin-tuc/2024/dak-lak/index.html", "index.html", "pagefind/pagefind-entry.json",
               "tin-tuc/2024/dak-lak/index.html.gz", "tai-lieu/Quyết định 12.pdf", "phong-trao/cu"]
    paths = cdn.paths(changed)
    assert paths == sorted(["/", "/index.html", "/pagefind/pagefind-entry.json", "/phong-trao/cu",
                            "/tai-lieu/Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh%2012.pdf", "/tin-tuc/2024/dak-lak/",
                            "/tin-tuc/2024/dak-lak/index.html"])
    with Stubber(cloudfront) as stub:
        stub.add_response("create_invalidation", _response(paths), {
            "DistributionId": DISTRIBUTION,
            "InvalidationBatch": {"Paths": {"Quantity": len(paths), "Items": paths}, "CallerReference": ANY}})
        assert cdn.invalidate(DeployConfig(), DISTRIBUTION, paths, client=cloudfront) == "I2J3K4"
        stub.assert_no_pending_responses()


def test_a_wildcard_above_the_threshold(cloudfront):
    changed = [f"tin-tuc/2024/bai-{n}/index.html" for n in range(600)]  # 1,200 paths with the folder forms
    assert len(cdn.paths(changed, limit=1200)) == 1200
    paths = cdn.paths(changed, limit=1000)
    assert paths == ["/*"]
    with Stubber(cloudfront) as stub:
        stub.add_response("create_invalidation", _response(paths), {
            "DistributionId": DISTRIBUTION,
            "InvalidationBatch": {"Paths": {"Quantity": 1, "Items": ["/*"]}, "CallerReference": ANY}})
        cdn.invalidate(DeployConfig(), DISTRIBUTION, paths, client=cloudfront)
        stub.assert_no_pending_responses()


def test_a_refused_invalidation_says_what_to_do(cloudfront):
    with Stubber(cloudfront) as stub:
        stub.add_client_error("create_invalidation", service_error_code="AccessDenied", http_status_code=403)
        with pytest.raises(DeployError) as failure:
            cdn.invalidate(DeployConfig(), DISTRIBUTION, ["/index.html"], client=cloudfront)
    assert "Đã xuất bản" in failure.value.message and "create-invalidation" in failure.value.message


def test_nothing_changed_nothing_sent(cloudfront):
    with Stubber(cloudfront) as stub:
        assert cdn.invalidate(DeployConfig(), DISTRIBUTION, [], client=cloudfront) == ""
        stub.assert_no_pending_responses()
