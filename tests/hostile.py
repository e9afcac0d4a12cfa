"""Hostile content files: the shapes that once made one file cost minutes or gigabytes.

Shared by the bounded-time tests (tests/unit/test_hostile_*.py) and by a
measurement run that prints time and peak memory per input and size, each in
its own process (a runaway input cannot take the others down)::

    .venv/bin/python tests/hostile.py [--sizes 10000,100000,1000000] [--timeout 30] [--only NAME,...]

``--corpus DIR`` instead reads every Markdown file under DIR as the build
does, ``--runs`` times, and prints the seconds of each run and a digest of
all the HTML: the guards must leave it unchanged and barely slower.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HEAD = '---\ntitle: "Bài thử"\ndate: 2024-01-15\n---\n'


def _fill(unit: str, size: int) -> str:
    """``unit`` repeated to about ``size`` characters."""
    return unit * max(1, size // len(unit))


def _ladder(size: int) -> str:
    """Backtick runs of growing length, none closed: each opener scans the rest for its length."""
    return "".join("`" * k + "a" for k in range(1, int((2 * size) ** 0.5)))[:size]


def _nested_lists(size: int) -> str:
    return "\n".join("    " * depth + "- a" for depth in range(int((size / 2) ** 0.5)))[:size]


def _table(size: int) -> str:
    return "| a | b |\n|---|---|\n" + _fill("| x | y |\n", size - 20)


# Markdown bodies: name -> body of about ``size`` characters.
MARKDOWN: dict[str, Callable[[int], str]] = {
    "brackets [": lambda n: _fill("[", n),
    "link openers [a](": lambda n: _fill("[a](", n),
    "image openers ![": lambda n: _fill("![", n),
    "closed text, open url [a](b": lambda n: _fill("[a](b ", n),
    "nested parens [a]((((": lambda n: "[a](" + _fill("(", n - 4),
    "references [a][b]": lambda n: _fill("[a][b] ", n),
    "unclosed ref [a][": lambda n: _fill("[a][", n),
    "closers ]": lambda n: _fill("]", n),
    "footnote openers [^": lambda n: _fill("[^", n),
    "footnote refs [^a]": lambda n: _fill("[^a] ", n),
    "emphasis *a": lambda n: _fill("*a", n),
    "strong **a": lambda n: _fill("**a ", n),
    "emphasis _a_ mix": lambda n: _fill("*_a", n),
    "star runs": lambda n: _fill("*** ", n),
    "angle <": lambda n: _fill("<", n),
    "tag openers <a": lambda n: _fill("<a ", n),
    "comments <!--": lambda n: _fill("<!--", n),
    "instructions <?": lambda n: _fill("<?", n),
    "autolinks <http://": lambda n: _fill("<http://a", n),
    "entities &amp;": lambda n: _fill("&amp; ", n),
    "escapes \\*": lambda n: _fill("\\*", n),
    "backticks `a": lambda n: _fill("`a", n),
    "backtick ladder": _ladder,
    "links [a](b)": lambda n: _fill("[a](b) ", n),
    "blockquote >>>": lambda n: _fill(">", n),
    "blockquote lines": lambda n: "\n".join(">" * i + " a" for i in range(1, int((2 * n) ** 0.5)))[:n],
    "nested lists": _nested_lists,
    "html blocks <div>": lambda n: _fill("<div>\n", n),
    "markdown in html": lambda n: _fill('<div markdown="1">\n', n),
    "abbreviations *[a]": lambda n: ("".join(f"*[a{i}]: b\n" for i in range(n // 25)) + _fill("a1 ", n // 2))[:n],
    "attribute lists {:": lambda n: _fill("a {: ", n),
    "table rows": _table,
    "definitions : a": lambda n: "a\n" + _fill(": a\n", n - 2),
    "fences ```": lambda n: _fill("```\n", n),
    "unclosed fences ```a": lambda n: _fill("```a\n", n),
    "heading attributes # a {:": lambda n: "# " + _fill("a {: b ", n - 2),
    "abbreviation openers *[a": lambda n: _fill("*[a\n", n),
    "footnote definitions [^a": lambda n: _fill("[^a\n", n),
    "reference definitions [a]:": lambda n: _fill("[a]: \n", n),
    "tag lines <a": lambda n: _fill("<a\n", n),
    "attribute values <a b=\"": lambda n: _fill('<a b="', n),
    "nested definitions": lambda n: _fill("a\n: b\n", n),
    "headings #": lambda n: _fill("#", n),
    "hard breaks": lambda n: _fill("a  \n", n),
    "plain text": lambda n: _fill("Tỉnh Đắk Lắk nhận Cờ thi đua của Chính phủ. ", n),
}


def billion_laughs(width: int = 9, depth: int = 8) -> str:
    """Lists of ``width`` references to the level below, ``depth`` levels: width**depth strings from ~300 bytes."""
    lines = ['a0: &a0 "lol"']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]" for i in range(1, depth + 1)]
    return "\n".join(lines) + "\n"


# Front matter blocks (the text between the two --- lines): name -> text of about ``size`` characters.
FRONT_MATTER: dict[str, Callable[[int], str]] = {
    "billion laughs": lambda n: billion_laughs(),
    "flow nesting [[[": lambda n: "tags: " + "[" * (n // 2) + "]" * (n // 2) + "\n",
    "block nesting": lambda n: "".join("  " * i + f"k{i}:\n" for i in range(int(n ** 0.5))) + "  " * int(n ** 0.5)
    + "x: 1\n",
    "long string": lambda n: f'summary: "{"a" * n}"\n',
    "long list": lambda n: "tags:\n" + _fill("  - a\n", n),
    "many keys": lambda n: "".join(f"k{i}: 1\n" for i in range(n // 8)),
    "huge integer": lambda n: "year: " + "9" * n + "\n",
    "python tag": lambda n: "title: !!python/object/apply:os.system ['echo x']\n",
    "merge key": lambda n: "base: &b {title: x}\npage:\n  <<: *b\n",
}


def article(front_matter: str = "", body: str = "") -> str:
    """A whole article file: the valid head's fields, ``front_matter`` added, then ``body``."""
    return HEAD.replace("---\n", "---\n" + front_matter, 1) if front_matter else HEAD + body


