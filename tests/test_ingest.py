"""Ingest: reading letters (txt, docx, pdf), finding proposals, matching the library,
writing a case; bad input refused with a located InputError."""
from __future__ import annotations

import html
import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml

from drafting.errors import InputError
from drafting.ingest import TO_BE_DRAFTED, analyse, ingest, read_letter_text

LETTERS = Path(__file__).parent / "letters"
TUNED = ["trade-2022-03-14", "energy-2021-12-06", "fisheries-2021-10-19"]
MIGRATION_KEYS = {"calais-meeting", "maritime-patrols", "sensors-radar", "airborne-surveillance",
                  "intelligence-cell", "joint-patrols", "eu-returns-agreement",
                  "bilateral-readmission", "domestic-measures", "legal-routes"}

# The sentence that makes each hand-made proposal a proposal.
CORE = {
    "calais-meeting": "I stand ready to upgrade this meeting to a Leaders' Level Summit",
    "joint-patrols": "I am also now formally requesting that we make urgent progress",
    "eu-returns-agreement": "I hope such an agreement can be rapidly reached with the United Kingdom too",
    "bilateral-readmission": "I propose that we put in place a bilateral readmissions agreement",
    "domestic-measures": "I will make sure your officials are kept updated on these",
}


def squash(text: str) -> str:
    """Runs of white space as one space (apostrophes and quotes kept as the letter has them)."""
    return " ".join(str(text).split())


def load(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


# -- building the DOCX and PDF forms of a text letter -------------------------------

def blocks_of(text: str):
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = block.split("\n")
        yield lines, all(ln.startswith("- ") for ln in lines)


def make_docx(text: str, path: Path) -> Path:
    import docx

    document = docx.Document()
    for lines, is_list in blocks_of(text):
        if is_list:
            for ln in lines:
                document.add_paragraph(ln[2:], style="List Bullet")
        else:
            document.add_paragraph("\n".join(lines))
    document.save(path)
    return path


def make_pdf(text: str, path: Path) -> Path:
    import weasyprint

    parts = []
    for lines, is_list in blocks_of(text):
        if is_list:
            parts.append("<ul>" + "".join(f"<li>{html.escape(ln[2:])}</li>" for ln in lines) + "</ul>")
        else:
            parts.append("<p>" + "<br>".join(html.escape(ln) for ln in lines) + "</p>")
    page = ("<html><head><style>@page { size: A4; margin: 2.5cm } body { font-family: serif; "
            "font-size: 11pt }</style></head><body>" + "".join(parts) + "</body></html>")
    weasyprint.HTML(string=page).write_pdf(path)
    return path


# -- the 25 November letter in three forms -------------------------------------------

@pytest.fixture(scope="session")
def library(workspace):
    return workspace / "clauses"


@pytest.fixture(scope="module")
def handmade(case_folder):
    return load(case_folder / "letter.yaml")


def check_same_proposals(ingested, handmade, library):
    got = [(p.paragraph, p.bullet) for p in ingested.proposals]
    want = [(p["paragraph"], p.get("bullet")) for p in handmade["proposals"]]
    assert got == want
    for p, h in zip(ingested.proposals, handmade["proposals"]):
        if (library / f"{h['key']}.yaml").exists():
            assert p.key == h["key"] and p.match.key == h["key"], (p.key, p.match)
        else:   # a library without that clause: new, never another clause
            assert p.match.key is None
        core = squash(CORE.get(h["key"], h["quote"]))
        q, hq = squash(p.quote), squash(h["quote"])
        assert core in q or q in hq, (h["key"], p.quote)
        assert squash(p.quote) in squash(ingested.text) or p.bullet  # the letter's own words


@pytest.mark.parametrize("form", ["txt", "docx", "pdf"])
def test_25_november_letter_in_three_forms(form, tmp_path, handmade, case_folder, library):
    source = case_folder / "letter.txt"
    if form == "docx":
        source = make_docx(source.read_text(encoding="utf-8"), tmp_path / "letter.docx")
    elif form == "pdf":
        source = make_pdf(source.read_text(encoding="utf-8"), tmp_path / "letter.pdf")
    text, kind = read_letter_text(source)
    assert kind == form
    result = analyse(text, library)
    check_same_proposals(result, handmade, library)
    assert result.sender == "johnson" and result.addressee == "macron"
    assert str(result.date) == "2021-11-25" and result.place == "London"
    assert result.salutation == "Dear Emmanuel," and result.close == "With my best wishes,"
    assert result.copies == ["michel"]
    assert len(result.paragraphs) == 15


def test_txt_text_kept_verbatim(case_folder):
    text, _ = read_letter_text(case_folder / "letter.txt")
    assert text == (case_folder / "letter.txt").read_text(encoding="utf-8").strip()


def test_bom_accepted(tmp_path, case_folder):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + (case_folder / "letter.txt").read_bytes())
    text, kind = read_letter_text(path)
    assert kind == "txt" and text.startswith("10 DOWNING STREET")


