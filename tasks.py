"""Developer and editor tasks (``invoke --list``). Run through ``make`` on a fresh machine."""

from __future__ import annotations

import sys

from invoke import task

PY = sys.executable


@task(help={"dev": "use pelicanconf.py (drafts shown, warnings allowed) instead of publishconf.py"})
def build(c, dev=False):
    """Build the portal into output/ (strict, production settings by default)."""
    settings = "pelicanconf.py" if dev else "publishconf.py"
    # A pseudo-terminal when there is a terminal, so the build can show its progress line.
    c.run(f"{PY} -m portal build --settings {settings}", pty=sys.stdout.isatty())


@task(help={"port": "port on 127.0.0.1", "dev": "build with development settings"})
def serve(c, port=8000, dev=False):
    """Build for http://127.0.0.1:PORT/ (unless PORTAL_SITE_URL names another address), then serve output/ there."""
    import os

    os.environ.setdefault("PORTAL_SITE_URL", f"http://127.0.0.1:{port}")
    build(c, dev=dev)
    print(f"Mở http://127.0.0.1:{port}/ (Ctrl+C để dừng)")
    c.run(f"{PY} -m http.server --bind 127.0.0.1 --directory output {port}", pty=False)


@task(help={"k": "only tests matching this expression", "workers": "parallel workers (pytest-xdist)"})
def test(c, k="", workers="2"):
    """Run the whole test suite."""
    select = f" -k {k!r}" if k else ""
    c.run(f"{PY} -m pytest -n {workers}{select}", pty=False)


@task
def clean(c):
    """Remove built output and the build cache (the next build is cold)."""
    c.run("rm -rf output .output.staging .output.old .output.cache")


@task(help={"articles": "number of articles", "out": "target folder (replaced)", "seed": "random seed"})
def synth(c, articles=1000, out="build/synth", seed=1):
    """Generate a synthetic content tree in the content model (for benchmarks)."""
    import shutil
    from pathlib import Path

    from portal.tools.synth import generate  # imported here: it loads Pelican, which `invoke --list` does not need

    target = Path(out)
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    stats = generate(target, int(articles), int(seed))
    print(f"Đã tạo {stats.articles} tin bài, {stats.exemplars} điển hình, {stats.honours} khen thưởng, "
          f"{stats.words} chữ, {stats.bytes / 1e6:.1f} MB trong {stats.seconds:.1f} s vào {target}")


@task(help={"seed": "random seed (0: the one the shipped files were drawn with)",
            "only": "redraw only the files whose path contains this text (repeatable)"}, iterable=["only"])
def sample_media(c, seed=0, only=None):
    """Redraw the sample portal's illustrative photos and decision PDFs into content/images and content/documents."""
    from pathlib import Path

    from portal.tools.samples import SEED, generate  # imported here, like the other tools

    report = generate(Path(__file__).resolve().parent / "content", int(seed) or SEED, tuple(only or ()))
    print(f"{len(report.files)} tệp, {report.bytes / 1e6:.2f} MB; {len(report.changed)} tệp đã thay đổi.")


@task(help={"articles": "size of the synthetic corpus (0: measure the built output/ as it is)",
            "query": "query to measure (repeatable)"}, iterable=["query"])
def search_budget(c, articles=10000, query=None):
    """Measure the search page's transfer (page load, first query) in Chromium, e.g. on 10,000 articles."""
    from pathlib import Path

    from portal.tools.search_budget import report

    queries = query or ["thi đua", "nong thon moi", "Dak Lak", "khen thưởng", "Nguyễn"]
    site = _synth_site(c, int(articles), rare=True) if int(articles) else Path("output")
    print(report(site, queries))


def _synth_site(c, articles: int, rare: bool = False):
    """Generate ``articles`` synthetic articles into build/synth (``rare``: with a rare name in the
    oldest one, see search_budget.plant_rare_word) and build them for a local server."""
    from pathlib import Path

    from portal.tools.search_budget import plant_rare_word

    synth(c, articles=articles, out="build/synth")
    if rare:
        plant_rare_word(Path("build/synth"))
    site = Path("build/synth-output")
    c.run(f"{PY} -m portal build -s publishconf.py -c build/synth -o {site}", pty=False,
          env={"PORTAL_SITE_URL": "http://127.0.0.1:8000"})  # served locally by the measurement
    return site


@task(help={"site": "a built site (default output/)", "articles": "generate and build this many articles instead"})
def search_relevance(c, site="output", articles=0):
    """Measure search relevance: names find their own page in the first three links, phrases come first."""
    from pathlib import Path

    from portal.tools.relevance import measure, name_cases, phrase_cases

    root = _synth_site(c, int(articles)) if int(articles) else Path(site)
    print(measure(root, name_cases(root) + phrase_cases(root)).table())


@task(help={"kind": "article, exemplar, campaign, cluster, award, province or page",
            "name": "the title or name, in Vietnamese"})
