"""The decision commands: each changes only what it says, keeps the files' comments and
layout, and is refused with `path:line: problem - hint`, nothing written, when it names
something that is not there or would give the case an error of draft check."""
from __future__ import annotations

import difflib

import pytest
from conftest import BRIEF, CASE, fingerprint, run_cli

from drafting.inputs.sources import load_yaml


def _diff(old: str, new: str) -> list:
    return [ln for ln in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
            if ln[:1] in "+-" and not ln.startswith(("+++", "---"))]


def _draft(project, capsys, *args):
    return run_cli(["--root", str(project), *args], capsys)


def test_set_position_changes_one_line_and_the_reply(project, capsys):
    from conftest import docx_text

    from drafting import load_case, render_files
    old = (project / BRIEF).read_text(encoding="utf-8")
    before = docx_text(render_files(load_case(project), "reply", langs=("fr",), formats=("docx",))["reply.fr.docx"])
    code, out, err = _draft(project, capsys, "set", "position", "joint-patrols", "accept-with-conditions")
    assert code == 0, err
    new = (project / BRIEF).read_text(encoding="utf-8")
    assert _diff(old, new) == ["-  joint-patrols: decline", "+  joint-patrols: accept-with-conditions"]
    after = docx_text(render_files(load_case(project), "reply", langs=("fr",), formats=("docx",))["reply.fr.docx"])
    assert before != after
    code, out, err = _draft(project, capsys, "set", "position", "joint-patrols", "--clear")
    assert code == 0 and "joint-patrols" not in load_yaml(project / BRIEF)["positions"]


@pytest.mark.parametrize("args, says", [
    (["set", "position", "joint-patrols", "acept"], "did you mean 'accept'?"),
    (["set", "position", "sensors-radar", "accept"], "no declaration text under 'accept'"),
    (["set", "position", "joint-patrol", "accept"], "did you mean 'joint-patrols'?"),
    (["set", "register", "familar"], "did you mean 'familiar'?"),
    (["set", "audience", "externl"], "did you mean 'external'?"),
    (["set", "date", "2021-13-01"], "not a date"),
    (["set", "signatory", "nobody"], "no person 'nobody'"),
    (["set", "marking", "a\x00b"], "control character"),
    (["paragraph", "add", "--after", "calais-meting", "--fr", "Texte.", "--en", "Text."],
     "did you mean 'calais-meeting'?"),
    (["paragraph", "add", "--after", "calais-meeting", "--fr", "Texte.", "--en", ""], "both texts"),
    (["paragraph", "remove", "nothing"], "no paragraph 'nothing'"),
    (["proposal", "drop", "nothing"], "no proposal 'nothing'"),
    (["proposal", "rename", "sensors-radar", "Bad Key"], "is not a proposal key"),
    (["proposal", "rename", "sensors-radar", "joint-patrols"], "already"),
    (["clause", "new", "joint-patrols", "--positions", "accept"], "exists already"),
    (["clause", "new", "ferry-links", "--positions", "acept"], "did you mean 'accept'?"),
    (["order", "closing"], "leaves out"),
    # refused by draft check on the changed case: the signatory writes to himself
    (["set", "signatory", "johnson"], "nothing was written"),
])
def test_refused_and_nothing_written(project, capsys, args, says):
    before = fingerprint(project)
    code, out, err = _draft(project, capsys, *args)
    assert code == 2, (out, err)
    assert says in err and "Traceback" not in err
    assert " - " in err.splitlines()[0]
    assert fingerprint(project) == before


