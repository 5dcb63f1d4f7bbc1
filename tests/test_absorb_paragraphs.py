"""Absorbing what a Word user does to whole paragraphs (issue 15, item 3): a paragraph
typed after a library paragraph (Enter at its end) is that paragraph's text; a tracked
new paragraph is a tracked change like any other; the tool's own text removed is
reported and the file stays protected; a paragraph the draft now prints as two (a split
absorbed) is edited where it lives in the brief, and absorbing a file twice changes
nothing."""
from __future__ import annotations

import re
import shutil

from conftest import docx_text, norm, run_cli
from test_absorb_any import _absorb, _brief, _linked_paragraph, _reply, _rezip

INS = 'w:id="9100" w:author="DAJ" w:date="2021-11-29T10:00:00Z"'


def _new_paragraph(text, nth=0, tracked=False):
    """Enter at the end of the nth linked paragraph, then `text`: a paragraph of its own,
    outside the bookmark (as Word makes it), with the same paragraph properties."""
    def change(xml):
        _name, s, e = _linked_paragraph(xml, nth)
        ppr = re.search(r"<w:pPr>.*?</w:pPr>", xml[s:e], re.S)
        props = ppr.group(0) if ppr else ""
        run = f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'
        if tracked:
            mark = f"<w:rPr><w:ins {INS}/></w:rPr>"
            props = (props.replace("</w:pPr>", mark + "</w:pPr>") if props
                     else f"<w:pPr>{mark}</w:pPr>")
            run = f'<w:ins {INS.replace("9100", "9101")}>{run}</w:ins>'
        return xml[:e] + f"<w:p>{props}{run}</w:p>" + xml[e:]
    return change


def _drop_last_paragraph(xml):
    """The last paragraph of the body removed (the reply's copies line)."""
    paras = list(re.finditer(r"<w:p[ >].*?</w:p>", xml, re.S))
    last = paras[-1]
    return xml[:last.start()] + xml[last.end():]


def _paragraphs(path):
    return [norm(p) for p in docx_text(path.read_bytes()).split("\n") if p.strip()]


def test_a_paragraph_typed_after_a_library_paragraph_is_absorbed(project, tmp_path, capsys):
    out = tmp_path / "out"
    assert _reply(project, out, capsys=capsys)[0] == 0
    reviewed = _rezip(out / "reply.fr.docx", tmp_path / "Réponse - DAJ.docx",
                      _new_paragraph("Un paragraphe nouveau de la DAJ."))
    code, stdout, err = _absorb(project, reviewed, capsys=capsys)
    assert code == 0 and "absorbed reply.fr:" in stdout and "not applied" not in err, err
    assert "Un paragraphe nouveau de la DAJ." in _brief(project)
    assert _reply(project, tmp_path / "next", capsys=capsys)[0] == 0
    paras = _paragraphs(tmp_path / "next" / "reply.fr.docx")
    assert paras.count("Un paragraphe nouveau de la DAJ.") == 1  # a paragraph of its own
    # the same file again: the draft prints that text as two paragraphs now, no change
    code, stdout, err = _absorb(project, reviewed, "--dry-run", capsys=capsys)
    assert code == 0 and "no change" in stdout, stdout + err


def test_the_second_paragraph_of_an_override_is_edited_in_place(project, tmp_path, capsys):
    """Once an override holds two paragraphs, the draft numbers the second 2; an edit of
    it changes that override, never paragraph 2 of the library (which would print the
    text twice)."""
    out = tmp_path / "out"
    assert _reply(project, out, capsys=capsys)[0] == 0
    first = _rezip(out / "reply.fr.docx", tmp_path / "1.docx",
                   _new_paragraph("Un paragraphe nouveau de la DAJ."))
    assert _absorb(project, first, capsys=capsys)[0] == 0
    assert _reply(project, tmp_path / "v2", capsys=capsys)[0] == 0
    second = _rezip(tmp_path / "v2" / "reply.fr.docx", tmp_path / "2.docx",
                    lambda xml: xml.replace("Un paragraphe nouveau", "Un paragraphe revu"))
    code, stdout, err = _absorb(project, second, capsys=capsys)
    assert code == 0 and "absorbed reply.fr:" in stdout, err
    assert "Un paragraphe revu de la DAJ." in _brief(project)
    assert "Un paragraphe nouveau" not in _brief(project)
    assert _reply(project, tmp_path / "v3", capsys=capsys)[0] == 0
    paras = _paragraphs(tmp_path / "v3" / "reply.fr.docx")
    assert paras.count("Un paragraphe revu de la DAJ.") == 1
    assert len(paras) == len(_paragraphs(tmp_path / "v2" / "reply.fr.docx"))


