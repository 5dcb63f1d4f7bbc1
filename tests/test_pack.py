"""draft pack: every document of the case in one run, a closing table, and an
audience that decides which documents belong in the pack."""
from __future__ import annotations

from conftest import ROOT, run_cli


def test_pack_writes_every_document_and_a_table(tmp_path, capsys):
    out = tmp_path / "pack"
    code, stdout, err = run_cli(["--root", str(ROOT), "pack", "--format", "docx",
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


def test_external_pack_leaves_out_internal_documents(tmp_path, capsys):
    import docx
    out = tmp_path / "ext"
    code, stdout, err = run_cli(["--root", str(ROOT), "pack", "--format", "docx",
                                 "--audience", "external", "--out", str(out)], capsys)
    assert code == 0, err
    names = {p.name for p in out.iterdir() if not p.name.startswith(".")}
    assert not any(n.startswith("annotated-agenda") for n in names)
    assert "reply.fr.docx" in names and "declaration.en.docx" in names
    d = docx.Document(str(out / "reply.fr.docx"))
    assert not [p for p in d.part.package.iter_parts() if "comments" in str(p.partname)]


def test_pack_pdfs_on_both_cores_match_one_core():
    """The PDFs made by forked workers are the bytes one process makes."""
    from drafting import load_case
    from drafting.pack import pack_jobs, render_pack
    case = load_case(ROOT)
    jobs = [j for j in pack_jobs(case) if j[0] in ("reply", "declaration")]
    two = render_pack(case, jobs, ("pdf",), workers=2)
    one = render_pack(case, jobs, ("pdf",), workers=1)
    assert set(two) == set(one) and len(two) == 4
    assert all(two[name] == one[name] for name in two)
