"""Benchmark: median cold wall times of the main commands (a script, not a test).

Each run is a fresh process (`python -m drafting ...`), so imports count, as they
do for a drafter. Compiled modules (.pyc) are allowed to exist, as in any installed
copy: the children run without PYTHONDONTWRITEBYTECODE, after one untimed warm-up.

    python bench/bench.py                 # everything
    python bench/bench.py --only reply    # the cases whose label contains 'reply'
    python bench/bench.py --runs 9 --skip-compare --skip-scale
    python bench/bench.py --profile       # where a DOCX reply spends its time
    python bench/bench.py --against ../copy --runs 9   # paired runs: what a change buys

Sections:
1. `draft reply --format docx`, `draft reply` (four files), `draft pack`: median, min,
   target.
2. The same two reply documents done the way a docassemble user would (when
   LibreOffice and docxtpl are installed: `pip install -e '.[bench]'`): docxtpl renders
   both DOCX from a template DOCX this script makes, then ONE `soffice --headless
   --convert-to pdf` call converts both, cold (a new soffice process, its profile
   already made). The ratio to `draft reply` in the same run.
3. A synthetic case generated here (N proposals, a 1,000-clause library): `draft check`
   time, and `draft pack` time and peak memory summed over all its processes (the
   parent and its forked PDF workers) at 50, 100 and 200 proposals.
4. The targets of issue 18, one line each (at the end of a full run): the figure, the
   target, how many times faster than docxtpl + one soffice call (section 2, same run)
   and ok or SLOW, so that a change that loses speed shows.
5. The preview and the decisions (`--preview`: only this): `draft set position` as a
   process (target 0.3 s) and, with `draft preview` running, a clause file saved to the
   server-sent event and the re-rendered reply.fr HTML carrying the change (target 0.5 s).

The machine may be shared (other test runs): medians are printed with the load average.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASE = "2021-11-25-uk-pm"

CASES = [
    ("draft reply --format docx", ["reply", "--format", "docx"], 0.12),
    ("draft reply (4 files)", ["reply"], 0.35),
    ("draft pack", ["pack"], 1.0),
]

# The targets of issue 18 (round two) that are not a command's time above.
RATIO_TARGET = 2.5       # docxtpl + one soffice call, over `draft reply` (4 files)
CHECK_TARGET = 0.3       # `draft check`, 200 proposals, 1,000-clause library (s)
PACK_200_TARGET = 7.0    # `draft pack`, 200 proposals (s)
GROWTH_TARGET = 4.0      # `draft pack` time, 50 -> 200 proposals
PSS_TARGET = 220         # `draft pack`, 200 proposals: peak PSS over all processes (MB)


def child_env():
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def draft(args, out, root=ROOT, check=True, code=ROOT):
    """One cold run of `draft` on the workspace `root`, with the package of the checkout
    `code` (`python -m drafting` imports it from the current folder); (seconds, completed
    process)."""
    t = time.perf_counter()
    res = subprocess.run([sys.executable, "-m", "drafting", "--root", str(root), *args,
                          *(["--out", str(out)] if out else [])],
                         cwd=code, capture_output=True, text=True, env=child_env())
    elapsed = time.perf_counter() - t
    if check and res.returncode:
        raise SystemExit(f"draft {' '.join(args)} failed: {res.stderr.strip()[:400]}")
    return elapsed, res


def fresh(out):
    """Every timed run writes into an empty folder (no 'identical, skipped' shortcut)."""
    shutil.rmtree(out, ignore_errors=True)
    return out


def timed(args, runs, root=ROOT):
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        draft(args, fresh(out), root)  # warm-up: .pyc files and the template cache exist
        return [draft(args, fresh(out), root)[0] for _ in range(runs)]


def load():
    try:
        return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    except OSError:
        return ""


def line(label, times, target=None):
    med = statistics.median(times)
    flag = "" if target is None else ("ok" if med <= target else "SLOW")
    tgt = f"{target:8.2f}" if target is not None else " " * 8
    print(f"{label:44} {med:8.3f} {min(times):8.3f} {tgt}  {flag}", flush=True)
    return med


# --- 1. the main commands ------------------------------------------------------------

def section_commands(opts):
    print(f"\n# cold runs, {opts.runs} each ({os.cpu_count()} cores; {load()})")
    print(f"{'command':44} {'median':>8} {'min':>8} {'target':>8}")
    results = {}
    for label, args, target in CASES:
        if opts.only and opts.only not in label:
            continue
        results[label] = line(label, timed(args, opts.runs), target)
    return results


# --- 2. the docassemble way ----------------------------------------------------------

DOCXTPL_CHILD = r'''
import json, sys, time
from docxtpl import DocxTemplate
spec = json.load(open(sys.argv[1], encoding="utf-8"))
for lang, ctx in spec["docs"].items():
    tpl = DocxTemplate(spec["template"])
    tpl.render(ctx, autoescape=True)
    tpl.save(f"{spec['out']}/reply.{lang}.docx")
'''


def make_template(path):
    """A reply template DOCX with docxtpl tags, styled like draft's reference.docx."""
    import docx
    doc = docx.Document(str(ROOT / "templates" / "reference.docx"))
    body = doc.element.body
    for child in list(body):
        if not child.tag.endswith("sectPr"):
            body.remove(child)
    add = doc.add_paragraph
    for text, style in [("{{ marking }}", "Draft Marking"), ("{{ draft }}", "Draft Running"),
                        ("{{ translation_heading }}", "Draft Translation Note"),
                        ("{{ country }}", "Draft Letterhead"), ("{{ office }}", "Draft Office"),
                        ("{{ dateline }}", "Draft Date Line"), ("{{ salutation }}", "Draft Salutation"),
                        ("{%p for para in paras %}", "Draft Body"), ("{{ para }}", "Draft Body"),
                        ("{%p endfor %}", "Draft Body"), ("{{ close }}", "Draft Close"),
                        ("{{ signature }}", "Draft Signature"), ("{{ copies }}", "Draft Copies"),
                        ("{%p for line in suscription %}", "Draft Suscription"),
                        ("{{ line }}", "Draft Suscription"), ("{%p endfor %}", "Draft Suscription")]:
        add(text, style=style)
    doc.save(str(path))


