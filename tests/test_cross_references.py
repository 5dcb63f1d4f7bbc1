"""Cross-references that renumber (issue 15): an agreement's `{ref:ID}` / `{ref:ID:N}` is a
link in the tree (<a class="ref" href="#art-...">) to the article's heading or numbered
paragraph; the DOCX makes a REF field of it to a bookmark on that paragraph, whose cached
result is the text the PDF shows, the PDF a link to the same place.

Read back from the DOCX XML: every link of the tree is one REF field, in order, its
cached result what the field computes from the file (the target's Word number as
numbering.xml gives it, or its text), its bookmark on the right paragraph, named apart
from absorb's `_dr` bookmarks. The LibreOffice tests (one soffice call for the module)
insert an article or a numbered paragraph before a referenced one in the XML and let
LibreOffice's conversion compute the REF fields again: the reference shows the new
number. In CI (.ci/run installs LibreOffice) a missing soffice is a failure."""
from __future__ import annotations

import copy
import io
import os
import re
import shutil
import subprocess
import zipfile

import pytest
from conftest import docx_xml, edit, norm, pdf_body, pdf_pages, request_without_its_omitted_text, rezip
from lxml import etree
from pypdf import PdfReader

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
KINDS = ("readmission", "operational-cooperation")
VARIANTS = [dict(agreement_kind=k, register=r, lang=lang) for k in KINDS
            for r in ("treaty", "mou") for lang in ("fr", "en")] + [
    dict(agreement_kind="readmission", parallel=True, lang="fr"),
    dict(agreement_kind="operational-cooperation", register="mou", parallel=True, lang="fr"),
    dict(agreement_kind="readmission", copy="uk", parallel=True, lang="en"),
    dict(agreement_kind="readmission", omit_declined=True, lang="fr"),
    dict(agreement_kind="readmission", register="mou", omit_declined=True, lang="en")]


def _ids(opts):
    return "-".join(f"{v}" if k in ("agreement_kind", "register", "lang") else k
                    for k, v in opts.items() if v is not False)


def _docx(case, opts):
    """(tree, DOCX bytes) of one agreement."""
    from drafting import api, build
    opts = dict(opts)
    lang = opts.pop("lang")
    built = build(case, "agreement", lang, **opts)
    files = api.render_files(case, "agreement", langs=(lang,), formats=("docx",), **opts)
    (data,) = files.values()
    return built.document, data


def _xml(data, member):
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(member))


def _text(p):
    return "".join(t.text or "" for t in p.iter(W + "t"))


def ref_fields(root) -> list:
    """Each REF field of the document in order: {instr, result, before, p}; `before` is
    the paragraph's text ahead of it (earlier fields by their results)."""
    out = []
    for p in root.iter(W + "p"):
        field, before = None, []
        for r in p.iter(W + "r"):
            fc, it = r.find(W + "fldChar"), r.find(W + "instrText")
            if fc is not None:
                kind = fc.get(W + "fldCharType")
                if kind == "begin":
                    field = {"instr": "", "result": "", "before": "".join(before), "p": p,
                             "state": "instr"}
                elif kind == "separate":
                    field["state"] = "result"
                elif kind == "end":
                    if field["instr"].split()[0] == "REF":
                        out.append(field)
                    before.append(field["result"])
                    field = None
                continue
            if field is None:
                before.append(_text(r))
            elif field["state"] == "instr" and it is not None:
                field["instr"] += it.text or ""
            elif field["state"] == "result":
                field["result"] += _text(r)
    return out


def bookmarks(root) -> dict:
    """{bookmark name: its paragraph}; asserts the w:id are unique."""
    starts = list(root.iter(W + "bookmarkStart"))
    ids = [b.get(W + "id") for b in starts]
    assert len(ids) == len(set(ids)), "two bookmarks share a w:id"
    ends = {b.get(W + "id") for b in root.iter(W + "bookmarkEnd")}
    assert set(ids) <= ends, "a bookmark without its end"
    names = [b.get(W + "name") for b in starts]
    assert len(names) == len(set(names)), "two bookmarks share a name"
    return {b.get(W + "name"): next(b.iterancestors(W + "p")) for b in starts}


def word_labels(root, numbering) -> dict:
    """{paragraph: the label Word numbering shows for it} (single-level lists, as the
    writer makes them): lvlText with %1 = start + the paragraphs of the list before it."""
    abstract = {a.get(W + "abstractNumId"): a.find(W + "lvl")
                for a in numbering.iter(W + "abstractNum")}
    level = {n.get(W + "numId"): abstract[n.find(W + "abstractNumId").get(W + "val")]
             for n in numbering.iter(W + "num")}
    seen, out = {}, {}
    for p in root.iter(W + "p"):
        num = p.find(f"{W}pPr/{W}numPr/{W}numId")
        if num is None:
            continue
        lvl = level[num.get(W + "val")]
        n = int(lvl.find(W + "start").get(W + "val")) + seen.get(num.get(W + "val"), 0)
        seen[num.get(W + "val")] = seen.get(num.get(W + "val"), 0) + 1
        out[p] = lvl.find(W + "lvlText").get(W + "val").replace("%1", str(n))
    return out