def new(c, kind, name):
    """Create a content file with a commented template: invoke new article "Tên bài"."""
    from pathlib import Path

    from portal.tools.authoring import new as create

    try:
        path = create(Path("content"), kind, name)
    except (ValueError, FileExistsError) as exc:
        raise SystemExit(f"Không tạo được tệp: {exc}") from exc
    print(path)


@task(help={"fix": "apply the safe fixes in place (NFC, Ð → Đ, stray whitespace)",
            "strict": "warnings count as errors"})
def check(c, fix=False, strict=False):
    """Validate all content without building; exit non-zero on errors."""
    from pathlib import Path

    from portal.tools.authoring import check as run_check
    from portal.tools.authoring import fix_file

    if fix:
        for path in sorted(Path("content").rglob("*.md")):
            for change in fix_file(path):
                print(f"{path}: đã sửa: {change}")
    result = run_check("pelicanconf.py")
    for problem in result.problems:
        print(problem)
    print(f"{len(result.errors)} lỗi, {len(result.warnings)} cảnh báo.")
    if result.errors or (strict and result.warnings):
        raise SystemExit(1)


@task(help={"port": "port on 127.0.0.1"})
def livereload(c, port=8000):
    """Preview for editors: serve on 127.0.0.1, rebuild on every change, show drafts and scheduled news."""
    from portal.tools.preview import serve as preview

    preview(port=int(port))


@task(help={"port": "port of the site (and /admin/) on 127.0.0.1", "proxy_port": "port of decap-server on 127.0.0.1"})
def admin(c, port=8000, proxy_port=8081):
    """Edit content in the browser: build, run decap-server (writes into content/) and serve /admin/ locally."""
    import os
    import subprocess
    import time
    from pathlib import Path

    root = Path(__file__).resolve().parent
    proxy_bin = root / "node_modules" / ".bin" / "decap-server"
    if not proxy_bin.exists():
        sys.exit("Chưa cài Decap CMS: chạy `npm ci` (cần Node.js 20 trở lên) rồi chạy lại `invoke admin`.")
    settings = "pelicanconf.py"
    if int(proxy_port) != 8081:  # the admin's config.yml must name the proxy's address
        settings = str(root / "build" / "admin-settings.py")
        Path(settings).parent.mkdir(exist_ok=True)
        Path(settings).write_text(
            f"from pelicanconf import *\nPATH = {str(root / 'content')!r}\nTHEME = {str(root / 'theme')!r}\n"
            f"PLUGIN_PATHS = [{str(root / 'plugins')!r}]\n"
            f"CMS_LOCAL_BACKEND_URL = 'http://127.0.0.1:{int(proxy_port)}/api/v1'\n", encoding="utf-8")
    c.run(f"{PY} -m portal build --settings {settings} --output {root / 'output'}", pty=False)
    env = {**os.environ, "PORT": str(proxy_port), "BIND_HOST": "127.0.0.1"}
    proxy = subprocess.Popen([str(proxy_bin)], cwd=root, env=env)  # cwd: it reads and writes content/ here
    site = subprocess.Popen([PY, "-m", "http.server", "--bind", "127.0.0.1", "--directory", str(root / "output"),
                             str(port)])
    print(f"Mở http://127.0.0.1:{port}/admin/ (Ctrl+C để dừng). Dựng lại trang để xem bài đã sửa: invoke build --dev")
    try:
        while proxy.poll() is None and site.poll() is None:
            time.sleep(0.5)
        print("decap-server hoặc máy chủ trang đã dừng (cổng đang bận?).", file=sys.stderr)
    except KeyboardInterrupt:
        print("Đã dừng.")
    finally:
        for process in (site, proxy):
            if process.poll() is None:
                process.terminate()
        for process in (site, proxy):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


@task(name="import", iterable=["path"],
      help={"path": "a saved HTML page or plain-text file; repeat for several (--path a.html --path b.txt)",
            "dry-run": "show the report without writing", "content": "content folder: vocabulary and drafts"})
def import_(c, path=None, dry_run=False, content="content"):
    """Import saved news pages as draft articles, with suggestions and a report.

    invoke import --path ../shared/seeds/000_86f56b290807e3b3.txt --path trang.html [--dry-run]
    Drafts go to content/articles/<year>/<slug>.md (status: draft, never overwriting a file);
    exit code 1 when any file could not be imported.
    """
    from pathlib import Path

    from portal.tools.importer import import_files

    if not path:
        raise SystemExit("Cần ít nhất một tệp: invoke import --path trang.html [--path ...] [--dry-run]")
    reports = import_files([Path(p) for p in path], Path(__file__).resolve().parent / content, dry_run=dry_run)
    for report in reports:
        print(report.format(), end="\n\n")
    failed = sum(1 for r in reports if r.error)
    print(f"{len(reports) - failed} tệp đã nhập, {failed} tệp lỗi.")
    if failed:
        raise SystemExit(1)