def reply_contexts():
    """What the template needs, per language: the reply's own texts (computed once,
    outside the timing: this favours the docassemble way)."""
    sys.path.insert(0, str(ROOT))  # this checkout's package, like the timed runs
    from drafting import build, load_case
    case = load_case(ROOT)
    docs = {}
    for lang in ("fr", "en"):
        built = build(case, "reply", lang)
        body = built.document.body
        by_class = {}
        for p in body.iter("p"):
            by_class.setdefault(p.get("class"), []).append("".join(p.itertext()))
        first = lambda c, by_class=by_class: (by_class.get(c) or [""])[0]  # noqa: E731
        docs[lang] = {"marking": built.document.meta.get("marking", ""),
                      "draft": built.document.meta.get("draft", ""),
                      "translation_heading": first("translation"), "country": first("letterhead"),
                      "office": first("office"), "dateline": first("dateline"),
                      "salutation": first("salutation"), "paras": by_class.get("body", []),
                      "close": first("close"), "signature": first("signature"),
                      "copies": first("copies"), "suscription": by_class.get("suscription", [])}
    return docs


def section_compare(opts, draft_reply):
    print(f"\n# the docassemble way: docxtpl, then one soffice call for both PDFs ({load()})")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    try:
        import docxtpl  # noqa: F401
    except ImportError:
        print("skipped: docxtpl is not installed (pip install -e '.[bench]')")
        return
    if not soffice:
        print("skipped: LibreOffice (soffice) is not installed")
        return
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        make_template(tmp / "reply-template.docx")
        spec = tmp / "spec.json"
        out = tmp / "out"
        out.mkdir()
        spec.write_text(json.dumps({"template": str(tmp / "reply-template.docx"), "out": str(out),
                                    "docs": reply_contexts()}, ensure_ascii=False), encoding="utf-8")
        child = tmp / "render.py"
        child.write_text(DOCXTPL_CHILD, encoding="utf-8")
        profile = (tmp / "lo-profile").as_uri()

        def once():
            for f in out.iterdir():
                f.unlink()
            t = time.perf_counter()
            subprocess.run([sys.executable, str(child), str(spec)], check=True, env=child_env())
            t_docx = time.perf_counter() - t
            subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless",
                            "--convert-to", "pdf", "--outdir", str(out),
                            str(out / "reply.fr.docx"), str(out / "reply.en.docx")],
                           check=True, capture_output=True)
            total = time.perf_counter() - t
            assert (out / "reply.fr.pdf").exists() and (out / "reply.en.pdf").exists()
            return t_docx, total

        once()  # makes the LibreOffice profile and .pyc files; not timed
        runs = [once() for _ in range(opts.runs)]
    docx_t = [r[0] for r in runs]
    total_t = [r[1] for r in runs]
    print(f"{'way':44} {'median':>8} {'min':>8}")
    line("docxtpl: both DOCX", docx_t)
    med = line("docxtpl + soffice: 2 DOCX + 2 PDF", total_t)
    if draft_reply:
        print(f"{'draft reply (4 files, section 1)':44} {draft_reply:8.3f}")
        print(f"ratio: draft is {med / draft_reply:.2f}x faster (target >= {RATIO_TARGET}x)")
    return med


