"""writers/pdfs.py: long documents in processes of their own, short ones in workers that
end once nothing left is short enough for them; each child reads back only its own
document. Whatever goes where, the PDFs are those of one process."""
from __future__ import annotations

import pytest

from drafting import api
from drafting.writers import forked, pdfs


@pytest.mark.skipif(not forked.can_fork(), reason="needs fork and two cores")
def test_own_processes_and_workers_give_the_pdfs_of_one_process(make_case, monkeypatch):
    case = make_case()
    jobs = [j for j in api.pack_jobs(case) if j[0] in ("agenda", "declaration", "agreement")]
    alone = api.render_pack(case, jobs, ("pdf",), workers=1)
    sizes = sorted(len(api.build(case, k, lang, **opts).document.text()) for k, lang, opts in jobs)
    # the longest half in processes of their own, the rest in workers, which end while
    # the long ones still wait
    monkeypatch.setattr(pdfs, "OWN_PROCESS", sizes[len(sizes) // 2])
    monkeypatch.setattr(pdfs, "RENDER_BUDGET", sizes[-1] + sizes[0])
    both = api.render_pack(case, jobs, ("pdf",), workers=2)
    assert sorted(both) == sorted(alone) and len(both) >= 6
    assert [n for n in both if both[n] != alone[n]] == []