# -- other letters of the genre, with proposals listed by hand ----------------------

def score(name: str, library):
    text, _ = read_letter_text(LETTERS / f"{name}.txt")
    result = analyse(text, library)
    expected = load(LETTERS / f"{name}.expected.yaml")
    hits, used = 0, set()
    for e in expected:
        for i, p in enumerate(result.proposals):
            if i not in used and p.paragraph == e["paragraph"] and p.bullet == e.get("bullet") \
                    and squash(e["contains"]).lower() in squash(p.quote).lower():
                hits += 1
                used.add(i)
                break
    recall = hits / len(expected)
    precision = len(used) / len(result.proposals) if result.proposals else 0.0
    return result, recall, precision


@pytest.mark.parametrize("name", TUNED)
def test_other_letters_recall_and_precision(name, library):
    result, recall, precision = score(name, library)
    assert (recall, precision) == (1.0, 1.0), [(p.paragraph, p.bullet, p.quote) for p in result.proposals]


@pytest.mark.parametrize("name", TUNED)
def test_other_subjects_never_match_migration_clauses(name, library):
    result, _, _ = score(name, library)
    for p in result.proposals:
        assert p.match.key not in MIGRATION_KEYS, (p.quote, p.match)
        assert p.key not in MIGRATION_KEYS


def test_subject_clash_is_refused(library):
    """A fisheries patrol proposal must not go to the migration maritime-patrols clause,
    however many words they share."""
    text = ("Dear Annick,\n\nTo protect stocks, I propose joint or reciprocal maritime patrol "
            "operations in each other's territorial waters to stop illegal fishing by trawlers "
            "without quota.\n\nYours sincerely,\n\nGeorge Eustice")
    result = analyse(text, library)
    [p] = result.proposals
    assert p.match.key is None and "subject" in p.match.reason
    assert p.match.best == "maritime-patrols"   # lexically the closest, and refused


def test_triggers_and_courtesy():
    from drafting.ingest import trigger_strength

    for s in ["I propose that our regulators meet in Lyon in January.",
              "I would be glad to host the first meeting of the steering committee in Edinburgh.",
              "We stand ready to second two experts to your cyber agency.",
              "I hope an agreement on landing obligations can be reached before Christmas.",
              "Let us ask our experts to map the supply chains for critical minerals.",
              "I am formally requesting the reopening of the consulate in Lille."]:
        assert trigger_strength(s) == 2, s
    for s in ["Please pass on my condolences to the families of the victims.",
              "I would welcome your views on these ideas.",
              "Thank you for your letter of 2 March.",
              "We agreed in Glasgow to keep each other informed.",
              "Let us continue to work closely together.",
              "I write to offer my support and solidarity."]:
        assert trigger_strength(s) == 0, s


def test_french_letter_basic(library):
    text = ("Monsieur le Premier ministre,\n\nJe tiens à vous exprimer mes condoléances.\n\n"
            "Je propose que nos ministres de l'énergie se réunissent à Bruxelles avant la fin "
            "de l'année pour arrêter un protocole d'urgence.\n\nNous pourrions envisager :\n\n"
            "- une étude conjointe d'une nouvelle interconnexion électrique ;\n"
            "- un programme commun sur les petits réacteurs modulaires.\n\n"
            "Je vous prie d'agréer, Monsieur le Premier ministre, l'expression de ma très haute "
            "considération.")
    result = analyse(text, library)
    assert result.language == "fr"
    assert [(p.paragraph, p.bullet) for p in result.proposals] == [(2, None), (3, 1), (3, 2)]
    assert result.close.startswith("Je vous prie d'agréer")


# -- writing a case -------------------------------------------------------------------

@pytest.fixture
def root(tmp_path, library, case_folder) -> Path:
    """A workspace of the library and the default case only (no templates of its own)."""
    root = tmp_path / "project"
    shutil.copytree(library, root / "clauses")
    shutil.copytree(case_folder, root / "letters" / case_folder.name)
    return root