# --- 3. a synthetic case at scale ------------------------------------------------------

SHARED = ("condolences", "reference", "on-behalf", "principles", "closing")


def make_synthetic(folder: Path, proposals: int, library: int = 1000) -> str:
    """A project with the real case's data plus `proposals - 9` generated proposals,
    in a library of `library` clauses (the rest unused); returns the case name."""
    import yaml
    for name in ("templates",):
        shutil.copytree(ROOT / name, folder / name)
    clauses = folder / "clauses"
    shutil.copytree(ROOT / "clauses", clauses)
    name = f"synthetic-{proposals}"
    case = folder / "letters" / name
    shutil.copytree(ROOT / "letters" / CASE, case)
    real = len([p for p in clauses.glob("*.yaml") if p.name not in ("people.yaml", "protocol.yaml")])
    model = (clauses / "sensors-radar.yaml").read_text(encoding="utf-8")
    letter_yaml = (case / "letter.yaml").read_text(encoding="utf-8")
    n_real = len(re.findall(r"^  - key: ", letter_yaml, re.M))
    extra = max(0, proposals - n_real)
    for i in range(1, library - real + 1):
        key = f"measure-{i:04d}"
        text = model.replace("sensors-radar", key)
        text = re.sub(r"^(  fr: )(.*)$", lambda m, i=i: f"{m.group(1)}{m.group(2)} ({i})", text, count=1, flags=re.M)
        (clauses / f"{key}.yaml").write_text(text, encoding="utf-8")
    # the letter: one paragraph per new proposal, before "I remain confident"
    txt = (case / "letter.txt").read_text(encoding="utf-8")
    paras = [f"We also propose coordinated measure number {i} on the shared coastline, to be "
             f"examined by our officials." for i in range(1, extra + 1)]
    anchor = "I remain confident"
    txt = txt.replace(anchor, "".join(p + "\n\n" for p in paras) + anchor, 1)
    (case / "letter.txt").write_text(txt, encoding="utf-8")
    body_start = txt.index("Dear Emmanuel,")
    body = [b for b in re.split(r"\n\s*\n", txt[body_start:])[1:] if b.strip()]
    first_new = next(i for i, b in enumerate(body, 1) if b.startswith("We also propose coordinated"))
    items = []
    for i in range(1, extra + 1):
        items.append({"key": f"measure-{i:04d}",
                      "title": {"en": f"Coordinated measure {i}", "fr": f"Mesure coordonnée {i}"},
                      "paragraph": first_new + i - 1,
                      "quote": paras[i - 1]})
    dumped = yaml.safe_dump(items, allow_unicode=True, sort_keys=False, width=1000)
    letter_yaml = letter_yaml.rstrip("\n") + "\n" + "".join("  " + ln + "\n" for ln in dumped.splitlines())
    (case / "letter.yaml").write_text(letter_yaml, encoding="utf-8")
    brief = (case / "brief.yaml").read_text(encoding="utf-8")
    brief = brief.replace("positions:\n", "positions:\n" + "".join(
        f"  measure-{i:04d}: welcome\n" for i in range(1, extra + 1)), 1)
    brief = brief.replace("  - closing\n", "".join(
        f"  - measure-{i:04d}\n" for i in range(1, extra + 1)) + "  - closing\n", 1)
    (case / "brief.yaml").write_text(brief, encoding="utf-8")
    meeting = (case / "meeting.yaml").read_text(encoding="utf-8")
    meeting = meeting.replace("proposals: [airborne-surveillance, sensors-radar,",
                              "proposals: [airborne-surveillance, sensors-radar, " + "".join(
                                  f"measure-{i:04d}, " for i in range(1, extra + 1)), 1)
    (case / "meeting.yaml").write_text(meeting, encoding="utf-8")
    return name


