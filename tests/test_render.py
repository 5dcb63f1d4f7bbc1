"""The template sandbox: a plain dict's fields read as attributes, and nothing else
of Python is reachable through them."""
from __future__ import annotations

import pytest
from jinja2.sandbox import SecurityError

from drafting.tree.render import environment


@pytest.fixture
def render(workspace):
    """render(source, **values): a template string through the tool's sandbox."""
    def run(source, **ctx):
        return environment(workspace / "templates").from_string(source).render(**ctx)
    return run


def test_fields_of_the_data_read_as_attributes(render):
    b = {"key": "joint-patrols", "paras": ["Un.", "Deux."], "items": "the field"}
    assert render("{{ b.key }}|{{ b.paras|join('/') }}|{{ b.items }}", b=b) == \
        "joint-patrols|Un./Deux.|the field"


@pytest.mark.parametrize("source", [
    "{{ b.__class__.__mro__ }}",
    "{{ b.__init__.__globals__ }}",
    "{{ b.update({'key': 'x'}) }}",
    "{{ b.paras.append('x') }}",
])
def test_python_stays_out_of_reach(render, source):
    b = {"key": "k", "paras": []}
    with pytest.raises(SecurityError, match="is unsafe"):
        render(source, b=b)
    assert b == {"key": "k", "paras": []}


def test_a_missing_field_is_an_error(render):
    from jinja2 import UndefinedError
    with pytest.raises(UndefinedError):
        render("{{ b.nope }}", b={"key": "k"})