def test_a_tracked_new_paragraph_is_a_tracked_change(project, tmp_path, capsys):
    out = tmp_path / "out"
    assert _reply(project, out, capsys=capsys)[0] == 0
    reviewed = _rezip(out / "reply.fr.docx", tmp_path / "suivi.docx",
                      _new_paragraph("Un paragraphe suivi de la DAJ.", tracked=True))
    before = _brief(project)
    code, _, err = _absorb(project, reviewed, capsys=capsys)
    assert code == 1 and "Un paragraphe suivi de la DAJ." in err and "nothing written" in err
    assert err.count("tracked: ") == 1 and _brief(project) == before
    code, _, err = _absorb(project, reviewed, "--ignore-tracked", capsys=capsys)
    assert code == 0 and _brief(project) == before
    code, stdout, err = _absorb(project, reviewed, "--accept-tracked", capsys=capsys)
    assert code == 0 and "absorbed reply.fr:" in stdout, err
    assert "Un paragraphe suivi de la DAJ." in _brief(project)


def test_the_tools_text_removed_is_reported_and_the_file_kept(project, tmp_path, capsys):
    """The reviewer deleted the copies line in the file draft wrote: absorb says it is
    not applied, and the next run does not replace the file without --force."""
    out = tmp_path / "out"
    assert _reply(project, out, capsys=capsys)[0] == 0
    target = out / "reply.fr.docx"
    _rezip(target, tmp_path / "edited.docx", _drop_last_paragraph)
    shutil.copy(tmp_path / "edited.docx", target)
    code, stdout, err = _absorb(project, target, capsys=capsys)
    assert code == 0 and "was removed: not applied" in err and "Copie" in err, stdout + err
    code, _, err = _reply(project, out, capsys=capsys)
    assert code == 3 and "edited since" in err
    assert target.read_bytes() == (tmp_path / "edited.docx").read_bytes()


def test_a_paragraph_added_among_the_tools_text_names_the_command(project, tmp_path, capsys):
    out = tmp_path / "out"
    assert _reply(project, out, capsys=capsys)[0] == 0

    def after_salutation(xml):
        m = re.search(r"<w:p[ >](?:(?!</w:p>).)*?Monsieur le Premier ministre,.*?</w:p>", xml, re.S)
        return xml[:m.end()] + "<w:p><w:r><w:t>Cher ami,</w:t></w:r></w:p>" + xml[m.end():]
    reviewed = _rezip(out / "reply.fr.docx", tmp_path / "r.docx", after_salutation)
    code, stdout, err = _absorb(project, reviewed, capsys=capsys)
    assert code == 0 and "a paragraph was added" in err and "draft paragraph add" in err


def test_word_hyphens_are_read(project, tmp_path, capsys):
    """Word writes a non-breaking hyphen (Ctrl+Shift+-) as an element, not a character:
    it is part of the text absorbed, and an optional hyphen (Ctrl+-) adds nothing."""
    out = tmp_path / "out"
    assert _reply(project, out, capsys=capsys)[0] == 0

    def hyphens(xml):
        _name, _s, e = _linked_paragraph(xml, 0)
        runs = ('<w:r><w:t xml:space="preserve"> Franco</w:t></w:r><w:r><w:noBreakHyphen/></w:r>'
                '<w:r><w:t>britannique, dé</w:t></w:r><w:r><w:softHyphen/></w:r>'
                '<w:r><w:t>cidément.</w:t></w:r>')
        return xml[:e - len("</w:p>")] + runs + xml[e - len("</w:p>"):]
    reviewed = _rezip(out / "reply.fr.docx", tmp_path / "tirets.docx", hyphens)
    code, stdout, err = _absorb(project, reviewed, capsys=capsys)
    assert code == 0 and "absorbed reply.fr:" in stdout, err
    assert "Franco\u2011britannique, décidément." in " ".join(_brief(project).split())