class PeakMemory:
    """Peak of the RSS summed over a process and all its children, sampled every few
    ms (psutil if installed, else /proc). Forked workers share pages with the parent,
    so the sum over-counts: it is an upper bound."""

    def __init__(self, pid, every=0.005):
        self.pid, self.every, self.peak, self._stop = pid, every, 0, threading.Event()
        self.peak_pss = 0
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _tree_rss(self):
        try:
            import psutil
            p = psutil.Process(self.pid)
            procs = [p, *p.children(recursive=True)]
            total = 0
            for q in procs:
                try:
                    total += q.memory_info().rss
                except psutil.Error:
                    pass
            return total
        except ImportError:
            return self._proc_rss()
        except Exception:
            return 0

    def _proc_rss(self):
        kids, total = {self.pid}, 0
        stats = {}
        for d in os.listdir("/proc"):
            if d.isdigit():
                try:
                    with open(f"/proc/{d}/stat") as fh:
                        parts = fh.read().rsplit(")", 1)[1].split()
                    stats[int(d)] = (int(parts[1]), int(parts[21]) * os.sysconf("SC_PAGE_SIZE"))
                except (OSError, IndexError, ValueError):
                    pass
        changed = True
        while changed:
            changed = False
            for pid, (ppid, _) in stats.items():
                if ppid in kids and pid not in kids:
                    kids.add(pid)
                    changed = True
        for pid in kids:
            total += stats.get(pid, (0, 0))[1]
        return total

    def _tree_pss(self):
        """Proportional set size summed over the tree: pages the forked workers share
        with the parent are counted once, not once per process as RSS counts them."""
        try:
            import psutil
            p = psutil.Process(self.pid)
            total = 0
            for q in [p, *p.children(recursive=True)]:
                try:
                    with open(f"/proc/{q.pid}/smaps_rollup") as fh:
                        for line in fh:
                            if line.startswith("Pss:"):
                                total += int(line.split()[1]) * 1024
                                break
                except OSError:
                    pass
            return total
        except Exception:
            return 0

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self._tree_rss())
            self.peak_pss = max(self.peak_pss, self._tree_pss())
            time.sleep(self.every)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self.thread.join()


def pack_with_memory(root, case, out):
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "drafting", "--root", str(root), "pack",
                             "--case", case, "--out", str(out)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=child_env())
    with PeakMemory(proc.pid) as mem:
        _, err = proc.communicate()
    elapsed = time.perf_counter() - t
    if proc.returncode:
        raise SystemExit(f"draft pack ({case}) failed: {err.decode()[:400]}")
    return elapsed, mem.peak, mem.peak_pss