def computed(field, marks, labels) -> str:
    """What Word computes for a REF field from the file: the target's number (\\r, no
    trailing period) or text, in lower case under \\* Lower."""
    switches = field["instr"].split()
    p = marks[switches[1]]
    shown = labels[p].rstrip(".") if "\\r" in switches else _text(p)
    return shown.lower() if "Lower" in switches else shown


def _style(p):
    return p.find(f"{W}pPr/{W}pStyle").get(W + "val")


@pytest.fixture(scope="module")
def case(make_case):
    return make_case()


@pytest.mark.parametrize("opts", VARIANTS, ids=_ids)
def test_every_reference_is_a_ref_field_to_its_article(case, opts):
    tree, data = _docx(case, opts)
    root, numbering = _xml(data, "word/document.xml"), _xml(data, "word/numbering.xml")
    links = list(tree.body.iter("a"))
    fields = ref_fields(root)
    marks = bookmarks(root)
    labels = word_labels(root, numbering)
    targets = {el.get("id"): el for el in tree.body.iter() if el.get("id")}
    assert fields, "no cross-reference in this agreement"
    assert [f["result"] for f in fields] == [a.text for a in links]
    for field, link in zip(fields, links):
        switches = field["instr"].split()
        assert switches[0] == "REF" and "\\h" in switches, field["instr"]
        name = switches[1]
        assert re.fullmatch(r"_Ref[0-9a-f]{12}", name), name  # hidden, <= 40, not _dr
        assert name in marks, f"no bookmark {name}"
        # the field computes, from the file, what it shows now and what the PDF shows
        assert field["result"] == computed(field, marks, labels), field["instr"]
        # ... and points at the paragraph the tree's link does: the article's heading
        # (its label carries the same number) or the numbered paragraph
        target = targets[link.get("href")[1:]]
        p = marks[name]
        if target.get("class") == "article-heading":
            assert _style(p) == "DraftArticleHeading"
            label = labels.get(p, _text(p))
            assert label.split(" - ")[0].lower() == link.text.lower(), (label, link.text)
        else:
            assert target.get("class") == "article" and _style(p) == "DraftArticle"
            assert "\\r" in switches and labels[p] == f"{link.text}.", (labels.get(p), link.text)
        # the bookmarked paragraph reads as the tree's target, Word's number included
        assert norm(labels.get(p, "") + " " + _text(p)) == norm("".join(target.itertext()))
    # the words around the number are the paragraph's own text
    sentences = " ".join(norm(f["before"]) for f in fields)
    if opts["lang"] == "fr" and not opts.get("parallel"):
        assert "l'" in sentences
    # absorb's bookmarks and the references' never meet
    assert not any(n.startswith("_dr") and n.startswith("_Ref") for n in marks)


def test_the_same_files_every_time(case):
    opts = dict(agreement_kind="readmission", register="mou", lang="fr")
    assert _docx(case, opts)[1] == _docx(case, opts)[1]


@pytest.fixture(scope="module")
def pdfs(case):
    """{stem: (tree, DOCX, PDF)} of the readmission agreement: the French treaty
    ("l'article 5, paragraphe 2", "article premier") and the English MOU ("Paragraph
    5.2")."""
    from drafting import api, build
    out = {}
    for register, lang in (("treaty", "fr"), ("mou", "en")):
        files = api.render_files(case, "agreement", langs=(lang,), agreement_kind="readmission",
                                 register=register)
        built = build(case, "agreement", lang, agreement_kind="readmission", register=register)
        out[built.stem] = (built.document, files[built.stem + ".docx"],
                           files[built.stem + ".pdf"])
    return out


def test_the_pdf_shows_the_cached_number_and_links_to_the_article(pdfs):
    assert len(pdfs) == 2
    for stem, (tree, docx_data, pdf_data) in pdfs.items():
        fields = ref_fields(_xml(docx_data, "word/document.xml"))
        body = pdf_body(pdf_data)
        for field in fields:  # the reference, as the DOCX caches it, with its words
            said = norm(field["before"][-30:] + field["result"])
            assert said in body, (stem, said)
        reader = PdfReader(io.BytesIO(pdf_data))
        dests = reader.named_destinations
        links = [str(a.get_object()["/Dest"]) for page in reader.pages
                 for a in page.get("/Annots") or [] if a.get_object().get("/Subtype") == "/Link"]
        hrefs = [a.get("href")[1:] for a in tree.body.iter("a")]
        assert len(links) >= len(hrefs) == len(fields) and set(links) == set(hrefs), stem
        targets = {el.get("id"): el for el in tree.body.iter() if el.get("id")}
        pages = [norm(text) for text in pdf_pages(pdf_data)]
        for dest in sorted(set(links)):  # each lands on the page of its heading or paragraph
            shown = norm("".join(targets[dest].itertext()))[:40]
            assert shown in pages[reader.get_destination_page_number(dests[dest])], (stem, dest)