def test_ingest_writes_the_case(root, library, case_folder):
    folder = ingest(case_folder / "letter.txt", "uk-pm-again", root)
    assert folder == root / "letters" / "uk-pm-again"
    letter, brief = load(folder / "letter.yaml"), load(folder / "brief.yaml")
    for name in ("letter.yaml", "brief.yaml"):
        tokens = yaml.scan((folder / name).read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        assert not any(isinstance(t, (yaml.AnchorToken, yaml.AliasToken)) for t in tokens)
    assert [p["key"] for p in letter["proposals"]] == [p["key"] for p in load(case_folder / "letter.yaml")["proposals"]]
    assert letter["sender"] == "johnson" and letter["addressee"] == "macron"
    assert str(letter["date"]) == "2021-11-25" and letter["copies"] == ["michel"]
    for p in letter["proposals"]:
        assert p["ingested"]["match"] == p["key"] and p["ingested"]["score"] > 0
        assert p["ingested"]["matched_words"]
    # the letter's addressee answers it himself by default
    assert brief["signatory"] == "macron" and brief["addressee"] == "johnson"
    assert "principal" not in brief and not (folder / "people.yaml").exists()
    assert brief["positions"]["eu-returns-agreement"] == "note"       # the non-committal one
    assert brief["positions"]["domestic-measures"] == "note"
    assert brief["positions"]["joint-patrols"] == "decline"           # no defer/note: the first
    assert (folder / "letter.txt").read_text().strip() == (case_folder / "letter.txt").read_text().strip()
    assert sorted(p.name for p in (root / "clauses").iterdir()) == sorted(p.name for p in library.iterdir())
    assert not list(folder.glob(".*.tmp"))
    with pytest.raises(InputError) as err:
        ingest(case_folder / "letter.txt", "uk-pm-again", root)
    assert "--case" in str(err.value) and "uk-pm-again" in str(err.value)


def test_ingest_new_proposals_get_stub_clauses(root):
    existing = root / "clauses" / "joint-patrols.yaml"
    before = existing.read_bytes()
    folder = ingest(LETTERS / "energy-2021-12-06.txt", None, root)
    assert folder.name.startswith("2021-12-06")
    letter, brief = load(folder / "letter.yaml"), load(folder / "brief.yaml")
    # people the library does not know get stub entries in the case's own people.yaml
    people = load(folder / "people.yaml")
    assert brief["addressee"] == letter["sender"] and brief["signatory"] == letter["addressee"]
    assert letter["sender"] in people and letter["addressee"] in people
    assert people[letter["sender"]]["address"]["en"].startswith("[TO BE DRAFTED: ")
    keys = [p["key"] for p in letter["proposals"]]
    assert len(keys) == len(set(keys)) == 6
    for p in letter["proposals"]:
        assert p["ingested"]["match"] == "new" and brief["positions"][p["key"]] == "defer"
        stub_path = root / "clauses" / f"{p['key']}.yaml"
        stub = load(stub_path)
        assert stub["key"] == p["key"] and stub["version"] == 1 and not stub.get("cleared")
        assert set(stub["positions"]) == {"welcome", "accept-with-conditions", "decline", "defer"}
        mark = TO_BE_DRAFTED.format(p["title"]["en"])
        for pos in stub["positions"].values():
            for field in (pos["reply"], pos["line"], pos["agenda"]["objective"], pos["agenda"]["lines"]):
                assert field == {"fr": mark, "en": mark}
        assert "*" not in re.sub(r"#.*", "", stub_path.read_text())   # no aliases
    assert existing.read_bytes() == before


def test_stub_never_overwrites_a_clause(root):
    first = ingest(LETTERS / "trade-2022-03-14.txt", "first", root)
    key = load(first / "letter.yaml")["proposals"][0]["key"]
    stub = root / "clauses" / f"{key}.yaml"
    stub.write_text(stub.read_text() + "# edited by a drafter\n")
    library_before = {p.name for p in (root / "clauses").iterdir()}
    second = ingest(LETTERS / "trade-2022-03-14.txt", "second", root)
    assert "# edited by a drafter" in stub.read_text()
    for p in load(second / "letter.yaml")["proposals"]:
        if p["ingested"]["match"] == "new":   # a new key never collides with a clause file
            assert f"{p['key']}.yaml" not in library_before
        else:                                 # the same proposal finds its stub again
            assert f"{p['key']}.yaml" in library_before


# -- bad input ------------------------------------------------------------------------

def refused(path: Path, *words):
    with pytest.raises(InputError) as err:
        read_letter_text(path)
    message = str(err.value)
    assert str(path) in message, message
    for w in words:
        assert w in message.lower(), message
    return err.value


def test_bad_inputs(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    refused(tmp_path / "empty.txt", "empty")
    (tmp_path / "blank.txt").write_text("  \n\n ")
    refused(tmp_path / "blank.txt", "empty")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 8)
    refused(tmp_path / "binary.txt", "binary")
    (tmp_path / "cp1252.txt").write_bytes("Dear Jean,\n\nLe ministre a d\u00e9j\u00e0 \u00e9crit.\n".encode("cp1252"))
    err = refused(tmp_path / "cp1252.txt", "utf-8")
    assert err.problems[0].line == 3
    refused(tmp_path / "missing.txt", "no such file")


def test_pdf_without_text_layer(tmp_path):
    import pypdf

    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "scan.pdf"
    with open(path, "wb") as fh:
        writer.write(fh)
    refused(path, "no text layer")
    (tmp_path / "fake.pdf").write_text("not a pdf at all")
    refused(tmp_path / "fake.pdf", "not a pdf")


def test_docx_not_a_zip(tmp_path):
    path = tmp_path / "letter.docx"
    path.write_text("Dear Emmanuel, this is plain text saved as .docx")
    refused(path, "not a zip")


def _docx_bytes(tmp_path) -> bytes:
    return make_docx("Dear Jean,\n\nI propose that we meet.", tmp_path / "base.docx").read_bytes()


def _rezip(data: bytes, replace: dict, extra: dict | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info)))
        for name, content in (extra or {}).items():
            dst.writestr(name, content)
    return out.getvalue()


