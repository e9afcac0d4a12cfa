"""Deploy settings, targets, the header table and the invoke tasks: no server needed."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from deploy_servers import ROOT
from invoke import Context
from invoke.exceptions import UnexpectedExit
from invoke.runners import Result
from portal.tools.deploy import cli, headers
from portal.tools.deploy.config import DeployConfig, RsyncTarget, S3Target, parse_target
from portal.tools.deploy.errors import DeployError


def test_settings_then_environment_then_options():
    settings = {"DEPLOY": {"target": "s3://from-settings", "workers": 4, "compression": "negotiate"}}
    env = {"PORTAL_DEPLOY_TARGET": "s3://tu-ci/site", "PORTAL_DEPLOY_ENDPOINT": "http://127.0.0.1:8333",
           "PORTAL_DEPLOY_WEBSITE_REDIRECTS": "1", "PORTAL_DEPLOY_MAX_DELETES": "10", "PORTAL_DEPLOY_CLOUDFRONT": "E1"}
    config = DeployConfig.load(settings, env, workers=2)
    assert config == DeployConfig(target="s3://tu-ci/site", endpoint="http://127.0.0.1:8333", cloudfront="E1",
                                  compression="negotiate", website_redirects=True, workers=2, max_deletes=10)
    assert DeployConfig.load({}, {}) == DeployConfig()  # plain, 8 workers, 256 deletes


@pytest.mark.parametrize(("settings", "env", "fragment"), [
    ({"DEPLOY": {"bucket": "x"}}, {}, "khoá không biết ['bucket']"),
    ({"DEPLOY": {"workers": "8"}}, {}, "DEPLOY['workers'] phải là int"),
    ({"DEPLOY": {"compression": "gzip"}}, {}, "compression phải là một trong"),
    ({}, {"PORTAL_DEPLOY_TARGETT": "s3://x"}, "Biến môi trường không biết ['PORTAL_DEPLOY_TARGETT']"),
    ({}, {"PORTAL_DEPLOY_WEBSITE_REDIRECTS": "maybe"}, "PORTAL_DEPLOY_WEBSITE_REDIRECTS phải là 1/0"),
    ({}, {"PORTAL_DEPLOY_WORKERS": "0"}, "workers phải từ 1 trở lên"),
])
def test_a_wrong_setting_is_an_error(settings, env, fragment):
    with pytest.raises(DeployError) as failure:
        DeployConfig.load(settings, env)
    assert fragment in failure.value.message and failure.value.code == 2


def test_targets():
    assert parse_target("s3://thidua/cong/") == S3Target("thidua", "cong/")
    assert parse_target("s3://thidua") == S3Target("thidua", "")
    assert parse_target("s3://thidua/cong", prefix="khac") == S3Target("thidua", "khac/")
    assert parse_target("s3://thidua/cong", prefix="") == S3Target("thidua", "")
    assert parse_target("rsync://may-chu/web/thidua") == RsyncTarget("rsync://may-chu/web/thidua/", daemon=True)
    assert parse_target("may-chu::web/thidua") == RsyncTarget("may-chu::web/thidua/", daemon=True)
    assert parse_target("deploy@may-chu:/srv/thidua") == RsyncTarget("deploy@may-chu:/srv/thidua/")
    assert parse_target("/srv/thidua", prefix="moi") == RsyncTarget("/srv/thidua/moi/", remote=False)
    for wrong in ("", "ftp://x/y", "s3://", "rsync://may-chu", "thidua"):
        with pytest.raises(DeployError):
            parse_target(wrong)


def test_the_header_table_mirrors_nginx():
    cases = {
        "pagefind/fragment/vi_0a1b2c3d.pf_fragment": (headers.IMMUTABLE, headers.HASHED, "application/octet-stream"),
        "pagefind/index/vi_0a1b2c3d.pf_index": (headers.IMMUTABLE, headers.HASHED, "application/octet-stream"),
        "admin/f728dc876b39e5273411.wasm": (headers.IMMUTABLE, headers.HASHED, "application/wasm"),
        "anh/le-trao-co-800x533-1a2b3c4d.webp": (headers.IMMUTABLE, headers.HASHED, "image/webp"),
        "anh/le-trao-co.webp": (headers.REVALIDATE, headers.ASSETS, "image/webp"),  # no digest in the name
        "pagefind/wasm.unknown.pagefind": (headers.REVALIDATE, headers.ASSETS, "application/octet-stream"),
        "pagefind/pagefind.js": (headers.REVALIDATE, headers.ASSETS, "text/javascript; charset=utf-8"),
        "du-lieu/honours.csv": (headers.REVALIDATE, headers.ASSETS, "text/csv; charset=utf-8"),
        "du-lieu/honours.json": (headers.REVALIDATE, headers.ASSETS, "application/json; charset=utf-8"),
        "index.html": (headers.REVALIDATE, headers.PAGES, "text/html; charset=utf-8"),
        "tin-tuc/atom.xml": (headers.REVALIDATE, headers.PAGES, "application/atom+xml; charset=utf-8"),
        "sitemap.xml": (headers.REVALIDATE, headers.PAGES, "application/xml; charset=utf-8"),
        "tai-lieu/2024/quyet-dinh.pdf": (headers.REVALIDATE, headers.ASSETS, "application/pdf"),
    }
    for rel, (cache, group, kind) in cases.items():
        got, got_group = headers.headers_for(rel)
        assert (got.cache_control, got_group, got.content_type) == (cache, group, kind), rel
    nginx = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    for rule in headers.RULES:
        if rule.cache_control == headers.IMMUTABLE:
            assert rule.pattern.split("/")[0] + "/" in nginx
    assert f'"{headers.IMMUTABLE}"' in nginx and f'"{headers.REVALIDATE}"' in nginx


def test_publishconf_loads_with_its_deploy_example():
    settings = cli.load_settings(str(ROOT / "publishconf.py"))
    assert DeployConfig.load(settings, {}) == DeployConfig()


def _tasks():
    spec = importlib.util.spec_from_file_location("portal_tasks_under_test", ROOT / "tasks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _Context(Context):
    """Records the commands a task runs; the build fails when told to."""

    def __init__(self, build_fails: bool) -> None:
        super().__init__()
        self.build_fails = build_fails
        self.commands: list[str] = []

    def run(self, command: str, **kwargs):
        self.commands.append(command)
        if self.build_fails:
            raise UnexpectedExit(Result(command=command, exited=1))
        return Result(command=command, exited=0)


def test_build_deploy_deploys_only_a_successful_build(monkeypatch):
    tasks = _tasks()
    calls: list[list[str]] = []
    monkeypatch.setattr("portal.tools.deploy.main", lambda argv: calls.append(argv) or 0)
    failing = _Context(build_fails=True)
    with pytest.raises(UnexpectedExit):
        tasks.build_deploy(failing, target="s3://thidua")
    assert calls == [] and "publishconf.py" in failing.commands[0]

    ok = _Context(build_fails=False)
    tasks.build_deploy(ok, target="s3://thidua", max_deletes="10", dry_run=True)
    assert "-m portal build --settings publishconf.py" in ok.commands[0]
    assert calls == [["--settings", "publishconf.py", "--target", "s3://thidua", "--max-deletes", "10", "--dry-run"]]


def test_invoke_deploy_passes_a_failure_on(monkeypatch):
    tasks = _tasks()
    monkeypatch.setattr("portal.tools.deploy.main", lambda argv: 3)
    with pytest.raises(SystemExit) as exit_:
        tasks.deploy(_Context(build_fails=False))
    assert exit_.value.code == 3


def test_the_cli_reports_a_missing_target(tmp_path: Path):
    settings = tmp_path / "conf.py"
    settings.write_text("DEPLOY = {}\n", encoding="utf-8")
    errors: list[str] = []
    assert cli.run(["-s", str(settings), "-o", str(tmp_path)], env={}, warn=errors.append) == 2
    assert "Chưa có đích xuất bản" in errors[0] and "PORTAL_DEPLOY_TARGET" in errors[0]


def test_md5_cache_rehashes_only_what_changed(tmp_path: Path, monkeypatch):
    from portal.tools.deploy import local

    out = tmp_path / "output"
    out.mkdir()
    (out / "a.html").write_text("một", encoding="utf-8")
    (out / "b.css").write_text("body{}", encoding="utf-8")
    cache = tmp_path / "md5.pickle"
    files = [local.LocalFile(rel=p.name, path=p, size=p.stat().st_size) for p in sorted(out.iterdir())]
    first = local.md5_files(files, cache=cache)
    assert first["a.html"] == local.md5_of(out / "a.html")

    hashed: list[Path] = []
    real = local.md5_of
    monkeypatch.setattr(local, "md5_of", lambda p: hashed.append(p) or real(p))
    assert local.md5_files(files, cache=cache) == first
    assert hashed == []

    (out / "a.html").write_text("hai chữ", encoding="utf-8")
    second = local.md5_files(files, cache=cache)
    assert hashed == [out / "a.html"]
    assert second["a.html"] == real(out / "a.html") != first["a.html"]
    assert second["b.css"] == first["b.css"]
