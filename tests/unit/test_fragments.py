"""``fragment``: a macro's output reused within one rendering pass, never across passes."""

from __future__ import annotations

from types import SimpleNamespace

from jinja2 import Environment

from portal.incremental.writer import Fragments

TEMPLATE = """{% macro card(a, small=False) %}[{{ a.title }}{{ count(a) }}{% if small %}!{% endif %}]{% endmacro %}
{%- for a in items %}{{ fragment(card, a) }}{% endfor %}|{% for a in items %}{{ fragment(card, a, small=True) }}{% endfor %}"""


def _render(fragments: Fragments, items: list, calls: list) -> str:
    env = Environment(autoescape=True)
    env.globals.update(fragment=fragments, count=lambda a: calls.append(a.title) or "")
    return env.from_string(TEMPLATE).render(items=items)


def test_each_object_and_arguments_render_once_per_pass() -> None:
    fragments, calls = Fragments(), []
    a, b = SimpleNamespace(title="Đua"), SimpleNamespace(title="<b>")
    with fragments.one_pass():
        assert _render(fragments, [a, b, a], calls) == "[Đua][&lt;b&gt;][Đua]|[Đua!][&lt;b&gt;!][Đua!]"
    assert calls == ["Đua", "<b>", "Đua", "<b>"]  # a twice, b twice: once per set of arguments
    a.title = "Thi đua"  # the preview re-joins between passes: the next pass must not reuse the old card
    with fragments.one_pass():
        assert _render(fragments, [a], calls).startswith("[Thi đua]")


def test_past_its_budget_the_cache_keeps_nothing_more() -> None:
    fragments, calls = Fragments(budget=5), []  # room for one card: "[Đua]" is 5 characters
    a, b = SimpleNamespace(title="Đua"), SimpleNamespace(title="Thi")
    _render(fragments, [a, b, a, b], calls)
    assert calls[:3] == ["Đua", "Thi", "Thi"]  # a kept, b rendered at each use
    assert calls[3:] == ["Đua", "Thi", "Đua", "Thi"]  # the small cards come after the budget ran out