def section_scale(opts):
    print(f"\n# synthetic case, 1,000-clause library ({load()})")
    has_check = any((ROOT / "drafting" / p).exists() for p in ("check.py", "validate"))
    sizes = [int(s) for s in opts.sizes.split(",")]
    runs = max(1, opts.scale_runs)
    print(f"{'proposals':>9} {'check (s)':>10} {'reply docx (s)':>15} {'pack (s)':>9} "
          f"{'pack peak RSS / PSS, all processes (MB)':>40} {'files':>6}")
    rows = []
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            case = make_synthetic(tmp, n)
            out = tmp / "out"
            check_t = None
            if has_check:
                draft(["check", "--case", case], None, tmp, check=False)  # warm-up
                res = [draft(["check", "--case", case], None, tmp, check=False) for _ in range(runs)]
                check_t = statistics.median(r[0] for r in res)
                problems = res[-1][1]
                if problems.returncode not in (0, 1):
                    print(f"draft check failed: {problems.stderr[:300]}")
            reply_t = statistics.median(
                draft(["reply", "--case", case, "--format", "docx"], fresh(out), tmp)[0]
                for _ in range(runs))
            packs = [pack_with_memory(tmp, case, fresh(out)) for _ in range(runs)]
            pack_t = statistics.median(p[0] for p in packs)
            peak = max(p[1] for p in packs) / 1e6
            peak_pss = max(p[2] for p in packs) / 1e6
            files = len([f for f in out.iterdir() if not f.name.startswith(".")])
            rows.append((n, check_t, reply_t, pack_t, peak, peak_pss))
            print(f"{n:9d} {check_t if check_t is not None else float('nan'):10.3f} {reply_t:15.3f} "
                  f"{pack_t:9.3f} {peak:31.0f} / {peak_pss:6.0f} {files:6d}", flush=True)
    scale = {}
    if len(rows) >= 2:
        (n0, _, _, t0, m0, _p0), (n1, _, _, t1, m1, _p1) = rows[0], rows[-1]
        print(f"growth {n0} -> {n1} proposals (x{n1 / n0:.1f}): pack time x{t1 / t0:.2f}, "
              f"peak memory x{m1 / m0:.2f}")
        scale["growth"] = (n0, n1, t1 / t0)
    if has_check and rows:
        print(f"draft check at {rows[-1][0]} proposals: {rows[-1][1]:.3f} s (target <= {CHECK_TARGET} s)")
    elif not has_check:
        print("draft check is not there yet: timed `draft reply --format docx` instead")
    print(f"memory target: <= {PSS_TARGET} MB PSS at 200 proposals (PSS sums real memory: shared "
          "pages once; RSS counts pages the forked workers share with the parent in each process)")
    if rows:
        scale.update(n=rows[-1][0], check=rows[-1][1], pack=rows[-1][3], pss=rows[-1][5])
    return scale


# --- the targets: one line each, with the docassemble way of the same run ----------------

def section_targets(commands, docassemble, scale):
    """One line per target of issue 18: the figure, the target, how the figure compares
    with docxtpl + one soffice call for the same reply measured in this run (that time
    over the figure: above 1, the command takes less than the docassemble way's reply),
    and ok or SLOW. A later change that loses
    speed turns a line SLOW here."""
    print(f"\n# targets (issue 18) and the docassemble way of this run ({load()})")
    print(f"{'target':44} {'figure':>9} {'target':>9} {'docxtpl+soffice/it':>19}  verdict")

    def row(label, figure, target, unit="s", better="lower", vs=True):
        if figure is None:
            print(f"{label:44} {'-':>9} {target:>8}{unit:1} {'':>19}  not measured")
            return
        ok = figure <= target if better == "lower" else figure >= target
        ratio = (f"{docassemble / figure:.2f}" if vs and docassemble and unit == "s" else "")
        shown = f"{figure:.3f}" if unit == "s" else (f"{figure:.2f}" if unit == "x" else f"{figure:.0f}")
        print(f"{label:44} {shown:>8}{unit:1} {target:>8}{unit:1} {ratio:>19}  "
              f"{'ok' if ok else 'SLOW'}")
    for label, _args, target in CASES:
        row(label, commands.get(label), target)
    reply = commands.get("draft reply (4 files)")
    row("docxtpl+soffice / draft reply (4 files), >=", docassemble / reply if docassemble and reply
        else None, RATIO_TARGET, unit="x", better="higher")
    n = scale.get("n")
    row(f"draft check, {n or 200} proposals", scale.get("check"), CHECK_TARGET)
    row(f"draft pack, {n or 200} proposals", scale.get("pack"), PACK_200_TARGET)
    if "growth" in scale:
        n0, n1, growth = scale["growth"]
        row(f"draft pack time growth, {n0} -> {n1} proposals", growth, GROWTH_TARGET, unit="x",
            vs=False)
    else:
        row("draft pack time growth", None, GROWTH_TARGET, unit="x")
    pss = scale.get("pss")
    row(f"draft pack, {n or 200} proposals, peak PSS (MB)", pss, PSS_TARGET, unit="M", vs=False)


# --- A/B: what a piece of machinery buys ------------------------------------------------

