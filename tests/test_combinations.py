"""No combination crashes (issue 12): every document kind of the registry, with every
agreement kind, register, copy, language, audience, parallel, omit-declined and final,
on the default case and on a case made by `draft ingest`, either gives its files or
fails with the bad-input contract (a DraftError: exit 2 or 3, `path:line: problem -
hint` lines); never an internal error (exit 70).

To keep the suite quick, the combinations (348 a case, about 700 in all) are built
in-process through the library API (api.render_files: build, the checks before writing,
the fair copy's clearance) and written as DOCX, shared between two forked workers; each
kind and agreement variant is also written as PDF once (both languages, the tool's PDF
process); and a sample goes through the command line itself (exit status, one-line
messages, nothing written on a refusal).
"""
from __future__ import annotations

import io
import itertools
import zipfile
from pathlib import Path

import pytest
from conftest import CASE, copy_workspace, run_cli

from drafting import api, load_case
from drafting.documents.agreement import COPIES, REGISTERS, agreement_kinds
from drafting.documents.registry import KINDS
from drafting.errors import DraftError
from drafting.inputs.brief import AUDIENCES

LETTER = """10 Downing Street
London SW1A 2AA

30 November 2021

Dear Emmanuel,

Following our conversation, I am writing to set out how our two countries could stop the
dangerous crossings of the Channel.

First, I propose that British and French officers begin joint patrols on the beaches of
northern France next week.

Second, we should deploy advanced technology along the coast, including ground sensors
and radar, funded by the United Kingdom.

Third, I propose that we agree a bilateral returns agreement, so that migrants who cross
the Channel illegally can be returned to France.

I look forward to working with you on these proposals.

Yours ever,

Boris Johnson
"""
INGESTED = "small-letter"
NO_CHAIN = ("clearance: none\nclearance_reason: the combination test makes every fair copy "
            "without a clearance chain\n")


