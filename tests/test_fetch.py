"""Rendering fetches nothing (issue 6, item 2).

The PDF writer reads only files below templates/: no network, no `file://` elsewhere, no
`<link rel=attachment>` embedding. Two walls: the document vocabulary refuses the
elements that fetch (link, img, a, object ...), and the fetcher refuses every URL outside
the templates folder even if markup got through.
"""
from __future__ import annotations

import io
import os

import pytest
from conftest import pdf_text, run_cli

SECRET = b"root:x:0:0"
PASSWD = "/etc/passwd"

pytestmark = pytest.mark.skipif(not os.path.exists(PASSWD) or SECRET not in open(PASSWD, "rb").read(),
                                reason="needs an /etc/passwd with a root entry")

INJECTIONS = [
    '<link rel="attachment" href="file:///etc/passwd"/>',
    '<link rel="stylesheet" href="file:///etc/passwd"/>',
    '<img src="file:///etc/passwd"/>',
    '<img src="http://127.0.0.1:9/x.png"/>',
    '<a rel="attachment" href="file:///etc/passwd">x</a>',
    '<object data="file:///etc/passwd"></object>',
    '<embed src="file:///etc/passwd"/>',
    '<iframe src="file:///etc/passwd"></iframe>',
    '<style>@import url(file:///etc/passwd);</style>',
    '<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>',
]


def _embedded(pdf: bytes) -> list:
    from pypdf import PdfReader
    return list(PdfReader(io.BytesIO(pdf)).attachments)


@pytest.mark.parametrize("markup", INJECTIONS)
def test_vocabulary_refuses_elements_that_fetch(project, capsys, markup):
    """A template that writes a fetching element is refused before any renderer runs."""
    tpl = project / "templates" / "reply.html.j2"
    text = tpl.read_text(encoding="utf-8")
    tpl.write_text(text.replace('<p class="salutation">', markup + '\n<p class="salutation">', 1),
                   encoding="utf-8")
    out = project / "output"
    code, _, err = run_cli(["--root", str(project), "reply", "--lang", "en", "--format", "pdf",
                            "--out", str(out)], capsys)
    assert code == 2 and "Traceback" not in err, err
    assert err.startswith("reply.html.j2:") and "is not in the vocabulary" in err, err
    assert not out.exists()


def test_clause_text_cannot_inject_markup(project, capsys):
    """Clause text is escaped: an attachment link in it is printed, never followed."""
    c = project / "clauses" / "condolences.yaml"
    text = c.read_text(encoding="utf-8")
    c.write_text(text.replace("I wish first of all", '<link rel="attachment" href="file:///etc/passwd"/>'
                              ' <img src="file:///etc/passwd"/> I wish first of all', 1),
                 encoding="utf-8")
    out = project / "output"
    code, _, err = run_cli(["--root", str(project), "reply", "--lang", "en", "--format", "pdf",
                            "--out", str(out)], capsys)
    assert code == 0, err
    pdf = (out / "reply.en.pdf").read_bytes()
    assert _embedded(pdf) == []
    assert 'href="file:///etc/passwd"' in pdf_text(pdf).replace("\n", " ")


def _html(body: str) -> str:
    return f"<html><head><title>t</title></head><body><p>before</p>{body}<p>after</p></body></html>"


def _render(html: str, templates, fetcher=None):
    import weasyprint
    kw = {"url_fetcher": fetcher} if fetcher is not None else {}
    return weasyprint.HTML(string=html, base_url=str(templates) + "/", **kw).write_pdf(
        uncompressed_pdf=True)


def test_default_weasyprint_fetcher_would_embed_the_file(workspace):
    """The threat is real: WeasyPrint's own fetcher embeds /etc/passwd (so the test
    below, which finds nothing, would have found it)."""
    pdf = _render(_html('<link rel="attachment" href="file:///etc/passwd">'), workspace / "templates")
    assert SECRET in pdf and _embedded(pdf)


@pytest.mark.parametrize("markup", INJECTIONS + [
    '<p style="background: url(file:///etc/passwd)">x</p>',
    '<style>@font-face { font-family: X; src: url(file:///etc/passwd) } p { font-family: X }</style>',
    '<link rel="attachment" href="file:///etc/%70asswd">',
    '<link rel="attachment" href="../../../../../../../etc/passwd">',
    '<link rel="attachment" href="fonts/../../../../../../etc/passwd">',
    '<link rel="attachment" href="https://example.invalid/x">',
    '<img src="data:image/svg+xml,&lt;svg xmlns=%22http://www.w3.org/2000/svg%22&gt;&lt;image href=%22file:///etc/passwd%22/&gt;&lt;/svg&gt;">',
])
def test_safe_fetcher_reads_nothing_outside_templates(workspace, markup):
    """Straight to WeasyPrint with the project's fetcher: /etc/passwd is never read,
    embedded or drawn, and no URL other than files below templates/ is fetched."""
    from weasyprint.urls import FatalURLFetchingError

    from drafting.writers.pdf import SafeFetcher

    try:
        templates = workspace / "templates"
        pdf = _render(_html(markup), templates, SafeFetcher([templates]))
    except FatalURLFetchingError as exc:
        assert "not allowed" in str(exc)
        return
    assert SECRET not in pdf
    assert _embedded(pdf) == []


def test_safe_fetcher_refuses_a_link_out_of_templates(tmp_path, workspace):
    """A symbolic link inside templates/ that points elsewhere is refused too."""
    import shutil

    from weasyprint.urls import FatalURLFetchingError

    from drafting.writers.pdf import SafeFetcher

    templates = tmp_path / "templates"
    shutil.copytree(workspace / "templates", templates)
    (templates / "evil.txt").symlink_to(PASSWD)
    fetcher = SafeFetcher([templates])
    with pytest.raises(FatalURLFetchingError):
        fetcher.fetch((templates / "evil.txt").as_uri())
    for url in ("http://127.0.0.1:9/", "ftp://example.invalid/x", "data:text/plain,x",
                "file:///etc/passwd", (templates / ".." / "x").as_uri()):
        with pytest.raises(FatalURLFetchingError):
            fetcher.fetch(url)
    # what the documents need is served
    assert fetcher.fetch((templates / "print.css").as_uri()).read()


def test_document_pdf_fetches_only_templates(workspace, make_case, monkeypatch):
    """The real writer: every URL WeasyPrint asks for while making the reply is a file
    below templates/ (fonts, stylesheet), and no socket is opened."""
    import socket

    from drafting import build, write_pdf_bytes
    from drafting.writers import pdf as pdf_writer

    asked = []
    real = pdf_writer.SafeFetcher.fetch

    def spy(self, url, headers=None):
        asked.append(url)
        return real(self, url, headers)

    def no_socket(*args, **kwargs):
        raise AssertionError("a socket was opened while rendering")

    monkeypatch.setattr(pdf_writer.SafeFetcher, "fetch", spy)
    monkeypatch.setattr(socket, "socket", no_socket)
    monkeypatch.setattr(socket, "create_connection", no_socket)
    pdf_writer._SHARED.clear()  # a fresh stylesheet and fonts, fetched through the spy
    try:
        case = make_case()
        pdf = write_pdf_bytes(case, build(case, "reply", "en"))
    finally:
        pdf_writer._SHARED.clear()
    templates = (workspace / "templates").resolve().as_uri()
    assert asked and all(url.startswith(templates + "/") for url in asked), asked
    assert _embedded(pdf) == []