@task(help={"articles": "synthetic articles to build", "out": "work folder (replaced)",
            "repeat-below": "repeat runs shorter than this many seconds (median of 3)",
            "vanilla": "also build with vanilla Pelican, and Hugo where it is installed, each with Pagefind "
                       "(--no-vanilla skips them: at 100,000 articles Pelican's per-author grouping is quadratic)",
            "photos": "articles that get a lead photo (at most ARTICLES): cold encoding rate and the photo step",
            "preview-edits": "edits whose save-to-served-page time the preview is measured on (0 skips it)",
            "rounds": "measure the cold builds (all jobs, one job, Pelican + Pagefind) this many times, back to back; "
                      "ratios are the rounds' medians (a machine whose speed drifts)"})
def bench(c, articles=1000, out="build/bench", repeat_below=20.0, vanilla=True, photos=0, preview_edits=20, rounds=1):
    """Benchmark the build against vanilla Pelican (and Pelican + Pagefind) on the same synthetic articles.

    Measures cold builds at all cores and at one, rebuilds after edits (a CI cache restore too) and the
    preview's latency; writes OUT/bench.json.
    """
    from pathlib import Path

    from portal.tools.bench import HEADER, row, run, table

    def finished(figures: dict) -> None:
        print(table(figures))
        print(f"JSON: {Path(out) / 'bench.json'}")
        print("Removing the outputs the run set aside …", flush=True)

    print(HEADER, flush=True)
    run(int(articles), Path(out), float(repeat_below), vanilla, int(photos), int(preview_edits),
        report=lambda measure: print(row(measure), flush=True), rounds=int(rounds), finished=finished)


@task(help={"examples": "examples per property (the suite's short run uses 60)"})
def fuzz(c, examples=5000):
    """Long property-based run: random front matter and Markdown through the reader and validator."""
    c.run(f"{PY} -m pytest tests/fuzz -q -p no:randomly", env={"PORTAL_FUZZ_EXAMPLES": str(examples)}, pty=False)


_DEPLOY_HELP = {
    "target": "s3://bucket/prefix, rsync://host/module/path or user@host:/path (default: DEPLOY / PORTAL_DEPLOY_TARGET)",
    "dry-run": "print the plan (uploads, header fixes, deletes, redirects, bytes) and change nothing",
    "max-deletes": "hold back every delete when there are more than this (default 256); exit 3",
    "confirm": "allow more deletes than --max-deletes",
    "force": "upload every file again (S3)",
    "prefix": "S3 key prefix (replaces the target's), or a sub-folder of an rsync target",
    "workers": "parallel uploads within a group (default 8)",
    "compression": "plain (identity bytes only, default) or negotiate (also the .br/.gz copies, with Content-Encoding)",
    "settings": "Pelican settings file holding DEPLOY = {...}",
    "output": "the built folder (default: the settings' OUTPUT_PATH, output/)",
    "no-invalidate": "do not invalidate the changed paths on the CDN",
}


def _deploy_argv(target, dry_run, max_deletes, confirm, force, prefix, workers, compression, settings, output,
                 no_invalidate) -> list[str]:
    argv = ["--settings", settings]
    for flag, value in (("--target", target), ("--max-deletes", max_deletes), ("--prefix", prefix),
                        ("--workers", workers), ("--compression", compression), ("--output", output)):
        if value not in (None, ""):
            argv += [flag, str(value)]
    for flag, on in (("--dry-run", dry_run), ("--confirm", confirm), ("--force", force),
                     ("--no-invalidate", no_invalidate)):
        if on:
            argv.append(flag)
    return argv


@task(help=_DEPLOY_HELP)
def deploy(c, target=None, dry_run=False, max_deletes=None, confirm=False, force=False, prefix=None, workers=None,
           compression=None, settings="publishconf.py", output=None, no_invalidate=False):
    """Publish the built output/ to an S3-compatible bucket or, with rsync, to a server (README: Publishing)."""
    from portal.tools.deploy import main as publish  # imported here, like the other tools

    code = publish(_deploy_argv(target, dry_run, max_deletes, confirm, force, prefix, workers, compression,
                                settings, output, no_invalidate))
    if code:
        raise SystemExit(code)


@task(help={k: v for k, v in _DEPLOY_HELP.items() if k not in ("settings", "output")})
def build_deploy(c, target=None, dry_run=False, max_deletes=None, confirm=False, force=False, prefix=None,
                 workers=None, compression=None, no_invalidate=False):
    """For CI: the production build (publishconf.py, into output/), then the deploy, only if the build succeeded."""
    build(c)  # a failed build raises here: nothing is published
    deploy(c, target=target, dry_run=dry_run, max_deletes=max_deletes, confirm=confirm, force=force, prefix=prefix,
           workers=workers, compression=compression, no_invalidate=no_invalidate)
