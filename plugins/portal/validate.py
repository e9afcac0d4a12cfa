"""Cross-record rules of the content model: references, fit, collisions.

Field types are checked by the schema when a file is read; this module checks
what needs the whole site: that every slug an editor typed names a record
(with a did-you-mean when it does not), that an award fits its recipient,
that slugs do not collide. It returns problems and never raises.
"""

from __future__ import annotations

from collections import defaultdict

from .model import Record
from .problems import WARNING, Problem, did_you_mean
from .records import RecordSet
from .schema import KINDS, field_at
from .vietnamese import slugify

__all__ = ["Resolver", "check_records", "RESERVED_EXEMPLAR_SLUGS"]

# Exemplar slugs that would shadow the directory's own pages under /dien-hinh/.
RESERVED_EXEMPLAR_SLUGS = frozenset({"loai", "tinh-thanh", "trang", "bang-vang"})
_RECIPIENTS = field_at("awards.recipients")
_NONE: dict[str, Record] = {}  # looked in, never filled


class Resolver:
    """Turns slugs (or alias slugs) into records, reporting the unknown ones."""

    def __init__(self, records: RecordSet) -> None:
        self.records = records
        self.problems: list[Problem] = []
        self._aliases: dict[str, dict[str, Record]] = defaultdict(dict)
        for kind in records.by_kind:
            own = records.by_kind[kind]
            for record in own.values():
                for alias in record.alias_names:
                    alias_slug = slugify(alias)
                    if not alias_slug or alias_slug == record.slug:
                        continue
                    if alias_slug in own:
                        self._warn_alias(record, alias, f"trùng slug của bản ghi '{alias_slug}'")
                        continue
                    other = self._aliases[kind].get(alias_slug)
                    if other is not None and other is not record:
                        self._warn_alias(record, alias, f"trùng với tên khác của '{other.slug}'")
                        continue
                    self._aliases[kind][alias_slug] = record

    def _warn_alias(self, record: Record, alias: str, why: str) -> None:
        self.problems.append(Problem(
            record.path, record.lines.get("aliases"), "aliases", f"tên khác '{alias}' {why}",
            "xoá tên khác này hoặc đổi để không trùng", WARNING))

    def aliases(self, kind: str) -> dict[str, Record]:
        """Alias slug → record, for redirects from old addresses."""
        return self._aliases.get(kind, {})

    def find(self, kinds: tuple[str, ...], slug: str) -> Record | None:
        """The record of one of ``kinds`` a slug (or an alias slug) names, or None, without reporting a miss."""
        by_kind, aliases = self.records.by_kind, self._aliases
        for kind in kinds:
            record = by_kind.get(kind, _NONE).get(slug) or aliases.get(kind, _NONE).get(slug)
            if record is not None:
                return record
        return None

    def resolve(self, kinds: tuple[str, ...], slug: str, path: str, line: int | None,
                field: str) -> Record | None:
        record = self.find(kinds, slug)
        if record is not None:
            return record
        labels = " hoặc ".join(KINDS[k].label for k in kinds)
        candidates = [s for k in kinds for s in (*self.records.by_kind.get(k, {}), *self._aliases.get(k, {}))]
        hint = did_you_mean(slug, candidates)
        folder = f"content/{KINDS[kinds[0]].folder}/{slug}.md"
        self.problems.append(Problem(
            path, line, field, f"không có {labels} nào có slug '{slug}'",
            hint or f"sửa lại slug, hoặc tạo bản ghi mới {folder}"))
        return None

    def resolve_all(self, kinds: tuple[str, ...], slugs: list[str], path: str,
                    lines: dict[str, int], field: str) -> list[Record]:
        out: list[Record] = []
        single = len(kinds) == 1  # an article's own fields: find's loop, 60,000 times at 10,000 articles
        if single:
            own, aliases = self.records.by_kind.get(kinds[0], _NONE), self._aliases.get(kinds[0], _NONE)
        for i, slug in enumerate(slugs):
            record = (own.get(slug) or aliases.get(slug)) if single else self.find(kinds, slug)
            if record is None:  # reported, at its line: only a miss formats where it is (50,000 slugs at 10,000)
                where = f"{field}[{i}]"
                record = self.resolve(kinds, slug, path, lines.get(where, lines.get(field)), where)
            if record is not None and record not in out:
                out.append(record)
        return out


def check_fit(recipient: Record, award: Record, path: str, line: int | None, field: str) -> Problem | None:
    """Warn when an award cannot go to this kind of recipient (a person given a Cờ thi đua)."""
    allowed = award.data.get("recipients") or []
    kind = recipient.data["kind"]
    if not allowed or kind in allowed:
        return None
    who = ", ".join(_RECIPIENTS.label_of(a).lower() for a in allowed)
    return Problem(
        path, line, field,
        f"'{award.name}' chỉ dành cho {who}, nhưng '{recipient.name}' là {_RECIPIENTS.label_of(kind).lower()}",
        "kiểm tra lại người nhận hoặc danh hiệu (xem content/awards/" + award.slug + ".md)", WARNING)


def check_records(records: RecordSet, resolver: Resolver) -> None:
    """Resolve the references records make to each other; problems go to ``resolver``."""
    for record in records.all("campaigns"):
        if record.parent:
            resolver.resolve(("campaigns",), record.parent, record.path, record.lines.get("parent"), "parent")
    for record in records.all("awards"):
        if record.replaced_by:
            resolver.resolve(("awards",), record.replaced_by, record.path, record.lines.get("replaced_by"),
                             "replaced_by")
    for record in records.all("provinces"):
        if record.merged_into:
            resolver.resolve(("provinces",), record.merged_into, record.path, record.lines.get("merged_into"),
                             "merged_into")
    for record in records.all("clusters"):
        resolver.resolve_all(("provinces", "exemplars"), record.members or [], record.path, record.lines,
                             "members")
        for i, row in enumerate(record.leaders or []):
            for role in ("leader", "deputy"):
                if row.get(role):
                    resolver.resolve(("provinces", "exemplars"), row[role], record.path,
                                     record.lines.get(f"leaders[{i}].{role}"), f"leaders[{i}].{role}")
    exemplars = records.all("exemplars")
    for record in exemplars:
        if record.province:
            resolver.resolve(("provinces",), record.province, record.path, record.lines.get("province"),
                             "province")
        if record.slug in RESERVED_EXEMPLAR_SLUGS:
            resolver.problems.append(Problem(
                record.path, None, "slug", f"slug '{record.slug}' đã dành cho trang danh bạ điển hình",
                f"đổi tên tệp, ví dụ '{record.slug}-{record.province or 'x'}.md'"))
    _check_name_collisions(exemplars, resolver)


def _check_name_collisions(exemplars: list[Record], resolver: Resolver) -> None:
    """Warn when names fold to one slug and a slug lacks its disambiguator (Hùng/Hưng)."""
    by_fold: dict[str, list[Record]] = defaultdict(list)
    for record in exemplars:
        by_fold[slugify(record.name)].append(record)
    for folded, group in by_fold.items():
        if len(group) < 2:
            continue
        for record in group:
            if record.slug == folded:
                others = ", ".join(f"'{o.name}' ({o.path})" for o in group if o is not record)
                resolver.problems.append(Problem(
                    record.path, record.lines.get("name"), "name",
                    f"tên '{record.name}' và {others} cùng ra slug '{folded}'",
                    f"thêm phần phân biệt vào tên tệp, ví dụ '{folded}-{record.province or 'don-vi'}.md', "
                    "và khai báo slug cũ trong 'aliases' nếu đã đăng", WARNING))
