"""invoke deploy with rsync, against a real rsync daemon (Debian's rsync) on 127.0.0.1."""

from __future__ import annotations

import shutil
import threading

import pytest
from deploy_servers import RSYNC, free_ports, require, rsync_daemon
from portal.lock import BuildLock
from portal.tools.deploy import cli, rsync
from portal.tools.deploy.config import DeployConfig, parse_target
from portal.tools.deploy.errors import DeployError
from support import ROOT, edit, run_build, snapshot

require(RSYNC, "rsync", "apt-get install -y rsync")

REMOVED = "articles/2023/kon-tum-khen-thuong-giao-vien.md"
ARTICLE = "articles/2024/dak-lak-nhan-co-thi-dua.md"
REMOVED_PAGE = "tin-tuc/2023/kon-tum-khen-thuong-giao-vien/index.html"


@pytest.fixture(scope="module")
def daemon(tmp_path_factory: pytest.TempPathFactory):
    with rsync_daemon(tmp_path_factory.mktemp("rsyncd")) as running:
        yield running


_folders = iter(range(10**6))


@pytest.fixture
def target(daemon) -> tuple[str, object]:
    """A fresh folder in the writable module: (rsync URL, its path on the server)."""
    name = f"www{next(_folders)}"
    return daemon.url("site", name), daemon.modules["site"] / name


def publish(output, url: str, **kw) -> rsync.RsyncReport:
    options = {k: kw.pop(k) for k in ("dry_run", "confirm") if k in kw}
    config = DeployConfig(target=url, **kw)
    return rsync.deploy(output, config, parse_target(config.target), say=lambda line: None, **options)


def test_first_sync_then_a_sync_that_moves_nothing(site, target):
    url, folder = target
    first = publish(site, url)
    assert snapshot(folder) == snapshot(site)  # every file, the .gz/.br copies and nginx's map included
    assert (folder / "nginx-redirects.map").is_file()
    css = next((site / "theme").rglob("*.css")).relative_to(site).as_posix()
    assert all((folder / name).is_file() for name in ("index.html.gz", f"{css}.gz", f"{css}.br"))
    assert sorted(first.sent) == sorted(snapshot(site))
    second = publish(site, url)
    assert second.sent == [] and second.deleted == []


def test_pages_after_assets_and_deletes_last(daemon, rebuildable, target):
    content, output = rebuildable
    url, folder = target
    publish(output, url)
    before = set(snapshot(output))
    (content / REMOVED).unlink()
    assert run_build(content, output, strict=True).returncode == 0
    gone = before - set(snapshot(output))
    assert REMOVED_PAGE in gone and REMOVED_PAGE + ".gz" in gone

    start = len(daemon.log.read_text(encoding="utf-8", errors="replace").splitlines())
    with pytest.raises(DeployError) as held:
        publish(output, url, max_deletes=len(gone) - 1)
    assert held.value.code == 3 and "--max-deletes" in held.value.message
    assert (folder / REMOVED_PAGE).is_file()  # held back

    report = publish(output, url, max_deletes=len(gone) - 1, confirm=True)
    assert set(report.deleted) == gone and report.sent == []
    assert snapshot(folder) == snapshot(output)
    # The daemon's log of both runs, in order: assets received, then pages, then (confirmed) the deletes.
    log = daemon.log.read_text(encoding="utf-8", errors="replace").splitlines()[start:]
    ops = [line.split("] ", 1)[1].split(" ", 1) for line in log if "] recv " in line or "] del. " in line]
    pages = (".html", ".xml", "robots.txt", "nginx-redirects.map")
    kinds = ["delete" if op == "del." else "page" if name.strip().removesuffix(".gz").removesuffix(".br").endswith(pages)
             else "asset" for op, name in ops]
    assert {"asset", "page", "delete"} <= set(kinds)
    assert kinds == sorted(kinds, key=["asset", "page", "delete"].index), ops


def test_dry_run_changes_nothing(site, target):
    url, folder = target
    publish(site, url)
    (site / "index.html").write_bytes((site / "index.html").read_bytes() + b"<!-- edited -->\n")
    stray = folder / "trang-cu.html"
    stray.write_text("old", encoding="utf-8")
    before = snapshot(folder)
    lines: list[str] = []
    report = rsync.deploy(site, DeployConfig(target=url), parse_target(url), dry_run=True, say=lines.append)
    assert report.sent == ["index.html"] and report.deleted == ["trang-cu.html"]
    assert any("gửi 1 tệp" in line for line in lines) and "  xoá  trang-cu.html" in lines
    assert snapshot(folder) == before