def test_a_file_saved_as_odt_says_how_to_make_it_a_docx(project, tmp_path, capsys):
    out = tmp_path / "out"
    assert _reply(project, out, capsys=capsys)[0] == 0
    odt = shutil.copy(out / "reply.fr.docx", tmp_path / "Réponse Johnson - DAJ.odt")
    before = _brief(project)
    code, _, err = _absorb(project, odt, capsys=capsys)
    assert code == 2 and "save it as a Word document (.docx" in err and "Traceback" not in err
    assert _brief(project) == before


def test_a_reviewers_comment_is_listed_and_the_file_kept(project, tmp_path, capsys):
    """A Word comment is the reviewer's work too, but not text of the letter: absorb
    takes the edits, names the comment, and the next run does not write over the file
    (before, the file counted as taken in and the comment was lost without --force)."""
    import docx
    out = tmp_path / "out"
    assert _reply(project, out, capsys=capsys)[0] == 0
    target = out / "reply.fr.docx"
    d = docx.Document(str(target))
    own = {c.author for c in d.comments}
    body = [p for p in d.paragraphs if len(p.text) > 200][0]
    d.add_comment(body.runs[0], text="Vérifier la base juridique de ce refus.", author="DAJ",
                  initials="DAJ")
    body.add_run(" Une phrase de la DAJ.")
    d.save(str(target))
    edited = target.read_bytes()
    code, stdout, err = _absorb(project, target, capsys=capsys)
    assert own == {"draft"} and code == 0 and "absorbed reply.fr:" in stdout, err
    assert "comment by DAJ" in err and "Vérifier la base juridique" in err
    assert "Une phrase de la DAJ." in _brief(project)
    code, _, err = _reply(project, out, capsys=capsys)
    assert code == 3 and "edited since" in err and target.read_bytes() == edited


def test_an_agreements_edit_names_the_agreement_file(project, tmp_path, capsys):
    """An agreement's text comes from its agreement file, which absorb does not write:
    the edit is reported with where to make it, not as the brief's or the protocol's."""
    import docx
    out = tmp_path / "out"
    code, _, err = run_cli(["--root", str(project), "agreement", "readmission", "--lang", "fr",
                            "--format", "docx", "--out", str(out)], capsys)
    assert code == 0, err
    (path,) = out.glob("agreement-readmission*.docx")
    d = docx.Document(str(path))
    [p for p in d.paragraphs if len(p.text) > 100][1].add_run(" Ajout de relecture.")
    d.save(str(tmp_path / "Accord - relu.docx"))
    before = _brief(project)
    code, stdout, err = _absorb(project, tmp_path / "Accord - relu.docx", capsys=capsys)
    assert code == 0 and "clauses/agreements/readmission.yaml" in err, stdout + err
    assert "protocol.yaml" not in err and _brief(project) == before


def test_a_matrix_edit_says_where_its_cells_come_from(project, tmp_path, capsys):
    import docx
    out = tmp_path / "out"
    code, _, err = run_cli(["--root", str(project), "matrix", "--lang", "fr", "--format", "docx",
                            "--out", str(out)], capsys)
    assert code == 0, err
    d = docx.Document(str(out / "matrix.fr.docx"))
    d.tables[0].rows[1].cells[0].paragraphs[0].add_run(" (DAJ)")
    d.save(str(tmp_path / "Matrice - DAJ.docx"))
    code, stdout, err = _absorb(project, tmp_path / "Matrice - DAJ.docx", capsys=capsys)
    assert code == 0 and "the clauses the matrix sums up" in err and "protocol.yaml" not in err