def _measure_one(kind: str, name: str, size: int) -> None:
    """Read one hostile article as the build does (PortalReader.parse); print seconds, MB and the problem."""
    import tempfile

    from pelican.settings import read_settings
    from portal.reader import PortalReader

    root = Path(__file__).resolve().parent.parent
    text = HEAD + MARKDOWN[name](size) if kind == "md" else "---\n" + FRONT_MATTER[name](size) + "---\nNội dung.\n"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "articles" / "2024" / "x.md"
        path.parent.mkdir(parents=True)
        path.write_text(text, encoding="utf-8")
        warm = path.with_name("warm.md")
        warm.write_text(HEAD + "*Nội dung* [x](y).\n", encoding="utf-8")
        settings = read_settings(str(root / "pelicanconf.py"), override={"PATH": tmp})
        reader = PortalReader(settings)
        reader.parse(warm)  # imports and first-use costs out of the figure
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        _, meta = reader.parse(path)
        seconds = time.perf_counter() - started
    extra = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    problems = meta["portal_problems"]
    print(f"{seconds:.3f}\t{extra:.0f}\t{problems[0].message[:70] if problems else ''}")


def _run(kind: str, name: str, size: int, timeout: float) -> tuple[str, str, str]:
    """Seconds, extra peak RSS (MB) and first problem of one input, measured in a child process."""
    root = Path(__file__).resolve().parents[1]
    cmd = [sys.executable, __file__, "--one", kind, name, str(size)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root / "plugins"), str(root)])}

    def limit() -> None:  # a runaway input stops at 4 GB instead of taking the machine
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))

    try:
        result = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout, preexec_fn=limit)
    except subprocess.TimeoutExpired:
        return f">{timeout:.0f}", "?", "(stopped)"
    if result.returncode != 0:
        why = "MemoryError (over 4 GB)" if "MemoryError" in result.stderr else result.stderr.strip()[-70:]
        return "crash", "?", why
    seconds, peak, problem = result.stdout.rstrip("\n").split("\t")
    return seconds, peak, problem


def _corpus(folder: Path, runs: int) -> None:
    import hashlib

    from pelican.settings import read_settings
    from portal.reader import PortalReader

    root = Path(__file__).resolve().parent.parent
    settings = read_settings(str(root / "pelicanconf.py"), override={"PATH": str(folder.resolve())})
    files = sorted(p.resolve() for p in folder.rglob("*.md"))
    for run in range(runs):
        reader = PortalReader(settings)
        digest = hashlib.sha256()
        started = time.perf_counter()
        for path in files:
            digest.update(reader.parse(path)[0].encode())
        print(f"run {run + 1}: {len(files)} files in {time.perf_counter() - started:.3f} s, html {digest.hexdigest()[:16]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--only", default="")
    parser.add_argument("--one", nargs=3, metavar=("KIND", "NAME", "SIZE"))
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if args.corpus:
        _corpus(args.corpus, args.runs)
        return
    if args.one:
        _measure_one(args.one[0], args.one[1], int(args.one[2]))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    only = set(filter(None, args.only.split(",")))
    print("kind\tinput\tsize\tseconds\tpeak MB\tproblem")
    for kind, cases in (("fm", FRONT_MATTER), ("md", MARKDOWN)):
        for name in cases:
            if only and name not in only:
                continue
            for size in sizes:
                seconds, peak, problem = _run(kind, name, size, args.timeout)
                print(f"{kind}\t{name}\t{size}\t{seconds}\t{peak}\t{problem}", flush=True)
                if seconds.startswith(">") or seconds == "crash":
                    break  # larger sizes only take longer


if __name__ == "__main__":
    main()