def _no_chain(brief: Path) -> Path:
    """A copy of the brief whose fair copies need no clearance chain (clearance: none),
    so that --final renders instead of waiting for sign-offs."""
    lines, skip = [], False
    for line in brief.read_text(encoding="utf-8").split("\n"):
        if line.startswith("clearance:") or line.startswith("clearance_reason:"):
            skip = True
            continue
        if skip and (line.startswith(" ") or line.startswith("-")):
            continue
        skip = False
        lines.append(line)
    out = brief.with_name("brief-no-chain.yaml")
    out.write_text("\n".join(lines).rstrip("\n") + "\n" + NO_CHAIN, encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def root(tmp_path_factory, workspace):
    """A workspace copy holding the default case and a case ingested from a letter."""
    ws = copy_workspace(tmp_path_factory.mktemp("combinations"), workspace)
    letter = ws / "incoming.txt"
    letter.write_text(LETTER, encoding="utf-8")
    code = run_cli(["--root", str(ws), "ingest", str(letter), "--case", INGESTED,
                    "--reply-date", "2021-12-01"])[0]
    assert code == 0
    return ws


def jobs(case):
    """(kind, lang, options) of every combination for this case."""
    out = []
    for name, spec in KINDS.items():
        variants = [{}]
        if name == "agreement":
            variants = [dict(agreement_kind=k, register=r, copy=c, parallel=p, omit_declined=o)
                        for k, r, c, p, o in itertools.product(
                            agreement_kinds(case.root), REGISTERS, COPIES, (False, True),
                            (False, True))]
        for opts, audience, final in itertools.product(variants, AUDIENCES, (False, True)):
            langs = spec.languages[:1] if opts.get("parallel") else spec.languages
            for lang in langs:
                out.append((name, lang, dict(opts, audience=audience, final=final)))
    return out


def _contract(exc) -> str | None:
    """What is wrong with a refusal, None when it keeps the bad-input contract."""
    if not isinstance(exc, DraftError):
        return f"{type(exc).__name__}: {exc}"
    if exc.exit_code not in (2, 3):
        return f"exit {exc.exit_code}: {exc}"
    message = exc.format_message()
    if not message.strip() or "Traceback" in message or "internal error" in message:
        return f"not a one-line message: {message!r}"
    return None


def _run(case, kind, lang, opts, formats=("docx",)):
    """'ok', 'refused' or what went wrong."""
    try:
        files = api.render_files(case, kind, (lang,), formats, **opts)
    except Exception as exc:  # noqa: BLE001 - the point: nothing but a DraftError
        wrong = _contract(exc)
        return ("refused", str(exc).split("\n")[0]) if wrong is None else ("crash", wrong)
    for name, data in files.items():
        if name.endswith(".docx"):
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                if "word/document.xml" not in z.namelist():
                    return "crash", f"{name}: no word/document.xml"
        elif name.endswith(".pdf") and not data.startswith(b"%PDF"):
            return "crash", f"{name}: not a PDF"
    return ("ok", sorted(files)) if files else ("crash", "no file")


_CASES = {}  # what the forked workers read (they inherit it)


def _job(item):
    i, (kind, lang, opts) = item
    case = _CASES["fair" if opts["final"] else "drafts"]
    return i, _run(case, kind, lang, opts)


def run_all(drafts, fair, todo):
    """_run for every job, on both cores (two forked workers) where the machine forks."""
    from drafting.writers.forked import can_fork
    _CASES.update(drafts=drafts, fair=fair)
    try:
        if not can_fork():
            return dict(map(_job, enumerate(todo)))
        import concurrent.futures
        import multiprocessing
        with concurrent.futures.ProcessPoolExecutor(
                2, mp_context=multiprocessing.get_context("fork")) as pool:
            return dict(pool.map(_job, enumerate(todo), chunksize=8))
    finally:
        _CASES.clear()


@pytest.mark.parametrize("case_name", [CASE.split("/")[-1], INGESTED])
def test_every_combination_writes_its_files_or_refuses_cleanly(root, case_name):
    folder = root / "letters" / case_name
    drafts = load_case(root, case_name)
    fair = load_case(root, case_name, brief=_no_chain(folder / "brief.yaml"))
    drafts.memo, fair.memo = {}, {}  # shared by the combinations: built once, read often
    todo = jobs(drafts)
    done = run_all(drafts, fair, todo)
    results = {(kind, lang, tuple(sorted(opts.items()))): done[i]
               for i, (kind, lang, opts) in enumerate(todo)}
    crashes = {k: v[1] for k, v in results.items() if v[0] == "crash"}
    assert not crashes, crashes
    done = {k for k, v in results.items() if v[0] == "ok"}
    assert len(results) >= 340
    # the combinations that must work do: every kind as a draft and as a fair copy,
    # every agreement variant (the French MOU of the operational-cooperation arrangement
    # crashed: a title over the 255 characters of a DOCX core property)
    made = {(k, dict(o).get("final")) for k, _lang, o in done}
    kinds = {"reply", "agreement", "matrix"} | (
        {"agenda", "annotated-agenda", "declaration"} if drafts.meeting is not None else set())
    assert {(k, f) for k in kinds for f in (False, True)} <= made
    mou = ("agreement", "fr", (("agreement_kind", "operational-cooperation"),
                               ("audience", "internal"), ("copy", "fr"), ("final", False),
                               ("omit_declined", False), ("parallel", False),
                               ("register", "mou")))
    assert results[mou][0] == "ok", results[mou]
    # what is refused is refused for a reason given to the user: the annotated agenda
    # for a wider audience, a case without a meeting
    for (kind, _lang, opts), (state, said) in results.items():
        if state == "refused" and kind == "annotated-agenda" and \
                dict(opts)["audience"] != "internal":
            assert "internal" in said
    if drafts.meeting is None:
        assert all(results[k][0] == "refused" and "has no meeting" in results[k][1]
                   for k in results if k[0] in ("agenda", "declaration"))


@pytest.mark.parametrize("case_name", [CASE.split("/")[-1], INGESTED])
def test_each_kind_and_agreement_variant_as_pdf(root, case_name):
    """PDF for a sample, both languages (the PDF process renders them on both cores):
    each kind of the default case, each agreement kind as a treaty and as a parallel MOU
    (the French MOU of the operational-cooperation arrangement crashed); the ingested
    case's own documents (reply, matrix)."""
    case = load_case(root, case_name)
    samples = [(k, {}) for k in KINDS if k != "agreement"]
    if case_name == INGESTED:
        samples = [("reply", {}), ("matrix", {}), ("agreement", dict(
            agreement_kind="readmission", register="mou", omit_declined=True))]
    else:
        samples += [("agreement", dict(agreement_kind=k, register=r, parallel=r == "mou",
                                       omit_declined=r == "mou"))
                    for k, r in itertools.product(agreement_kinds(root), REGISTERS)]
    crashes, made = {}, 0
    for kind, opts in samples:
        try:
            files = api.render_files(case, kind, api.LANGS, ("pdf",), **opts)
        except Exception as exc:  # noqa: BLE001
            wrong = _contract(exc)
            if wrong:
                crashes[(kind, str(opts))] = wrong
            continue
        assert files and all(data.startswith(b"%PDF") for data in files.values())
        made += len(files)
    assert not crashes, crashes
    assert made >= (5 if case_name == INGESTED else 14)


@pytest.mark.parametrize("args", [
    ["reply", "--lang", "fr"],
    ["reply", "--final", "--lang", "en"],
    ["agreement", "operational-cooperation", "--register", "mou", "--lang", "fr"],
    ["agreement", "readmission", "--copy", "uk", "--parallel", "--omit-declined",
     "--audience", "external"],
    ["agreement", "readmision"],
    ["agenda", "--which", "annotated", "--audience", "external"],
    ["declaration", "--audience", "interministerial", "--lang", "en"],
    ["matrix", "--lang", "fr", "--format", "csv"],
    ["document", "matrix", "--final"],
    ["document", "agreement", "--set", "register=treaty", "--set", "copy=xx"],
])
@pytest.mark.parametrize("case_name", [CASE.split("/")[-1], INGESTED])
def test_the_command_line_exits_0_2_or_3(root, tmp_path, capsys, case_name, args):
    """The same through `draft`: files written (0) or one line per problem (2, 3);
    never 70."""
    fmt = [] if "--format" in args else ["--format", "docx"]
    code, out, err = run_cli(["--root", str(root), *args, "--case", case_name, *fmt,
                              "--out", str(tmp_path)], capsys)
    assert code in (0, 2, 3), err
    assert "internal error" not in err and "Traceback" not in err
    if code == 0:
        written = [line for line in out.splitlines() if line.startswith(str(tmp_path))]
        assert written and all(Path(p).is_file() for p in written)
    else:
        assert err.strip() and not list(tmp_path.iterdir())
        # one line per problem: 'path:line: problem - hint' ('problem - hint' when no
        # file is at fault)
        assert all(line.strip() and (": " in line or " - " in line)
                   for line in err.strip().splitlines())
