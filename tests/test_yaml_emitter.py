"""The one YAML emitter (store/yamlfile.py) round-trips (issue 17, item 1): what it writes
reads back equal - with the project's loader, with PyYAML's pure-Python loader (which takes
U+2028, U+2029 and U+0085 for line breaks) and with ruamel.yaml - for any Unicode string
the loader accepts, as a value, a key, a paragraph of the brief's overrides or a sign-off;
NUL, control characters and surrogates are refused before anything is written. And the
attack of the issue, end to end: a reviewer's paragraph carrying U+2028 absorbed into
brief.yaml never becomes a key of its own."""
from __future__ import annotations

import io
import re
import zipfile

import pytest
import yaml
from conftest import BRIEF, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drafting.inputs.sources import load_yaml
from drafting.store import yamlfile

# What the loader refuses in a value (a control character, a surrogate, U+FFFE/U+FFFF).
REFUSED = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")
BREAKS = "\u2028\u2029\x85\n\t \ufeff\u202e\u200b:#'\"-?&*!|>%@`{}[],"

texts = st.text(alphabet=st.one_of(st.characters(blacklist_categories=("Cs",)),
                                   st.sampled_from(BREAKS)), max_size=120) \
    .filter(lambda s: not REFUSED.search(s))


def _plain(node):
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return None if node is None else str(node)


def _readers(text, expect="mapping"):
    from ruamel.yaml import YAML
    yield "load_yaml", _plain(load_yaml("t.yaml", text=text, expect=expect))
    yield "pyyaml", _plain(yaml.load(text, Loader=yaml.BaseLoader))  # pure Python, all strings
    yield "ruamel", _plain(YAML(typ="base", pure=True).load(text))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(key=texts.filter(lambda s: s.strip()), value=texts.filter(lambda s: s != ""),
       para=texts.filter(lambda s: s != ""))
def test_what_it_writes_reads_back_equal(key, value, para):
    data = {"case": "x", key: value, "overrides": {"joint-patrols": {"reply": {"fr": {"1": para}}}}}
    text = yamlfile.dump(data)
    for name, got in _readers(text):
        assert got == data, (name, text)
    for ch in "\u2028\u2029\x85":
        assert ch not in text  # escaped, never raw: no reader can break a line there


@given(value=texts.filter(lambda s: s != ""))
@settings(max_examples=100, deadline=None)
def test_sections_and_items_read_back_equal(value):
    brief = "case: x\n# a comment\nplace: Paris\n"
    text = yamlfile.replace_section(brief, "overrides", {"k": {"reply": {"fr": {"1": value}}}})
    for name, got in _readers(text):
        assert got["overrides"]["k"]["reply"]["fr"]["1"] == value, name
        assert set(got) == {"case", "place", "overrides"}, name
    text = yamlfile.append_items("", [{"role": value}])
    for name, got in _readers(text, expect="list"):
        assert got == [{"role": value}], name


@pytest.mark.parametrize("bad", ["\x00", "a\x00b", "\x07", "\x1b[31m", "\ud800", "\ufffe"])
def test_nul_and_control_characters_are_refused(bad):
    for data in ({"k": bad}, {bad + "k": "v"}, [bad]):
        with pytest.raises(ValueError, match="cannot be written"):
            yamlfile.dump(data)


def test_a_line_separator_in_a_reviewers_paragraph_stays_in_its_paragraph(project, tmp_path, capsys):
    """draft absorb of a DOCX whose paragraph carries U+2028 then 'paragraphs:' text:
    the brief gets one override holding the whole text, no new top-level key."""
    out = tmp_path / "out"
    assert run_cli(["--root", str(project), "reply", "--lang", "fr", "--format", "docx",
                    "--out", str(out)])[0] == 0
    docx = out / "reply.fr.docx"
    with zipfile.ZipFile(docx) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    xml = parts["word/document.xml"].decode("utf-8")
    old = "Vous proposez des patrouilles conjointes"
    assert old in xml
    evil = ("\u2028paragraphs:\u2028- key: injected\u2028  fr: Injecté\u2028  en: Injected\u2028"
            "Vous proposez des patrouilles conjointes")
    parts["word/document.xml"] = xml.replace(old, evil, 1).encode("utf-8")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    edited = tmp_path / "reply.fr (DAJ).docx"
    edited.write_bytes(buf.getvalue())
    brief = project / BRIEF
    before = load_yaml(brief)
    code, _out, err = run_cli(["--root", str(project), "absorb", str(edited)], capsys)
    assert code == 0, err
    after = load_yaml(brief)
    assert set(after) == set(before) | {"overrides"}, "a key was injected into the brief"
    assert [str(p.get("key")) for p in after.get("paragraphs") or []] == \
        [str(p.get("key")) for p in before.get("paragraphs") or []]
    text = brief.read_text(encoding="utf-8")
    assert "\u2028" not in text and "\\L" in text
    fr = after["overrides"]["joint-patrols"]
    got = [str(v) for pos in fr.values() for v in pos["reply"]["fr"].values()]
    assert any(g.startswith("paragraphs:\u2028- key: injected") for g in got), got
    # and the brief still builds: the override is one paragraph of the clause
    assert run_cli(["--root", str(project), "reply", "--lang", "en", "--format", "docx",
                    "--out", str(tmp_path / "again")])[0] == 0
