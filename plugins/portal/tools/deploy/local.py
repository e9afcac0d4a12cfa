"""The built site on this machine: is it a complete build, what files it has, their MD5s, its aliases.

Only a committed build is published. build.py writes ``.<output>.cache/state.pickle`` (the list of
the site's files) after a successful commit, and removes it before a commit starts; a build that
died half-way leaves ``.<output>.staging`` behind. Publishing such a folder could put a half site
online, so it is refused with "dựng lại trước khi xuất bản".
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from portal.files import replaced
from portal.incremental import State
from portal.serving import MAP_NAME

from .errors import EXIT_CONFIG, DeployError

__all__ = ["COMPRESSED", "MAP_NAME", "LocalFile", "check_complete", "md5_files", "redirect_pairs", "walk"]

COMPRESSED = {".gz": "gzip", ".br": "br"}  # the siblings serving.py writes, and their Content-Encoding
KEEP_HIDDEN = {".well-known"}  # the one hidden folder a site publishes (security.txt, ACME …)
_REBUILD = "dựng lại trước khi xuất bản (invoke build)"


@dataclass(frozen=True)
class LocalFile:
    """One file of the built site: its path below the root ("tin-tuc/2024/x/index.html") and size."""

    rel: str
    path: Path
    size: int
    sibling_of: str = ""  # for x.gz / x.br: the file it is a compressed copy of ("" otherwise)

    @property
    def encoding(self) -> str:
        return COMPRESSED[self.rel[-3:]] if self.sibling_of else ""


def state_path(output: Path) -> Path:
    return output.parent / f".{output.name}.cache" / "state.pickle"


def check_complete(output: Path) -> State:
    """The state of the build that wrote ``output``; a ``DeployError`` unless it is complete and committed."""
    output = Path(output)
    if not output.is_dir():
        raise DeployError(f"Không có thư mục {output}: {_REBUILD}.", EXIT_CONFIG)
    staging = output.parent / f".{output.name}.staging"
    if staging.exists():
        raise DeployError(f"Còn thư mục {staging} của một lần dựng chưa xong (hoặc đang chạy): {output} có thể chưa "
                          f"trọn vẹn; {_REBUILD}.", EXIT_CONFIG)
    state = State.load(state_path(output))
    if state is None:
        raise DeployError(f"{output} không phải một lần dựng trọn vẹn (thiếu {state_path(output)}, hoặc lần dựng "
                          f"cuối bị ngắt khi đang ghi): {_REBUILD}.", EXIT_CONFIG)
    root = str(output)
    missing = sorted(rel for rel in state.files if not os.path.isfile(os.path.join(root, rel)))
    if missing:
        shown = ", ".join(missing[:5]) + (f" và {len(missing) - 5} tệp khác" if len(missing) > 5 else "")
        raise DeployError(f"{output} thiếu {len(missing)} tệp của lần dựng cuối ({shown}): {_REBUILD}.", EXIT_CONFIG)
    return state


def _hidden(parts: Iterable[str]) -> bool:
    return any(part.startswith(".") and part not in KEEP_HIDDEN for part in parts)


def walk(output: Path, *, siblings: bool, redirect_map: bool = False) -> list[LocalFile]:
    """Every file to publish, sorted by path: hidden files and folders skipped (but ``.well-known``);
    the ``.gz``/``.br`` copies only with ``siblings``, nginx's map only with ``redirect_map``."""
    output = Path(output)
    found: dict[str, Path] = {}
    for folder, dirs, names in os.walk(output, followlinks=True):
        rel_folder = Path(folder).relative_to(output)
        dirs[:] = sorted(d for d in dirs if not _hidden([d]))
        for name in names:
            if _hidden([name]):
                continue
            path = Path(folder) / name
            if path.is_file():
                found[(rel_folder / name).as_posix()] = path
    files = []
    for rel, path in sorted(found.items()):
        if rel == MAP_NAME and not redirect_map:
            continue
        base = rel[:-3] if rel[-3:] in COMPRESSED else ""
        if base and base in found:
            if siblings:
                files.append(LocalFile(rel, path, path.stat().st_size, sibling_of=base))
            continue
        files.append(LocalFile(rel, path, path.stat().st_size))
    for f in files:
        try:
            f.rel.encode("utf-8")
        except UnicodeEncodeError:
            raise DeployError(f"Tên tệp {f.path} không phải UTF-8: không thể làm khoá hay địa chỉ; đổi tên tệp nguồn "
                              f"rồi {_REBUILD}.", EXIT_CONFIG) from None
    return files


def md5_of(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def md5_files(files: Iterable[LocalFile], workers: int = 4, cache: Path | None = None) -> dict[str, str]:
    """rel -> hex MD5 of each file (threads: hashlib releases the GIL on large blocks).

    ``cache`` keeps each file's MD5 with its size and mtime: the build leaves unchanged files alone
    (bytes and mtime), so a deploy after a small edit hashes only what the build rewrote.
    """
    files = list(files)
    known: dict[str, tuple[int, int, str]] = {}
    if cache is not None:
        try:
            with cache.open("rb") as f:
                loaded = pickle.load(f)
            known = loaded if isinstance(loaded, dict) else {}
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            known = {}
    stamps = {f.rel: (st.st_size, st.st_mtime_ns) for f in files for st in [f.path.stat()]}
    out = {f.rel: known[f.rel][2] for f in files if known.get(f.rel, (None, None))[:2] == stamps[f.rel]}
    todo = [f for f in files if f.rel not in out]
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        out.update(zip((f.rel for f in todo), pool.map(lambda f: md5_of(f.path), todo), strict=True))
    if cache is not None and (todo or len(known) != len(out)):
        cache.parent.mkdir(parents=True, exist_ok=True)
        with replaced(cache) as partial, partial.open("wb") as f:
            pickle.dump({rel: (*stamps[rel], md5) for rel, md5 in out.items()}, f, protocol=pickle.HIGHEST_PROTOCOL)
    return out


def md5_cache(output: Path) -> Path:
    """Where a deploy keeps the MD5s of ``output``'s files: beside the build's own cache."""
    return state_path(output).with_name("deploy-md5.pickle")


_PAIR = re.compile(r'^\s*"(/[^"]*)"\s+"(/[^"]*)";\s*$')


def redirect_pairs(output: Path) -> dict[str, str]:
    """Alias path -> current path, read from the nginx map the build wrote (``serving.redirect_map``)."""
    path = Path(output) / MAP_NAME
    if not path.is_file():
        return {}
    pairs = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _PAIR.match(line)
        if match:
            pairs[match.group(1)] = match.group(2)
    return pairs
