"""draft pack: every document of the case in one run, a closing table, and an
audience that decides which documents belong in the pack."""
from __future__ import annotations

import os

from conftest import run_cli


def test_pack_writes_every_document_and_a_table(workspace, tmp_path, capsys):
    out = tmp_path / "pack"
    code, stdout, err = run_cli(["--root", str(workspace), "pack", "--format", "docx",
                                 "--out", str(out)], capsys)
    assert code == 0, err
    names = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    kinds = ["reply", "agenda", "annotated-agenda", "declaration",
             "agreement-readmission", "agreement-operational-cooperation"]
    assert names == sorted(f"{k}.{lang}.docx" for k in kinds for lang in ("fr", "en"))
    lines = stdout.strip().splitlines()
    assert lines[0].split() == ["file", "size"]
    assert lines[-1].startswith("12 files in ")
    assert "\r[" not in err  # no progress line when stderr is not a terminal


def test_external_pack_leaves_out_internal_documents(workspace, tmp_path, capsys):
    import docx
    out = tmp_path / "ext"
    code, stdout, err = run_cli(["--root", str(workspace), "pack", "--format", "docx",
                                 "--audience", "external", "--out", str(out)], capsys)
    assert code == 0, err
    names = {p.name for p in out.iterdir() if not p.name.startswith(".")}
    assert not any(n.startswith("annotated-agenda") for n in names)
    assert "reply.fr.docx" in names and "declaration.en.docx" in names
    d = docx.Document(str(out / "reply.fr.docx"))
    assert not [p for p in d.part.package.iter_parts() if "comments" in str(p.partname)]


def test_pack_pdfs_on_both_cores_match_one_core(make_case):
    """The PDFs made by forked workers are the bytes one process makes."""
    from drafting.api import pack_jobs, render_pack
    case = make_case()
    jobs = [j for j in pack_jobs(case) if j[0] in ("reply", "declaration")]
    two = render_pack(case, jobs, ("pdf",), workers=2)
    one = render_pack(case, jobs, ("pdf",), workers=1)
    assert set(two) == set(one) and len(two) == 4
    assert all(two[name] == one[name] for name in two)


def test_a_failing_pdf_stops_the_pack_with_its_error(make_case, monkeypatch):
    """An error in a forked PDF worker reaches the caller as it was raised."""
    import pytest

    from drafting import api as pack
    from drafting.errors import InputError
    from drafting.writers import forked, pdfs

    if not forked.can_fork():
        pytest.skip("needs fork and two cores")
    real = pdfs._write_pdf

    def fussy(built):
        if built.stem == "declaration.en":
            raise InputError("the document reaches outside the templates folder",
                             path="declaration.html.j2")
        return real(built)

    monkeypatch.setattr(pdfs, "_write_pdf", fussy)
    case = make_case()
    jobs = [j for j in pack.pack_jobs(case) if j[0] in ("agenda", "declaration")]
    with pytest.raises(InputError, match="declaration.html.j2: the document reaches"):
        pack.render_pack(case, jobs, ("pdf",), workers=2)


def test_large_documents_wait_for_room():
    """Within the render budget both workers are busy; a document that would take the
    text laid out at once past it waits, and smaller ones go ahead."""
    from drafting.writers.pdfs import admit

    sizes = [90, 80, 10, 5]
    assert admit([0, 1, 2, 3], set(), sizes, 2, budget=100) == [0, 2]
    assert admit([1, 3], {0}, sizes, 2, budget=100) == [3]
    assert admit([1], set(), sizes, 2, budget=100) == [1]  # alone, whatever its size
    assert admit([1, 2], {3}, sizes, 2, budget=100) == [1]
    assert admit([0, 1, 2, 3], set(), sizes, 2, budget=1000) == [0, 1]
    assert admit([2, 3], {0, 1}, sizes, 2, budget=1000) == []


def test_a_run_that_fails_leaves_no_pdf_process(workspace, tmp_path, capsys):
    """The PDF process starts before the case loads; a run stopped by bad input ends
    it (and any worker) on its way out."""
    import os
    import time

    from drafting.writers import pdfs

    code, _, err = run_cli(["--root", str(workspace), "reply", "--position", "joint-patrols=acept",
                            "--out", str(tmp_path / "o")], capsys)
    assert code == 2 and "acept" in err
    assert pdfs._READY == {}
    for _ in range(100):
        if not _children(os.getpid()):
            break
        time.sleep(0.05)
    assert _children(os.getpid()) == []


def _children(pid):
    kids = []
    for d in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                kids.append(int(d))
    return kids
