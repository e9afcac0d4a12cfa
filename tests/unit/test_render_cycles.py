"""Pages rendered by the writer leave no garbage for the cycle collector (incremental/writer.py: PageTemplate)."""

from __future__ import annotations

import gc

import pytest
from jinja2 import DictLoader, Environment

from portal.incremental.writer import PageTemplate, _render

TEMPLATES = {
    "macros.html": "{% macro card(a) %}<b>{{ a }}</b>{{ SITENAME }}{% endmacro %}"
                   "{% macro list(items) %}{% for a in items %}{{ card(a) }}{% endfor %}{% endmacro %}",
    "part.html": "<i>{{ SITENAME }}</i>",
    "page.html": '{% from "macros.html" import card, list with context %}'
                 '{% macro local(x) %}[{{ x }}]{% endmacro %}'
                 '<p>{{ list(items) }}{{ local(1) }}{% include "part.html" %}</p>',
}


def _unreachable(render) -> int:
    """Objects only the cycle collector could free, left by rendering 50 pages with ``render``."""
    gc.collect()
    gc.disable()
    try:
        for i in range(50):
            render({"SITENAME": "Cổng thi đua", "items": [i, i + 1]})
        return gc.collect()
    finally:
        gc.enable()


@pytest.mark.parametrize("autoescape", [True, False])
def test_a_page_that_imports_macros_with_its_context_leaves_no_cycles(autoescape):
    env = Environment(loader=DictLoader(TEMPLATES), autoescape=autoescape)
    env.template_class = PageTemplate
    page = env.get_template("page.html")
    expected = page.render(SITENAME="Cổng thi đua", items=[0, 1])
    assert _render(page, {"SITENAME": "Cổng thi đua", "items": [0, 1]}) == expected
    assert "<b>0</b>Cổng thi đua" in expected and "[1]" in expected and "<i>Cổng thi đua</i>" in expected
    assert _unreachable(page.render) > 50 * 10  # Jinja's own: each page's macros in cycles with their contexts
    assert _unreachable(lambda variables: _render(page, variables)) == 0


def test_a_template_error_is_jinjas_and_the_next_page_renders():
    env = Environment(loader=DictLoader({**TEMPLATES, "bad.html": "{{ items.missing.deeper }}"}))
    env.template_class = PageTemplate
    with pytest.raises(Exception) as raised:
        _render(env.get_template("bad.html"), {"items": {}})
    assert "missing" in str(raised.value)
    assert _render(env.get_template("page.html"), {"SITENAME": "x", "items": []}) == "<p>[1]<i>x</i></p>"
