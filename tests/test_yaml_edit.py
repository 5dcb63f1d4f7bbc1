"""store/edit.py: a value changed in a person's YAML file, everything else kept byte for
byte, and any text a person types read back equal by the project's reader."""
from __future__ import annotations

import difflib

import pytest
from conftest import BRIEF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drafting.errors import InputError
from drafting.inputs.sources import load_yaml
from drafting.store.edit import edit_file, edit_text, scalar


def _changed_lines(old: str, new: str) -> list:
    return [ln for ln in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
            if ln[:1] in "+-" and not ln.startswith(("+++", "---"))]


def test_one_value_changes_one_line_comments_kept(project):
    path = project / BRIEF
    old = path.read_text(encoding="utf-8")

    def change(data):
        data["positions"]["joint-patrols"] = scalar("accept-with-conditions")
    new = edit_file(path, change, reader=load_yaml)
    assert path.read_text(encoding="utf-8") == new
    assert _changed_lines(old, new) == ["-  joint-patrols: decline",
                                        "+  joint-patrols: accept-with-conditions"]
    assert new.count("#") == old.count("#")
    assert load_yaml(path)["positions"]["joint-patrols"] == "accept-with-conditions"


@pytest.mark.parametrize("name", ["clauses/joint-patrols.yaml", "clauses/people.yaml",
                                  "letters/2021-11-25-uk-pm/letter.yaml",
                                  "letters/2021-11-25-uk-pm/meeting.yaml"])
def test_untouched_files_come_back_byte_for_byte(workspace, name):
    text = (workspace / name).read_text(encoding="utf-8")
    assert edit_text(name, text, lambda data: None) == text


def test_a_hand_wrapped_flow_list_is_the_only_layout_not_kept(workspace):
    """A list in brackets a person broke over two lines comes back on one line: the one
    layout ruamel does not keep (the data is the same)."""
    name = "clauses/agreements/readmission.yaml"
    text = (workspace / name).read_text(encoding="utf-8")
    new = edit_text(name, text, lambda data: None)
    changed = _changed_lines(text, new)
    assert changed and all("used_by: [" in ln or ln.strip() in ("-transit-procedure]",)
                           or ln.lstrip("-").strip() == "transit-procedure]" for ln in changed)
    assert load_yaml(name, text=new) == load_yaml(name, text=text)


HOSTILE = ["no", "1.10", "null", "~", "", "a\u2028b", "x\u2029y", "p\x85q", "two\nlines",
           "  leading", "trailing ", "« guillemets » et l’apostrophe", "'single' \"double\"",
           "- dash", "key: value", "# hash", "*alias", "&anchor", "!tag", "%percent", "@at",
           "`tick", "{a}", "[b]", ">", "|", "\ufeffbom", "tab\tinside", "x" * 300,
           "mot " * 60]


@pytest.mark.parametrize("value", HOSTILE)
def test_typed_values_read_back_equal(workspace, value):
    text = (workspace / BRIEF).read_text(encoding="utf-8")

    def change(data):
        data["signatory"] = scalar(value)
    new = edit_text(BRIEF, text, change, reader=load_yaml)
    assert load_yaml(BRIEF, text=new)["signatory"] == value
    assert len(_changed_lines(text, new)) >= 2 and all(
        "signatory" in ln or not ln.startswith("-") for ln in _changed_lines(text, new))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",),
                                      blacklist_characters="\x00\x01\x02\x03\x04\x05\x06\x07\x08"
                                      "\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19"
                                      "\x1a\x1b\x1c\x1d\x1e\x1f\x7f\r\ufffe\uffff"), max_size=200))
def test_any_text_reads_back_equal(workspace, value):
    text = (workspace / BRIEF).read_text(encoding="utf-8")

    def change(data):
        data["paragraphs"] = [{"key": "typed", "fr": scalar(value or "x"), "en": scalar(value or "x")}]
    new = edit_text(BRIEF, text, change, reader=load_yaml)
    got = load_yaml(BRIEF, text=new)["paragraphs"][0]
    assert (got["fr"], got["en"]) == (value or "x", value or "x")


@pytest.mark.parametrize("value", ["a\x00b", "bell\x07", "esc\x1b[0m", "cr\rhere"])
def test_control_characters_refused(value):
    with pytest.raises(InputError, match="control character"):
        scalar(value)