def test_an_omitted_article_stays_a_marked_text_with_no_field(project):
    """A reference to an article --omit-declined took out, with no text without it (draft
    check reports it): the '[article omis : ID]' text, as before, and no field or link."""
    from drafting import load_case
    path = project / "clauses" / "agreements" / "readmission.yaml"
    request_without_its_omitted_text(path)
    edit(path, "    requires: [third-state-nationals]\n", "", count=1)
    tree, data = _docx(load_case(project), dict(agreement_kind="readmission", lang="fr",
                                                omit_declined=True))
    assert "[article omis : third-state-nationals]" in norm(tree.text())
    assert not [a for a in tree.body.iter("a")
                if a.get("href").split(".")[0] == "#art-fr-third-state-nationals"]
    root = _xml(data, "word/document.xml")
    assert "[article omis : third-state-nationals]" in norm(
        "\n".join(_text(p) for p in root.iter(W + "p")))
    marks = bookmarks(root)
    for field in ref_fields(root):
        assert field["instr"].split()[1] in marks



def test_absorb_takes_an_agreement_back_with_its_fields(project, tmp_path, capsys):
    """absorb reads an agreement's DOCX, REF fields and their bookmarks included, as the
    draft it is: a reviewer's file saved unchanged (under another name) is no change, and
    the brief is left as it was."""
    from conftest import BRIEF, run_cli
    out = tmp_path / "out"
    code, _, err = run_cli(["--root", project, "agreement", "readmission", "--register", "mou",
                            "--format", "docx", "--out", out], capsys)
    assert code == 0, err
    brief = (project / BRIEF).read_bytes()
    for path in sorted(out.glob("*.docx")):
        assert ref_fields(_xml(path.read_bytes(), "word/document.xml"))
        reviewed = tmp_path / f"Relu DAJ - {path.stem}.docx"
        reviewed.write_bytes(path.read_bytes())
        code, said, err = run_cli(["--root", project, "absorb", reviewed], capsys)
        assert code == 0, err
        assert "no change" in said and "not applied" not in said + err, said + err
    assert (project / BRIEF).read_bytes() == brief

def test_absorb_reads_a_reference_as_libreoffice_saves_it(project, tmp_path, capsys):
    """LibreOffice drops Word's \\* Lower switch when it saves and shows the French
    reference as "l'Article 16": a field's result is not the reviewer's text, so absorb
    reads it in one case and finds no change (it listed every such paragraph as the
    tool's own text edited)."""
    from conftest import run_cli
    out = tmp_path / "out"
    code, _, err = run_cli(["--root", project, "agreement", "readmission", "--lang", "fr",
                            "--format", "docx", "--out", out], capsys)
    assert code == 0, err
    data = (out / "agreement-readmission.fr.docx").read_bytes()
    xml = docx_xml(data)
    saved = re.sub(r"\s*\\\* Lower", "", xml)
    saved = re.sub(r'(<w:fldChar w:fldCharType="separate"/></w:r><w:r>(?:<w:rPr>.*?</w:rPr>)?'
                   r'<w:t(?: [^>]*)?>)article', r"\1Article", saved)
    assert saved.count(">Article ") > xml.count(">Article ") and "Lower" not in saved
    reviewed = tmp_path / "Relu LibreOffice.docx"
    reviewed.write_bytes(rezip(data, {"word/document.xml": saved.encode()}))
    code, said, err = run_cli(["--root", project, "absorb", reviewed], capsys)
    assert code == 0, err
    assert "no change" in said and "not applied" not in said + err, said + err


