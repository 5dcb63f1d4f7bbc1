"""Wrong shapes refused (issue 17, item 4): every field of letter.yaml (its proposals too),
meeting.yaml, signoffs.yaml, protocol.yaml and clauses/agreements/*.yaml is checked for its
type and shape against one schema next to its loader (sources.tree_problems), and a name or
title holding a bidi control or a zero-width character is refused.

Each hostile case breaks one field of a copy of the shipped data and runs `draft` in-process:
exit 2, a `path:line:` message at the broken line, no traceback, never exit 70, nothing
written.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from conftest import CASE, run_cli

RLO, ZWSP, BOM = "\u202e", "\u200b", "\ufeff"
LETTER, MEETING = f"{CASE}/letter.yaml", f"{CASE}/meeting.yaml"
SIGNOFFS, PROTOCOL = f"{CASE}/signoffs.yaml", "clauses/protocol.yaml"
COMMON, READMISSION = "clauses/agreements/common.yaml", "clauses/agreements/readmission.yaml"

REPLY = ("reply", "--lang", "fr", "--format", "docx")
AGENDA = ("agenda", "--lang", "fr", "--format", "docx")
AGREEMENT = ("agreement", "readmission", "--lang", "fr", "--format", "docx")
FINAL = ("reply", "--lang", "fr", "--format", "docx", "--final")
SIGNOFF = ("signoff", "reply", "--by", "desk", "--lang", "fr")

# A hand-written signoffs.yaml of the right shape, into which the cases put one wrong field.
GOOD_SIGNOFFS = ("- document: reply.fr\n  kind: reply\n  role: desk\n  name: Claire Martin\n"
                 "  content: 0000\n  version: draft 1\n  brief_version: '1'\n"
                 "  recorded: '2021-11-29T10:00:00+00:00'\n")


@dataclass
class Shape:
    name: str
    file: str        # the file broken, relative to the workspace
    old: str         # text of the shipped file ...
    new: str         # ... replaced by this; `mark` is on the line the message must name
    mark: str
    argv: tuple
    says: str        # a piece of the message


CASES = [
    # letter.yaml: the proposals, field by field
    Shape("letter proposal title.en a list", LETTER, "      en: Joint or reciprocal maritime patrols",
          "      en: [Joint or reciprocal maritime patrols]", "en: [Joint", REPLY,
          "'proposals[2].title.en' must be a single value, found a list"),
    Shape("letter proposal title a single value", LETTER,
          "    title:\n      en: Joint or reciprocal maritime patrols\n"
          "      fr: Patrouilles maritimes conjointes ou réciproques\n",
          "    title: Joint or reciprocal maritime patrols\n", "title: Joint", REPLY,
          "'proposals[2].title' must be a mapping, found a single value"),
    Shape("letter proposal title U+202E", LETTER, "      fr: Patrouilles maritimes conjointes",
          f"      fr: Patrouilles {RLO}maritimes conjointes", "fr: Patrouilles", REPLY,
          "u+202e (right-to-left override)"),
    Shape("letter proposal key a list", LETTER, "  - key: maritime-patrols",
          "  - key: [maritime-patrols]", "key: [maritime-patrols]", REPLY,
          "'proposals[2].key' must be a single value, found a list"),
    Shape("letter proposal paragraph a list", LETTER, "    paragraph: 9\n    bullet: 1",
          "    paragraph: [9]\n    bullet: 1", "paragraph: [9]", REPLY,
          "'proposals[2].paragraph' must be a single value"),
    Shape("letter proposal bullet a mapping", LETTER, "    paragraph: 9\n    bullet: 1",
          "    paragraph: 9\n    bullet: {n: 1}", "bullet: {n: 1}", REPLY,
          "'proposals[2].bullet' must be a single value, found a mapping"),
    Shape("letter proposal quote a mapping", LETTER, "    quote: >-\n      joint or reciprocal",
          "    quote:\n      text: joint or reciprocal", "quote:\n      text", REPLY,
          "'proposals[2].quote' must be a single value, found a mapping"),
    Shape("letter proposals a mapping", LETTER, "proposals:\n  - key: calais-meeting",
          "proposals: {a: 1}\nunused:\n  - key: calais-meeting", "proposals: {a: 1}", REPLY,
          "'proposals' must be a list, found a mapping"),
    Shape("letter proposal a single value", LETTER, "proposals:\n  - key: calais-meeting",
          "proposals:\n  - calais\n  - key: calais-meeting", "- calais", REPLY,
          "'proposals[1]' must be a mapping"),
    Shape("letter copies [{michel: 1}]", LETTER, "copies:\n  - michel", "copies:\n  - {michel: 1}",
          "{michel: 1}", REPLY, "'copies[1]' must be a single value, found a mapping"),
    Shape("letter sender U+200B", LETTER, "sender: johnson", f"sender: john{ZWSP}son",
          "sender:", REPLY, "u+200b (zero-width space)"),
    Shape("letter addressee a list", LETTER, "addressee: macron", "addressee: [macron]",
          "addressee:", REPLY, "'addressee' must be a single value, found a list"),
    # meeting.yaml
    Shape("meeting title [a]", MEETING, "title:\n  fr: Réunion ministérielle",
          "title: [a]\nunused:\n  fr: Réunion ministérielle", "title: [a]", AGENDA,
          "'title' must be a mapping, found a list"),
    Shape("meeting title.fr a list", MEETING, "  fr: Réunion ministérielle sur la lutte",
          "  fr: [Réunion ministérielle]\n  x: sur la lutte", "fr: [Réunion", AGENDA,
          "'title.fr' must be a single value, found a list"),
    Shape("meeting items {a: 1}", MEETING, "items:\n  - key: opening",
          "items: {a: 1}\nunused:\n  - key: opening", "items: {a: 1}", AGENDA,
          "'items' must be a list, found a mapping"),
    Shape("meeting members [{x: 1}]", MEETING, "    members: [mayer]", "    members: [{x: 1}]",
          "members: [{x: 1}]", AGENDA, "'delegations.de.members[1]' must be a single value"),
    Shape("meeting delegations a list", MEETING, "delegations:\n  fr:\n    kind: host",
          "delegations: [fr]\nunused:\n  fr:\n    kind: host", "delegations: [fr]", AGENDA,
          "'delegations' must be a mapping, found a list"),
    Shape("meeting delegation name U+202E", MEETING, "    name: {fr: Allemagne, en: Germany}",
          f"    name: {{fr: Alle{RLO}magne, en: Germany}}", "name: {fr: Alle", AGENDA,
          "'delegations.de.name.fr' holds the invisible character u+202e"),
    Shape("meeting native U+FEFF", MEETING, "    native: Nederland", f"    native: Neder{BOM}land",
          "native: Neder", AGENDA, "u+feff"),
    Shape("meeting place a list", MEETING, "place: {fr: Calais, en: Calais}", "place: [Calais]",
          "place: [Calais]", REPLY, "'place' must be a mapping, found a list"),
    Shape("meeting chair a mapping", MEETING, "chair: darmanin", "chair: {name: darmanin}",
          "chair:", AGENDA, "'chair' must be a single value, found a mapping"),
    Shape("meeting documents_date a list", MEETING, "documents_date: 2021-11-27",
          "documents_date: [2021-11-27]", "documents_date: [", AGENDA,
          "'documents_date' must be a single value, found a list"),
    Shape("meeting if_absent a mapping", MEETING, "    if_absent: calais-meeting",
          "    if_absent: {key: calais-meeting}", "if_absent:", AGENDA,
          "'delegations.uk.if_absent' must be a single value, found a mapping"),
    Shape("meeting item time a list", MEETING, '    time: "14:15"', '    time: ["14:15"]',
          'time: ["14:15"]', AGENDA, "'items[2].time' must be a single value, found a list"),
    Shape("meeting item proposals a mapping", MEETING, "    proposals: [intelligence-cell]",
          "    proposals: {intelligence-cell: 1}", "proposals: {intelligence-cell", AGENDA,
          "'items[4].proposals' must be a list, found a mapping"),
    Shape("meeting sign a single value", MEETING, "sign: [host, member, third]",
          "sign: [host, [member], third]", "sign: [host, [", AGENDA, "'sign[2]' must be a single value"),
    Shape("meeting item title without its French", MEETING,
          "    title: {fr: Questions diverses, en: Any other business}",
          "    title: {en: Any other business}", "title: {en: Any other", AGENDA,
          "'items[6].title' has no fr text"),
    Shape("meeting place without its French", MEETING, "place: {fr: Calais, en: Calais}",
          "place: {en: Calais}", "place: {en", REPLY, "'place' has no fr text"),
    Shape("meeting delegation without a name", MEETING,
          "  de:\n    kind: member\n    name: {fr: Allemagne, en: Germany}\n",
          "  de:\n    kind: member\n", "  de:", AGENDA, "delegation 'de' has no name"),
    # signoffs.yaml (a hand-edited one)
    Shape("signoffs role [a] (--final)", SIGNOFFS, "  role: desk", "  role: [a]", "role: [a]",
          FINAL, "'signoffs[1].role' must be a single value, found a list"),
    Shape("signoffs role [a] (signoff)", SIGNOFFS, "  role: desk", "  role: [a]", "role: [a]",
          SIGNOFF, "'signoffs[1].role' must be a single value, found a list"),
    Shape("signoffs content a mapping", SIGNOFFS, "  content: 0000", "  content: {sha: 0}",
          "content:", FINAL, "'signoffs[1].content' must be a single value, found a mapping"),
    Shape("signoffs name U+202E", SIGNOFFS, "  name: Claire Martin", f"  name: Claire {RLO}Martin",
          "name: Claire", FINAL, "u+202e"),
    Shape("signoffs entry a single value", SIGNOFFS, "- document: reply.fr",
          "- desk cleared it\n- document: reply.fr", "- desk cleared", FINAL,
          "'signoffs[1]' must be a mapping, found a single value"),
    # protocol.yaml
    Shape("protocol label a list", PROTOCOL, "    draft: PROJET", "    draft: [PROJET]",
          "draft: [PROJET]", REPLY, "'labels.fr.draft' must be a single value, found a list"),
    Shape("protocol ranks a mapping", PROTOCOL, "ranks: [head-of-state,", "ranks: {a: 1}\nx: [head-of-state,",
          "ranks: {a: 1}", REPLY, "'ranks' must be a list, found a mapping"),
    Shape("protocol form of address a list", PROTOCOL,
          "    m: {fr: Monsieur le Premier ministre, en: Prime Minister}",
          "    m: [Monsieur le Premier ministre, Prime Minister]", "m: [Monsieur le Premier", REPLY,
          "'address.head-of-government.m' must be a mapping, found a list"),
    Shape("protocol close a mapping", PROTOCOL,
          "      en: Please accept, {address}, the assurance of my high consideration.",
          "      en: {text: x}", "en: {text: x}", REPLY,
          "'closes.formal.assurance-high.en' must be a single value, found a mapping"),
    Shape("protocol signature line a list", PROTOCOL, '  minister: ["{name}"]',
          '  minister: [["{name}"]]', 'minister: [["{name}"]]', REPLY,
          "'signature.minister[1]' must be a single value, found a list"),
    Shape("protocol label missing", PROTOCOL, "    draft: PROJET\n", "", "  fr:\n    date_line", REPLY,
          "protocol.yaml has no label 'draft' for fr"),
    Shape("protocol salutation without its French", PROTOCOL,
          '  formal: {fr: "{address},", en: "Dear {address},"}', '  formal: {en: "Dear {address},"}',
          '  formal: {en: "Dear', REPLY, "'salutation.formal' has no fr text"),
    # clauses/agreements/*.yaml
    Shape("agreement articles {a: 1}", READMISSION, "\narticles:\n",
          "\narticles: {a: 1}\nunused:\n", "articles: {a: 1}", AGREEMENT,
          "'articles' must be a list, found a mapping"),
    Shape("agreement kind a list", READMISSION, "kind: readmission", "kind: [readmission]",
          "kind: [readmission]", AGREEMENT, "'kind' must be a single value, found a list"),
    Shape("agreement term condition a list", READMISSION, "            - without: transit-principles",
          "            - without: [transit-principles]", "without: [transit", AGREEMENT,
          ".without' must be a single value, found a list"),
    Shape("agreement final heading a list", COMMON, "      en: Settlement of disputes",
          "      en: [Settlement of disputes]", "en: [Settlement", AGREEMENT,
          "'final[1].heading.en' must be a single value, found a list"),
    Shape("agreement party name U+202E", COMMON,
          "      fr: le Gouvernement de la République française",
          f"      fr: le Gouvernement de la République {RLO}française", "République", AGREEMENT,
          "'parties.fr.treaty.fr' holds the invisible character u+202e"),
    Shape("agreement preamble recitals a mapping", READMISSION, "  recitals:\n    - treaty:",
          "  recitals: {a: 1}\n  unused:\n    - treaty:", "recitals: {a: 1}", AGREEMENT,
          "'preamble.recitals' must be a list, found a mapping"),
]


def _break(root, case: Shape) -> int:
    """Apply the case to the workspace at `root`; the line the message must name."""
    path = root / case.file
    if case.file == SIGNOFFS:
        path.write_text(GOOD_SIGNOFFS, encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    assert text.count(case.old) >= 1, f"{case.name}: the shipped {case.file} changed"
    text = text.replace(case.old, case.new, 1)
    path.write_text(text, encoding="utf-8")
    return text[: text.index(case.mark)].count("\n") + 1 + case.mark.count("\n")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_wrong_shape_refused(case, project, tmp_path, capsys):
    line = _break(project, case)
    out = tmp_path / "out"
    capsys.readouterr()
    code, stdout, err = run_cli(["--root", str(project), *case.argv, "--out", str(out)]
                                if case.argv[0] != "signoff" else
                                ["--root", str(project), *case.argv], capsys)
    said = stdout + err
    assert code != 70 and "Traceback" not in said and "internal error" not in said, said
    assert code == 2, (code, said)
    name = re.escape(case.file.rsplit("/", 1)[-1])
    assert re.search(rf"{name}:{line}: ", said), f"expected {case.file}:{line}: in\n{said}"
    assert case.says.lower() in said.lower(), said
    assert not out.exists() or not any(out.iterdir()), "a document was written from a bad file"


def test_every_problem_of_a_file_at_once(project, tmp_path, capsys):
    """Three wrong fields of letter.yaml: the three lines, in one run."""
    path = project / LETTER
    text = path.read_text(encoding="utf-8")
    for old, new in (("addressee: macron", "addressee: [macron]"),
                     ("      en: Joint or reciprocal maritime patrols", "      en: [patrols]"),
                     ("    paragraph: 9\n    bullet: 2", "    paragraph: 9\n    bullet: [2]")):
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    lines = [i for i, t in enumerate(text.splitlines(), 1)
             if t.endswith(("[macron]", "[patrols]", "[2]"))]
    assert len(lines) == 3
    code, out, err = run_cli(["--root", str(project), *REPLY, "--out", str(tmp_path / "o")], capsys)
    assert code == 2 and "Traceback" not in err
    for n in lines:
        assert f"letter.yaml:{n}: " in err, err


@pytest.mark.parametrize("file, old, new, says", [
    (MEETING, "    members: [mayer]", "    members: [{x: 1}]", "members[1]"),
    (SIGNOFFS, "  role: desk", "  role: [a]", "signoffs[1].role"),
    (PROTOCOL, "    draft: PROJET", "    draft: [PROJET]", "labels.fr.draft"),
    (LETTER, "      fr: Patrouilles maritimes", f"      fr: {RLO}Patrouilles maritimes", "u+202e"),
], ids=["meeting", "signoffs", "protocol", "letter-bidi"])
def test_check_reports_wrong_shapes(file, old, new, says, project, capsys):
    """`draft check` names the same problems (a failed check, exit 1), never a traceback."""
    _break(project, Shape("check", file, old, new, new.strip(), (), says))
    code, out, err = run_cli(["--root", str(project), "check"], capsys)
    said = out + err
    assert code == 1 and "Traceback" not in said, said
    assert says.lower() in said.lower(), said


def test_shipped_files_fit_their_schemas(workspace):
    """The schemas describe the shipped data: no field of it is refused."""
    from drafting.documents.agreement import SHAPES as AGREEMENT_SHAPES
    from drafting.inputs.letter import SHAPES as LETTER_SHAPES
    from drafting.inputs.meeting import SHAPES as MEETING_SHAPES
    from drafting.inputs.people import PROTOCOL as PROTOCOL_SHAPES
    from drafting.inputs.sources import load_yaml, tree_problems
    for file, schema in ((LETTER, LETTER_SHAPES), (MEETING, MEETING_SHAPES),
                         (PROTOCOL, PROTOCOL_SHAPES)):
        assert tree_problems(load_yaml(workspace / file), schema) == [], file
    for path in sorted((workspace / "clauses" / "agreements").glob("*.yaml")):
        assert tree_problems(load_yaml(path), AGREEMENT_SHAPES) == [], path
    for path in sorted((workspace / "letters").glob("*/meeting.yaml")):
        assert tree_problems(load_yaml(path), MEETING_SHAPES) == [], path
    for path in sorted((workspace / "letters").glob("*/letter.yaml")):
        assert tree_problems(load_yaml(path), LETTER_SHAPES) == [], path


def test_the_number_of_shape_cases():
    assert len(CASES) >= 40