def section_against(opts):
    """Paired cold runs of each command: this checkout (A) and another copy of it (B),
    e.g. one with a piece of speed machinery disabled, alternately (ABBA...), so that the
    machine's load drifts over both alike. Prints both medians and minimums and the
    median of the paired differences B - A."""
    other = Path(opts.against).resolve()
    print(f"\n# paired cold runs, {opts.runs} pairs each: A = {ROOT}, B = {other} ({load()})")
    print(f"{'command':44} {'A med':>7} {'B med':>7} {'A min':>7} {'B min':>7} {'B-A med':>8}")
    cases = [(label, args, None) for label, args, _t in CASES]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if not opts.skip_scale:
            n = max(int(s) for s in opts.sizes.split(","))
            synth = tmp / "synthetic"
            case = make_synthetic(synth, n)
            cases.append((f"draft check, {n} proposals", ["check", "--case", case], synth))
        for label, args, root in cases:
            if opts.only and opts.only not in label:
                continue
            out = None if args[0] == "check" else tmp / "out"

            def once(code, args=args, out=out, root=root):
                t, res = draft(args, out and fresh(out), root or code, check=False, code=code)
                if res.returncode not in (0, 1):  # draft check: 1 when it finds problems
                    raise SystemExit(f"draft {' '.join(args)} failed in {code}: {res.stderr[:400]}")
                return t
            once(ROOT), once(other)  # warm-ups: .pyc files and caches exist on both sides
            a, b = [], []
            for i in range(opts.runs):
                for code in ((ROOT, other) if i % 2 == 0 else (other, ROOT)):
                    (a if code == ROOT else b).append(once(code))
            diff = statistics.median(y - x for x, y in zip(a, b))
            print(f"{label:44} {statistics.median(a):7.3f} {statistics.median(b):7.3f} "
                  f"{min(a):7.3f} {min(b):7.3f} {diff * 1000:+7.0f}ms", flush=True)


# --- profile -------------------------------------------------------------------------

# One run profiled in-process, after the imports a DOCX reply needs (-X importtime shows
# those), so that the profile is the run's own work; per-process caches start empty, as
# in a drafter's run.
PROFILE_CHILD = r'''
import cProfile, sys
import docx, drafting.api, drafting.cli, drafting.validate.check, drafting.writers.docx
prof, args = sys.argv[1], sys.argv[2:]
profile = cProfile.Profile()
profile.enable()
try:
    drafting.cli.main(args, standalone_mode=False)
finally:
    profile.disable()
    profile.dump_stats(prof)
'''


def section_profile(opts):
    print(f"\n# profile of `draft reply --format docx` ({load()})")
    with tempfile.TemporaryDirectory() as tmp:
        args = [sys.executable, "-X", "importtime", "-m", "drafting", "reply", "--format", "docx",
                "--out", tmp]
        subprocess.run(args, capture_output=True, env=child_env())
        res = subprocess.run(args, capture_output=True, text=True, env=child_env())
        rows = []
        for ln in res.stderr.splitlines():
            m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)", ln)
            if m and not m.group(3):  # top-level imports only
                rows.append((int(m.group(2)), m.group(4)))
        print("top-level imports (cumulative ms):")
        for us, name in sorted(rows, reverse=True)[:12]:
            print(f"  {us / 1000:7.1f}  {name}")
        prof = Path(tmp) / "prof.out"
        subprocess.run([sys.executable, "-c", PROFILE_CHILD, str(prof), "reply", "--format",
                        "docx", "--out", str(Path(tmp) / "profiled")], check=True,
                       capture_output=True, env=child_env())
        import pstats
        print("cProfile of one run in a process that has imported the package (the imports "
              "are above), by cumulative time:")
        stats = pstats.Stats(str(prof))
        stats.sort_stats("cumulative").print_stats(r"drafting|docx|jinja2|yaml|zipfile", 25)
        print("by own time:")
        stats.sort_stats("tottime").print_stats(15)


# --- 5. the preview and the decisions ------------------------------------------------

def _copy_workspace(dest: Path) -> Path:
    for name in ("clauses", "templates", "letters"):
        shutil.copytree(ROOT / name, dest / name)
    return dest