# -- LibreOffice: insert an article or a paragraph, the references renumber ----------------

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def _insert_before(data, field_of, what) -> tuple:
    """The DOCX with a copy of the paragraph before the target of the first REF field
    `field_of` picks inserted before that target (`what`: 'article' copies the previous
    article heading, a numbered one of the same list; 'paragraph' the target itself), and
    (text before the field, its number now, its number once LibreOffice renumbers)."""
    z = zipfile.ZipFile(io.BytesIO(data))
    root = etree.fromstring(z.read("word/document.xml"))
    marks = bookmarks(root)
    field = next(f for f in ref_fields(root) if field_of(f, marks))
    target = marks[field["instr"].split()[1]]
    if what == "article":
        same = target.find(f"{W}pPr/{W}numPr/{W}numId").get(W + "val")
        source = next(p for p in target.itersiblings(W + "p", preceding=True)
                      if (p.find(f"{W}pPr/{W}numPr/{W}numId") is not None and
                          p.find(f"{W}pPr/{W}numPr/{W}numId").get(W + "val") == same))
    else:
        source = target
    new = copy.deepcopy(source)
    for b in new.findall(W + "bookmarkStart") + new.findall(W + "bookmarkEnd"):
        new.remove(b)
    target.addprevious(new)
    n = int(re.search(r"\d+", field["result"]).group(0))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zo:
        for info in z.infolist():
            blob = z.read(info.filename)
            if info.filename == "word/document.xml":
                blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)
            zo.writestr(info, blob)
    return out.getvalue(), (field["before"], field["result"], n, n + 1)


def _heading_ref(register):
    def pick(field, marks):
        p = marks[field["instr"].split()[1]]
        return _style(p) == "DraftArticleHeading" and "\\r" in field["instr"].split() and \
            re.search(r"\d", field["result"]) and int(re.search(r"\d+", field["result"]).group(0)) > 2
    return pick


def _para_ref(field, marks):
    return _style(marks[field["instr"].split()[1]]) == "DraftArticle"


@pytest.fixture(scope="module")
def libreoffice(case, tmp_path_factory):
    """{name: (what the reference said, its number before, after, LibreOffice's text)}:
    the agreements with an article or a paragraph inserted before a referenced one, and
    one untouched, converted to PDF by LibreOffice in ONE call (its REF fields computed
    again)."""
    if not SOFFICE:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is not installed: .ci/run installs "
                        "libreoffice-writer")
        pytest.skip("LibreOffice (soffice) is not installed")
    folder = tmp_path_factory.mktemp("xref")
    cases = {}
    for name, opts, pick, what in (
            ("treaty-fr-article", dict(agreement_kind="readmission", lang="fr"),
             _heading_ref("treaty"), "article"),
            ("treaty-en-paragraph", dict(agreement_kind="readmission", lang="en"),
             _para_ref, "paragraph"),
            ("mou-en-article", dict(agreement_kind="readmission", register="mou", lang="en"),
             _heading_ref("mou"), "article")):
        data, said = _insert_before(_docx(case, opts)[1], pick, what)
        (folder / f"{name}.docx").write_bytes(data)
        cases[name] = said
    untouched = _docx(case, dict(agreement_kind="operational-cooperation", lang="en"))[1]
    (folder / "untouched.docx").write_bytes(untouched)
    out, profile = folder / "lo", folder / "profile"
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless",
                    "--norestore", "--convert-to", "pdf", "--outdir", str(out)]
                   + sorted(str(p) for p in folder.glob("*.docx")),
                   check=True, capture_output=True, timeout=180)
    result = {name: said + (pdf_body((out / f"{name}.pdf").read_bytes()),)
              for name, said in cases.items()}
    fields = ref_fields(_xml(untouched, "word/document.xml"))
    result["untouched"] = (fields, pdf_body((out / "untouched.pdf").read_bytes()))
    return result


@pytest.mark.parametrize("name", ["treaty-fr-article", "treaty-en-paragraph", "mou-en-article"])
def test_an_inserted_item_renumbers_the_reference(libreoffice, name):
    before, result, old, new = libreoffice[name][:4]
    text = libreoffice[name][4].lower()
    renumbered = norm(before[-25:] + result.replace(str(old), str(new), 1)).lower()
    assert renumbered in text, (name, renumbered)
    assert norm(before[-25:] + result).lower() not in text


def test_libreoffice_computes_the_numbers_the_file_caches(libreoffice):
    fields, text = libreoffice["untouched"]
    assert fields
    for field in fields:
        assert norm(field["before"][-25:] + field["result"]) in text, field["result"]



@pytest.mark.parametrize("markup, said", [
    ('<p class="body">see <a href="https://example.org">x</a></p>', "link <a class=''"),
    ('<p class="body">see <a class="ref" href="article-5">5</a></p>', "href='article-5'"),
    ('<p class="body">see <a class="note" href="#x">5</a></p>', "link <a class='note'"),
    ('<h1 class="letterheads">X</h1>', "heading class 'letterheads'"),
])
def test_the_vocabulary_takes_only_a_reference_to_the_document_itself(markup, said):
    """<a> is a cross-reference within the document (class ref, href #id), nothing else;
    a heading's class is a paragraph class: a template that emits anything else is told
    where."""
    from drafting.errors import InputError
    from drafting.tree.document import parse
    with pytest.raises(InputError) as err:
        parse(f'<html lang="fr"><head><title>t</title></head><body>\n{markup}</body></html>',
              "x.html.j2")
    assert said in str(err.value) and str(err.value).startswith("x.html.j2:2: ")