def test_a_drafter_works_without_yaml(project, capsys):
    """From the letter to a changed position, an added paragraph and a dropped proposal."""
    from conftest import docx_text

    from drafting import load_case, render_files
    from drafting.validate.check import check_case
    brief = project / BRIEF
    comments = [ln for ln in brief.read_text(encoding="utf-8").splitlines() if ln.lstrip().startswith("#")]
    steps = [["set", "position", "joint-patrols", "accept-with-conditions"],
             ["paragraph", "add", "--after", "calais-meeting", "--key", "home-secretary",
              "--fr", "Je regrette que la ministre de l’Intérieur ne puisse se joindre à nous à "
              "Calais ; une prochaine rencontre nous en donnera l’occasion.",
              "--en", "I regret that the Home Secretary cannot join us in Calais; a forthcoming "
              "meeting will give us the opportunity."],
             ["proposal", "drop", "domestic-measures"],
             ["set", "register", "familiar"], ["set", "date", "2021-12-02"]]
    for step in steps:
        code, out, err = _draft(project, capsys, *step)
        assert code == 0, (step, err)
    text = brief.read_text(encoding="utf-8")
    assert [ln for ln in text.splitlines() if ln.lstrip().startswith("#")] == comments
    data = load_yaml(brief)
    assert data["positions"]["joint-patrols"] == "accept-with-conditions"
    assert "domestic-measures" not in data["positions"]
    assert "domestic-measures" not in [p["key"] for p in load_yaml(project / CASE / "letter.yaml")["proposals"]]
    errors = [p for p in check_case(project) if p.severity == "error"]
    assert errors == []
    reply = docx_text(render_files(load_case(project), "reply", langs=("fr",), formats=("docx",))["reply.fr.docx"])
    assert "ne puisse se joindre à nous à Calais" in reply
    code, out, err = _draft(project, capsys, "paragraph", "list")
    assert "home-secretary" in out and "after calais-meeting" in out
    code, out, err = _draft(project, capsys, "paragraph", "remove", "home-secretary")
    assert code == 0 and "paragraphs" not in load_yaml(brief)


def test_rename_and_new_clause_in_an_ingested_case(project, capsys):
    code, out, err = _draft(project, capsys, "clause", "new", "ferry-links", "--positions",
                            "accept,decline", "--title-fr", "Liaisons transmanche",
                            "--title-en", "Cross-Channel ferry links")
    assert code == 0, err
    path = project / CASE / "clauses" / "ferry-links.yaml"
    data = load_yaml(path)
    assert list(data["positions"]) == ["accept", "decline"]
    assert all("[TO BE DRAFTED" in data["positions"][p][f][lang] for p in ("accept", "decline")
               for f in ("line", "reply") for lang in ("fr", "en"))
    code, out, err = _draft(project, capsys, "proposal", "add", "--case", "2021-11-25-uk-pm",
                            "--key", "ferry-links", "--paragraph", "9", "--position", "accept",
                            "--quote", "I stand ready to upgrade this meeting")
    assert code == 0, err
    from drafting.validate.check import check_case
    stubs = [p for p in check_case(project) if "ferry-links" in str(p.path)]
    assert stubs and all(p.line for p in stubs)  # draft check walks the drafter through it
    code, out, err = _draft(project, capsys, "proposal", "rename", "ferry-links", "ferries")
    assert code == 0, err
    assert not path.exists() and load_yaml(path.with_name("ferries.yaml"))["key"] == "ferries"
    brief = load_yaml(project / BRIEF)
    assert "ferries" in brief["positions"] and "ferries" in brief["order"]


@pytest.mark.parametrize("marker", ["[À RÉDIGER]", "[TO BE DRAFTED - patrols]"])
def test_a_position_still_to_draft_is_refused_with_checks_markers(project, capsys, marker):
    """set position's quick look at the position's texts knows the stub markers draft
    check knows (inputs.library.STUB), French ones included."""
    from conftest import edit
    edit(project / "clauses" / "joint-patrols.yaml",
         "      fr: Patrouilles mixtes sous commandement français, à titre expérimental.",
         f"      fr: Patrouilles mixtes {marker}")
    before = fingerprint(project)
    code, out, err = _draft(project, capsys, "set", "position", "joint-patrols", "accept")
    assert code == 2, (out, err)
    assert "accept.line.fr is still to draft" in err and "Traceback" not in err
    assert fingerprint(project) == before