def _preview_refresh(root: Path, runs: int) -> list:
    """`draft preview` as a drafter starts it (a process); each run saves a clause file
    of the reply and times until the server-sent event and then the re-rendered HTML of
    reply.fr, carrying the saved words, have arrived (what the page does on the event)."""
    import http.client
    import queue
    from urllib.parse import urlsplit
    proc = subprocess.Popen([sys.executable, "-m", "drafting", "--root", str(root), "preview"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=child_env())
    try:
        url = urlsplit(proc.stdout.readline().strip())
        if not url.port:
            raise SystemExit(f"draft preview did not start: {proc.stderr.read()[:400]}")
        token = url.query.split("token=", 1)[1]
        cookie = {"Cookie": f"draft_preview={token}", "Host": f"127.0.0.1:{url.port}"}

        def get(path):
            conn = http.client.HTTPConnection("127.0.0.1", url.port, timeout=30)
            conn.request("GET", path, headers=cookie)
            body = conn.getresponse().read().decode("utf-8")
            conn.close()
            return body
        events = queue.Queue()

        def listen():
            conn = http.client.HTTPConnection("127.0.0.1", url.port)
            conn.request("GET", "/events", headers=cookie)
            resp = conn.getresponse()
            while True:
                raw = resp.fp.readline()
                if not raw:
                    return
                if raw.startswith(b"data:"):
                    events.put(time.perf_counter())
        threading.Thread(target=listen, daemon=True).start()
        get("/doc/reply.fr")  # warm: the first render compiles the templates
        get("/problems")      # and the check's worker has started
        time.sleep(1.0)
        clause = root / "clauses" / "joint-patrols.yaml"
        text = clause.read_text(encoding="utf-8")
        old = "Vous proposez des patrouilles conjointes"
        if old not in text:
            raise SystemExit(f"{clause}: the bench edits '{old}', no longer there")
        times = []
        for n in range(runs + 1):
            word = f"bench{n}"
            while not events.empty():
                events.get()
            t0 = time.perf_counter()
            clause.write_text(text.replace(old, f"Vous proposez ({word}) des patrouilles conjointes"),
                              encoding="utf-8")
            events.get(timeout=10)
            while f"({word})" not in get("/doc/reply.fr"):
                if time.perf_counter() - t0 > 10:
                    raise SystemExit("draft preview: the page did not refresh within 10 s")
            if n:  # the first is a warm-up
                times.append(time.perf_counter() - t0)
            time.sleep(0.6)  # the check the save started ends, as a drafter reads
        return times
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def section_preview(opts):
    print(f"\n# the preview and the decisions, {opts.runs} runs each ({load()})")
    print(f"{'what':44} {'median':>8} {'min':>8} {'target':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        root = _copy_workspace(Path(tmp))
        positions = ["accept-with-conditions", "decline"]
        draft(["set", "position", "joint-patrols", positions[0]], None, root)  # warm-up
        times = [draft(["set", "position", "joint-patrols", positions[(n + 1) % 2]], None, root)[0]
                 for n in range(opts.runs)]
        line("draft set position (a process)", times, 0.3)
        draft(["set", "position", "joint-patrols", "decline"], None, root)
        line("draft preview: save to refreshed reply.fr", _preview_refresh(root, opts.runs), 0.5)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--only", default=None, help="run only commands whose label contains this")
    ap.add_argument("--skip-compare", action="store_true")
    ap.add_argument("--skip-scale", action="store_true")
    ap.add_argument("--skip-preview", action="store_true")
    ap.add_argument("--preview", action="store_true", help="only the preview and decisions section")
    ap.add_argument("--sizes", default="50,100,200", help="proposals of the synthetic cases")
    ap.add_argument("--scale-runs", type=int, default=3)
    ap.add_argument("--profile", action="store_true", help="only profile a DOCX reply")
    ap.add_argument("--against", metavar="DIR", default=None,
                    help="only paired runs against another copy of the checkout (e.g. with "
                         "one piece of speed machinery disabled): what that piece buys")
    opts = ap.parse_args()
    if opts.profile:
        section_profile(opts)
        return
    if opts.against:
        section_against(opts)
        return
    if opts.preview:
        section_preview(opts)
        return
    results = section_commands(opts)
    docassemble = None
    if not opts.skip_compare:
        reply = results.get("draft reply (4 files)")
        if reply is None:
            reply = results["draft reply (4 files)"] = statistics.median(timed(["reply"], opts.runs))
        docassemble = section_compare(opts, reply)
    scale = section_scale(opts) if not opts.skip_scale else {}
    if not opts.skip_preview:
        section_preview(opts)
    section_targets(results, docassemble, scale)


if __name__ == "__main__":
    main()
