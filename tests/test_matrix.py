"""`draft matrix`: one row per proposal, landscape DOCX and PDF, CSV for a spreadsheet."""
from __future__ import annotations

import csv
import io

import pytest
from conftest import edit, norm, run_cli


@pytest.fixture(scope="module")
def case(make_case):
    return make_case()


@pytest.fixture(scope="module")
def matrix_files(case):
    from drafting import render_files
    return render_files(case, "matrix")


def test_docx_one_row_per_proposal_landscape(matrix_files, case):
    import docx
    from docx.enum.section import WD_ORIENT

    doc = docx.Document(io.BytesIO(matrix_files["matrix.en.docx"]))
    section = doc.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width > section.page_height
    table = doc.tables[0]
    assert len(table.rows) == 1 + len(case.letter.proposals) == 10
    assert [c.text for c in table.rows[0].cells] == [
        "Proposal", "Quote", "Position", "Line taken in the reply", "Agenda item",
        "Declaration", "Agreement", "Owner", "Clearance"]
    first = [c.text for c in table.rows[1].cells]
    assert first[0].startswith("Calais ministerial meeting") and "calais-meeting" in first[0]


def test_pdf_is_landscape_on_one_or_two_pages(matrix_files):
    from pypdf import PdfReader

    for lang in ("fr", "en"):
        pages = PdfReader(io.BytesIO(matrix_files[f"matrix.{lang}.pdf"])).pages
        assert 1 <= len(pages) <= 2
        box = pages[0].mediabox
        assert box.width > box.height


def test_rows_say_what_the_documents_say(case):
    from drafting.documents.matrix import matrix_rows

    rows = {r["key"]: r for r in matrix_rows(case, "en")}
    assert list(rows) == case.letter.keys
    jp = rows["joint-patrols"]
    assert jp["position"] == "refusal" and jp["position_key"] == "decline"
    assert jp["line"] == "No British forces on French soil; French forces reinforced instead."
    assert jp["agenda"] == "3. Surveillance of the coast, the sea and the air"
    assert jp["declaration"] == "-"          # a refusal is not in the joint declaration
    assert jp["owner"] == "Ministère de l'Intérieur - DGPN / DGGN"
    assert jp["clearance"] == "cleared v3 2021-11-30"
    assert jp["quote"].endswith("[...]") and len(jp["quote"]) < len(jp["quote_full"])
    # the declaration's paragraph numbers, read from its built tree
    from drafting import api
    tree = api.build(case, "declaration", "en").document
    numbered = [norm("".join(p.itertext())) for p in tree.root.iter("p")
                if p.get("data-clause") == "airborne-surveillance" and p.get("data-para") == "1"]
    assert numbered and numbered[0].startswith(rows["airborne-surveillance"]["declaration"]
                                               .replace("para. ", "") + ".")
    assert "(readmission)" in rows["bilateral-readmission"]["agreement"]


def test_french_matrix_is_french(case):
    from drafting.documents.matrix import matrix_rows

    rows = {r["key"]: r for r in matrix_rows(case, "fr")}
    assert rows["joint-patrols"]["position"] == "refus"
    assert rows["joint-patrols"]["clearance"] == "validé v3 2021-11-30"
    assert rows["maritime-patrols"]["agenda"].startswith("3. Surveillance du littoral")
    assert rows["sensors-radar"]["where"] == "§ 9, tiret 2"


def test_csv_nine_rows_with_bom(case):
    from drafting.documents.matrix import matrix_csv

    data = matrix_csv(case, "en")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Key", "Proposal"] and len(rows) == 1 + 9
    assert all(h[:1].isupper() for h in rows[0]), rows[0]  # headers in one case
    assert rows[0][5] == "Position (key)"
    assert [r[0] for r in rows[1:]] == case.letter.keys
    jp = next(r for r in rows if r[0] == "joint-patrols")
    assert jp[5] == "decline" and jp[3].startswith("I am also now formally requesting")
    assert jp[3].endswith("to scale up thereafter.")   # the CSV keeps the whole quote


def test_changed_clause_and_override(project):
    from drafting import load_case
    from drafting.documents.matrix import matrix_rows

    edit(project / "clauses" / "joint-patrols.yaml", "version: 3\nen_renders: 3\n",
         "version: 4\nen_renders: 4\n")
    case = load_case(project, overrides=["joint-patrols=accept-with-conditions"])
    row = next(r for r in matrix_rows(case, "en") if r["key"] == "joint-patrols")
    assert row["clearance"] == "changed since clearance (v4, cleared v3 2021-11-30)"
    assert row["position"] == "acceptance with conditions"
    assert row["line"] == "British liaison officers, with no operational powers."


def test_cli_writes_csv_only(project, tmp_path, capsys):
    out = tmp_path / "out"
    code, stdout, err = run_cli(["--root", str(project), "matrix", "--lang", "fr", "--format",
                                 "csv", "--out", str(out)], capsys)
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == \
        ["matrix.fr.csv"]
    rows = list(csv.reader(io.StringIO((out / "matrix.fr.csv").read_text(encoding="utf-8-sig")),
                           delimiter=";"))  # the French file: ';' for a French-locale spreadsheet
    assert len(rows) == 10 and rows[0][0] == "Clé"


def test_matrix_is_checked_like_any_kind(project):
    from drafting import api
    assert "matrix" in api.KINDS
    code, out, _ = run_cli(["matrix", "--help"])
    assert code == 0


def test_matrix_for_a_wider_audience_has_no_internal_columns(workspace, tmp_path, capsys):
    """draft matrix --audience (issue 17): Owner and Clearance are the ministry's; the
    interministerial and external matrices (CSV, DOCX, PDF) go without them."""
    import csv
    import io

    import docx
    from conftest import pdf_text, run_cli
    for audience, internal in (("internal", True), ("interministerial", False), ("external", False)):
        out = tmp_path / audience
        code, _, err = run_cli(["--root", str(workspace), "matrix", "--lang", "fr",
                                "--audience", audience, "--out", str(out)], capsys)
        assert code == 0, err
        rows = list(csv.reader(io.StringIO((out / "matrix.fr.csv").read_bytes().decode("utf-8-sig")),
                               delimiter=";"))
        table = docx.Document(str(out / "matrix.fr.docx")).tables[0]
        heads = [c.text for c in table.rows[0].cells]
        pdf = pdf_text((out / "matrix.fr.pdf").read_bytes())
        for words in (rows[0], heads):
            assert ("Service responsable" in words) == internal
            assert ("Validation" in words) == internal
        assert len(rows[0]) == (12 if internal else 10) and len(heads) == (9 if internal else 7)
        assert all(len(r.cells) == len(heads) for r in table.rows)
        assert ("validé v" in pdf) == internal  # the clearance states