def test_a_read_only_or_unreachable_server_gives_the_message(daemon, site):
    before = snapshot(daemon.modules["ro"])
    with pytest.raises(DeployError) as failure:
        publish(site, daemon.url("ro", "www"))
    assert failure.value.code == 1
    assert "chỉ cho đọc" in failure.value.message and "Chưa xoá tệp nào" in failure.value.message
    assert snapshot(daemon.modules["ro"]) == before

    (port,) = free_ports(1)
    with pytest.raises(DeployError) as failure:
        publish(site, f"rsync://127.0.0.1:{port}/site/www")
    assert "không kết nối được tới máy chủ rsync" in failure.value.message

    with pytest.raises(DeployError) as failure:
        publish(site, daemon.url("khong-co-module", "www"))
    assert "(mã 5)" in failure.value.message


def test_a_file_the_server_cannot_write_stops_before_the_deletes(site, target):
    url, folder = target
    (folder / "index.html").mkdir(parents=True)  # a folder where the home page must go: rsync cannot replace it
    (folder / "index.html" / "giu.txt").write_text("x", encoding="utf-8")
    (folder / "trang-cu.html").write_text("old", encoding="utf-8")
    with pytest.raises(DeployError) as failure:
        publish(site, url)
    assert failure.value.code == 1 and "(mã 23)" in failure.value.message
    assert "bước 2 (trang HTML)" in failure.value.message and "Chưa xoá tệp nào" in failure.value.message
    assert (folder / "trang-cu.html").is_file()  # no delete ran
    assert (folder / "theme").is_dir() and (folder / "pagefind" / "pagefind.js").is_file()  # step 1 went through


def test_an_incomplete_build_is_not_synced(site, target):
    url, folder = target
    (site.parent / ".output.cache" / "state.pickle").unlink()
    with pytest.raises(DeployError) as failure:
        publish(site, url)
    assert failure.value.code == 2 and "dựng lại trước khi xuất bản" in failure.value.message
    assert not folder.exists()


def test_command_lines_for_ssh_and_daemon_targets(site):
    ssh = rsync.commands(site, DeployConfig(ssh="ssh -p 2222"), parse_target("deploy@may-chu.vn:/srv/thidua"), False)
    assert ssh["assets"][-1] == "deploy@may-chu.vn:/srv/thidua/"
    assert ssh["assets"][-2] == str(site) + "/"
    for step in ("assets", "pages"):
        assert "--checksum" in ssh[step] and ssh[step][ssh[step].index("--rsh") + 1] == "ssh -p 2222"
    assert "--exclude=*.html" in ssh["assets"] and "--include=*.html" in ssh["pages"]
    assert "--delete" in ssh["deletes"] and "--delete" not in ssh["assets"] + ssh["pages"]
    daemon = rsync.commands(site, DeployConfig(ssh="ssh -p 2222"), parse_target("rsync://may-chu.vn/web/thidua"),
                            True)
    assert "--rsh" not in daemon["assets"] and "--dry-run" in daemon["pages"]
    assert daemon["assets"][-1] == "rsync://may-chu.vn/web/thidua/"


def test_a_deploy_waits_until_the_build_of_its_output_is_done(rebuildable, target, tmp_path):
    """A build holds the output (half of its new site written): the deploy waits, then sends the finished site."""
    content, output = rebuildable
    url, folder = target
    edit(content / ARTICLE, "\ntitle: ", "\ntitle: Bản dựng mới – ")
    finished = tmp_path / "new" / "output"  # the site the build will have written when it is done
    assert run_build(content, finished, strict=True).returncode == 0
    new = snapshot(finished)
    said: list[str] = []
    with BuildLock(output):  # the build: it replaces the site file by file
        shutil.rmtree(output)
        names = sorted(new)
        for rel in names[: len(names) // 2]:
            (output / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(finished / rel, output / rel)
        deploy = threading.Thread(target=cli.run, kwargs={"argv": [
            "-s", str(ROOT / "publishconf.py"), "-o", str(output), "--target", url], "env": {}, "say": said.append})
        deploy.start()
        deploy.join(1.5)
        assert deploy.is_alive(), said  # still waiting for the lock
        assert not folder.exists() or not any(folder.iterdir()), "nothing of a half-written site was sent"
        assert any("Đang chờ" in line for line in said), said
        for built, live in ((finished, output), (finished.parent / ".output.cache", output.parent / ".output.cache")):
            shutil.rmtree(live)
            shutil.copytree(built, live)  # done: the whole site and its state
    deploy.join(60)
    assert not deploy.is_alive()
    assert snapshot(folder) == new