def test_docx_zip_bomb(tmp_path):
    path = tmp_path / "bomb.docx"
    path.write_bytes(_rezip(_docx_bytes(tmp_path), {}, {"word/media/bomb.bin": b"\0" * (8 << 20)}))
    refused(path, "zip bomb")
    big = tmp_path / "huge.docx"
    with open(big, "wb") as fh:
        fh.truncate(21 * 1024 * 1024)
    refused(big, "too large")


def test_docx_entity_tricks(tmp_path):
    data = _docx_bytes(tmp_path)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    evil = xml.replace("?>", '?><!DOCTYPE w:document [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>', 1)
    path = tmp_path / "evil.docx"
    path.write_bytes(_rezip(data, {"word/document.xml": evil.encode("utf-8")}))
    refused(path, "doctype")
    utf16 = tmp_path / "evil16.docx"
    evil16 = evil.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    utf16.write_bytes(_rezip(data, {"word/document.xml": evil16}))
    refused(utf16, "doctype")


def test_cli_ingest_then_reply_skeleton(project, capsys):
    """`draft ingest` makes a case from which `draft reply` at once gives a skeleton
    with every stub visibly marked."""
    import docx
    from conftest import run_cli
    letter = Path(__file__).parent / "letters" / "fisheries-2021-10-19.txt"
    code, out, err = run_cli(["--root", str(project), "ingest", str(letter), "--case", "fish"], capsys)
    assert code == 0, err
    assert "case fish: 6 proposals" in out and "NEW" in out
    assert (project / "letters" / "fish" / "people.yaml").exists()
    code, out, err = run_cli(["--root", str(project), "reply", "--case", "fish", "--lang", "en",
                              "--format", "docx", "--out", str(project / "out")], capsys)
    assert code == 0, err
    d = docx.Document(str(project / "out" / "reply.en.docx"))
    texts = [p.text for p in d.paragraphs if p.text.strip()]
    todo = [t for t in texts if "[TO BE DRAFTED: " in t]
    assert len(todo) >= 6 + 2  # six stub proposals, the opening and the closing
    assert any(t.startswith("Please accept,") for t in texts)
    # a second ingest under the same name is refused, nothing changed
    before = (project / "letters" / "fish" / "brief.yaml").read_bytes()
    code, out, err = run_cli(["--root", str(project), "ingest", str(letter), "--case", "fish"], capsys)
    assert code == 2 and "exists already" in err
    assert (project / "letters" / "fish" / "brief.yaml").read_bytes() == before


def test_stub_person_keeps_the_courtesy_out_of_the_name():
    from drafting.ingest.analyse import _person_stub
    key, entry = _person_stub("Madame Annick Girardin", "addressee")
    assert key == "annick-girardin" and entry["name"]["fr"] == "Annick Girardin"
    assert entry["courtesy"] == {"fr": "Mme", "en": "Mrs"}
    key, entry = _person_stub("George Eustice", "sender")
    assert entry["name"]["en"] == "George Eustice" and entry["courtesy"]["en"] == ""
