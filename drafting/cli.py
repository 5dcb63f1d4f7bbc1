"""The `draft` command: a thin click layer over the library API."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import DraftError


class _Lazy:
    """drafting.api, imported on first use: `draft --help` and `draft clauses` need
    neither Jinja nor lxml."""

    def __getattr__(self, name):
        from . import api as module
        return getattr(module, name)


api = _Lazy()

EXAMPLES = """
\b
Examples:
  draft reply                                   # the default case: 4 files in output/
  draft reply --lang fr --format docx           # the French DOCX only (fast)
  draft reply --position joint-patrols=accept-with-conditions
  draft reply --brief letters/2021-11-25-uk-pm/brief-president.yaml
  draft agenda                                  # both meeting agendas
  draft declaration                             # the draft joint declaration
  draft proposals                               # what the letter asks
  draft clauses                                 # the clause library
"""


class Context:
    def __init__(self, root, debug):
        self.root, self.debug = root, debug


def _root(ctx):
    from .case import find_root
    return Path(ctx.obj.root) if ctx.obj.root else find_root()


@click.group(epilog=EXAMPLES, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--root", type=click.Path(file_okay=False), default=None,
              help="Project folder (default: found from the current folder).")
@click.option("--debug", is_flag=True, help="Show the traceback of an error.")
@click.pass_context
def main(ctx, root, debug):
    """Draft the documents that answer an incoming letter: the reply (French original
    and English courtesy translation), as DOCX for review and PDF for circulation."""
    ctx.obj = Context(root, debug)


def case_options(f):
    f = click.option("--case", "case", default=None, help="Case folder under letters/ (default: 2021-11-25-uk-pm).")(f)
    f = click.option("--brief", type=click.Path(dir_okay=False), default=None,
                     help="Another brief file (default: the case's brief.yaml).")(f)
    f = click.option("--position", "positions", multiple=True, metavar="KEY=POSITION",
                     help="Override one position of the brief (repeatable).")(f)
    return f


def output_options(f):
    f = click.option("--lang", type=click.Choice(["fr", "en", "all"]), default="all", show_default=True,
                     help="Language(s) to write.")(f)
    f = click.option("--format", "fmt", type=click.Choice(["docx", "pdf", "all"]), default="all",
                     show_default=True, help="Format(s) to write.")(f)
    f = click.option("--out", type=click.Path(file_okay=False), default=None,
                     help="Output folder (default: output/ in the project).")(f)
    f = click.option("--audience", type=click.Choice(["internal", "interministerial", "external"]),
                     default=None, expose_value=False,
                     callback=lambda ctx, _param, value: ctx.meta.__setitem__("draft.audience", value),
                     help="Who may read it (default: the brief's): external drops notes, "
                          "internal fields and draft marks.")(f)
    f = click.option("--force", is_flag=True, expose_value=False,
                     callback=lambda ctx, _param, value: ctx.meta.__setitem__("draft.force", value),
                     help="Overwrite generated files a person has edited since (a backup of each is kept).")(f)
    return f


def _load_case(ctx, case, brief, positions, pdfs=False):
    """Load the case; --audience (if given) overrides the brief's audience. With
    several PDFs to come (`pdfs`), the PDF process starts first and loads WeasyPrint
    on the other core meanwhile (pdfs.py)."""
    from .case import load_case
    if pdfs:
        from .pdfs import prepare_pdfs
        prepare_pdfs(_root(ctx) / "templates")
    c = load_case(_root(ctx), case, brief, positions)
    if ctx.meta.get("draft.audience"):
        c.brief.audience = ctx.meta["draft.audience"]
    return c


def _several_pdfs(lang, fmt):
    return lang == "all" and "pdf" in _formats(fmt)


def _langs(lang):
    return api.LANGS if lang == "all" else (lang,)


def _formats(fmt):
    return api.FORMATS if fmt == "all" else (fmt,)


def _write(ctx, files, out, quiet=False, **kw):
    """Write all files or none; print each path unless `quiet`; return the paths."""
    from .output import write_files
    out_dir = Path(out) if out else _root(ctx) / "output"
    kw.setdefault("force", ctx.meta.get("draft.force", False))
    paths = write_files(out_dir, files, **kw)
    for note in getattr(paths, "notes", ()):  # an interrupted run repaired, a backup kept
        click.echo(note, err=True)
    if not quiet:
        for path in paths:
            click.echo(str(path))
    return paths


@main.command(epilog="""
\b
Example:
  draft reply --lang fr --format pdf --out /tmp/drafts
""")
@case_options
@output_options
@click.option("--final", is_flag=True, help="Fair copy for signature: no draft marks, date left for the signature.")
@click.pass_context
def reply(ctx, case, brief, positions, lang, fmt, out, final):
    """Write the reply letter and its English courtesy translation."""
    c = _load_case(ctx, case, brief, positions, pdfs=_several_pdfs(lang, fmt))
    if final:  # the fair copy waits for the brief's whole clearance chain (signoff.py)
        from .signoff import require_cleared
        require_cleared(c, "reply", _langs(lang))
    files = api.render_files(c, "reply", _langs(lang), _formats(fmt), final=final)
    _write(ctx, files, out)


AGENDA_KINDS = {"circulation": ("agenda",), "annotated": ("annotated-agenda",),
                "all": ("agenda", "annotated-agenda")}


@main.command(epilog="""
\b
Examples:
  draft agenda                                  # both agendas, fr+en, docx+pdf
  draft agenda --which circulation --lang fr --format pdf
  draft agenda --which annotated --position airborne-surveillance=counter
""")
@case_options
@output_options
@click.option("--which", type=click.Choice(list(AGENDA_KINDS)), default="all", show_default=True,
              help="The circulation agenda (for delegations), the annotated agenda (internal), or both.")
@click.pass_context
def agenda(ctx, case, brief, positions, lang, fmt, out, which):
    """Write the agendas of the ministerial meeting: the circulation agenda for
    delegations and the annotated agenda for the minister (internal)."""
    c = _load_case(ctx, case, brief, positions, pdfs=_several_pdfs(lang, fmt))
    files = {}
    for kind in AGENDA_KINDS[which]:
        files.update(api.render_files(c, kind, _langs(lang), _formats(fmt)))
    _write(ctx, files, out)


@main.command(epilog="""
\b
Examples:
  draft declaration                             # fr+en, docx+pdf
  draft declaration --lang en --format pdf --out /tmp/drafts
  draft declaration --position calais-meeting=welcome
""")
@case_options
@output_options
@click.pass_context
def declaration(ctx, case, brief, positions, lang, fmt, out):
    """Write the draft joint declaration of the ministerial meeting, built from the
    positions the brief puts on the table."""
    c = _load_case(ctx, case, brief, positions, pdfs=_several_pdfs(lang, fmt))
    files = api.render_files(c, "declaration", _langs(lang), _formats(fmt))
    _write(ctx, files, out)


@main.command(epilog="""
\b
Examples:
  draft agreement readmission                      # France's copy, treaty register
  draft agreement operational-cooperation --register mou --copy uk
  draft agreement readmission --parallel --format pdf
""")
@click.argument("kind")
@case_options
@output_options
@click.option("--copy", "copy_", type=click.Choice(["fr", "uk"]), default="fr", show_default=True,
              help="The alternat: whose copy (that side comes first in both texts).")
@click.option("--register", type=click.Choice(["treaty", "mou"]), default="treaty", show_default=True,
              help="Binding treaty or non-binding arrangement (memorandum of understanding).")
@click.option("--parallel", is_flag=True, help="One document, the two texts side by side.")
@click.option("--omit-declined", is_flag=True, default=None,
              help="Leave out articles on declined proposals (default: the brief's choice).")
@click.pass_context
def agreement(ctx, kind, case, brief, positions, lang, fmt, out, copy_, register, parallel, omit_declined, **kw):
    """Write the skeleton of a draft agreement KIND (readmission, operational-cooperation)."""
    c = _load_case(ctx, case, brief, positions, pdfs=_several_pdfs(lang, fmt) and not parallel)
    files = api.render_files(c, "agreement", _langs(lang), _formats(fmt), agreement_kind=kind,
                             copy=copy_, register=register, parallel=parallel,
                             omit_declined=omit_declined)
    _write(ctx, files, out, **kw)


@main.command(epilog="""
\b
Example:
  draft pack --out /tmp/calais
""")
@case_options
@output_options
@click.pass_context
def pack(ctx, case, brief, positions, lang, fmt, out, **kw):
    """Write every document of the case: reply, agendas, declaration, agreements."""
    import sys
    from .pack import pack_jobs, render_pack
    c = _load_case(ctx, case, brief, positions, pdfs="pdf" in _formats(fmt))
    jobs = pack_jobs(c, _langs(lang))
    formats = _formats(fmt)
    total = len(jobs) * len(formats)
    done = []
    tty = sys.stderr.isatty()

    def progress(name):
        done.append(name)
        if tty:
            click.echo(f"\r[{len(done)}/{total}] {name:60}", err=True, nl=False)

    files = render_pack(c, jobs, formats, progress=progress)
    if tty:
        click.echo("", err=True)
    paths = _write(ctx, files, out, quiet=True, **kw)
    click.echo(f"{'file':52} {'size':>9}")
    for path in paths:
        click.echo(f"{path.name:52} {path.stat().st_size:>9,}")
    click.echo(f"{len(paths)} files in {paths[0].parent if paths else out}")


@main.command(epilog="""
\b
Examples:
  draft check                                   # the default case and the library
  draft check --position joint-patrols=accept   # would this override hold?
  draft check --strict --json > problems.json   # warnings fail too; for machines
""")
@case_options
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--json", "as_json", is_flag=True, help="Print the problems as a JSON list.")
@click.pass_context
def check(ctx, case, brief, positions, strict, as_json):
    """Validate the case and the clause library, reporting every problem at once as
    path:line: problem - hint. Exit 1 on any error (0 with warnings only)."""
    import json
    from .check import check_case, format_problem, summary
    problems = check_case(_root(ctx), case, brief, positions, strict=strict)
    if as_json:
        click.echo(json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2))
    else:
        for p in problems:
            click.echo(format_problem(p))
        click.echo(summary(problems))
    if any(p.severity == "error" for p in problems):
        sys.exit(1)  # not ctx.exit: run() calls click with standalone_mode=False


MATRIX_FORMATS = ("docx", "pdf", "csv")


@main.command(epilog="""
\b
Examples:
  draft matrix                                  # fr+en, docx+pdf+csv, landscape
  draft matrix --lang fr --format csv           # for a spreadsheet
  draft matrix --position joint-patrols=accept-with-conditions
""")
@case_options
@click.option("--lang", type=click.Choice(["fr", "en", "all"]), default="all", show_default=True,
              help="Language(s) to write.")
@click.option("--format", "fmt", type=click.Choice([*MATRIX_FORMATS, "all"]), default="all",
              show_default=True, help="Format(s) to write.")
@click.option("--out", type=click.Path(file_okay=False), default=None,
              help="Output folder (default: output/ in the project).")
@click.pass_context
def matrix(ctx, case, brief, positions, lang, fmt, out):
    """Write the response matrix: one row per proposal with its quote, position, line
    taken in the reply, agenda item, declaration paragraph, agreement article, owner and
    clearance state (landscape DOCX and PDF, CSV for a spreadsheet)."""
    from .matrix import matrix_csv
    c = _load_case(ctx, case, brief, positions, pdfs=_several_pdfs(lang, fmt))
    formats = MATRIX_FORMATS if fmt == "all" else (fmt,)
    files = api.render_files(c, "matrix", _langs(lang), [f for f in formats if f != "csv"])
    if "csv" in formats:
        for code in _langs(lang):
            files[f"matrix.{code}.csv"] = matrix_csv(c, code)
    _write(ctx, files, out)


@main.command(epilog="""
\b
Examples:
  draft ingest incoming/2022-03-14-trade.pdf --case 2022-03-14-trade
  draft reply --case 2022-03-14-trade        # a reply skeleton at once
  draft check --case 2022-03-14-trade        # what is still to draft
""")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--case", default=None, help="Name of the new case (default: <date>-<sender>).")
@click.pass_context
def ingest(ctx, path, case):
    """Make a new case from an incoming letter (plain text, DOCX or PDF): its text,
    metadata, numbered paragraphs and proposals, each matched to the clause library
    or given a stub clause marked [TO BE DRAFTED: ...]; and a brief with safe defaults."""
    from .ingest import ingest as do_ingest
    from .letter import load_letter
    root = _root(ctx)
    folder = do_ingest(path, case, root)
    letter = load_letter(folder)
    import yaml as _yaml
    raw = _yaml.load((folder / "letter.yaml").read_text(encoding="utf-8"), Loader=_yaml.CSafeLoader)
    click.echo(f"case {folder.name}: {len(letter.proposals)} proposals")
    for item in raw.get("proposals") or []:
        info = item.get("ingested") or {}
        where = f"\u00a7{item['paragraph']}" + (f".{item['bullet']}" if item.get("bullet") else "")
        match = info.get("match", "new")
        words = ", ".join(info.get("matched_words") or [])
        click.echo(f"  {item['key']:40} {where:7} {'matched' if match != 'new' else 'NEW    '}"
                   f" score {info.get('score', 0):>5}  {words}")
    click.echo(f"wrote {folder}")


@main.command(epilog="\b\nExample:\n  draft proposals --case 2021-11-25-uk-pm")
@click.option("--case", default=None, help="Case folder under letters/.")
@click.pass_context
def proposals(ctx, case):
    """List the proposals of the incoming letter, with their keys and quotes."""
    from .case import case_folder
    from .letter import load_letter
    letter = load_letter(case_folder(_root(ctx), case))
    for p in letter.proposals:
        click.echo(f"{p.key:24} {p.where:16} {p.title.get('en', '')}")
        click.echo(f"{'':24} \u201c{p.quote}\u201d")


@main.command(epilog="\b\nExample:\n  draft clauses")
@click.pass_context
def clauses(ctx):
    """List the clause library: key, positions, languages, owner, version, cleared."""
    from .library import load_library
    lib = load_library(_root(ctx) / "clauses")
    for key, c in lib.items():
        langs = sorted({lang for pos in c.positions.values() for f in pos.values()
                        if isinstance(f, dict) for lang in f if lang in ("fr", "en")})
        click.echo(f"{key:24} v{c.version:<3} {'/'.join(langs):6} {c.owner}")
        click.echo(f"{'':24} positions: {', '.join(c.positions)}; cleared {c.cleared_date or '-'}"
                   f" (v{c.cleared_version or '-'})")


# what a mistyped option value is called in an error: --lang fre -> unknown language 'fre'
_NOUNS = {"lang": "language", "fmt": "format", "audience": "audience", "role": "role",
          "which": "agenda", "copy_": "copy", "register": "register"}


def _raw_value(argv, param):
    for i, arg in enumerate(argv):
        for opt in getattr(param, "opts", ()):
            if arg == opt and i + 1 < len(argv):
                return argv[i + 1]
            if arg.startswith(opt + "="):
                return arg.split("=", 1)[1]
    return None


def _usage_message(exc, argv) -> str:
    """A click usage error in the tool's own shape: `where: problem - hint`."""
    import re
    from .errors import closest
    ctx = exc.ctx
    where = ctx.command_path if ctx else "draft"
    msg = exc.message.rstrip(".")
    param = getattr(exc, "param", None)
    if isinstance(exc, click.BadParameter) and param is not None:
        opt = param.opts[0] if getattr(param, "opts", None) else param.human_readable_name
        value = _raw_value(argv, param)
        if isinstance(param.type, click.Choice) and value is not None:
            choices = [str(c) for c in param.type.choices]
            hint = closest(value, choices)
            return (f"{opt}: unknown {_NOUNS.get(param.name, 'value')} '{value}' - "
                    + (f"did you mean '{hint}'? " if hint else "") + "choose from: " + ", ".join(choices))
        if isinstance(param.type, click.Path) and value is not None:
            problem = msg.replace(f" {value!r}", "").replace(f" '{value}'", "")
            problem = "is a file, not a folder" if problem.endswith("is a file") else problem
            return f"{value}: {problem[:1].lower()}{problem[1:]} - check {opt}"
        return f"{opt}: {msg} - see '{where} --help'"
    m = re.match(r"No such command '(.+?)'", msg)
    if m and ctx is not None and isinstance(ctx.command, click.Group):
        names = sorted(ctx.command.commands)
        hint = closest(m.group(1), names)
        return (f"{where}: unknown command '{m.group(1)}' - "
                + (f"did you mean '{hint}'?" if hint else "commands: " + ", ".join(names)))
    return f"{where}: {msg} - see '{where} --help'"


def _register_version_commands():
    """release, versions, signoff, compare, absorb (cli_versions.py)."""
    from .cli_versions import COMMANDS
    for command in COMMANDS:
        main.add_command(command)


_register_version_commands()


def run(argv=None):
    """Entry point: `--debug` shows tracebacks; otherwise errors are one line each."""
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    try:
        main.main(args=argv, prog_name="draft", standalone_mode=False)
    except DraftError as exc:
        if debug:
            raise
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.UsageError as exc:
        click.echo(_usage_message(exc, argv), err=True)
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except OSError as exc:
        if debug:
            raise
        click.echo(f"{getattr(exc, 'filename', '') or ''}: {exc.strerror or exc} - check the path and permissions", err=True)
        sys.exit(3)
    except Exception as exc:  # a bug: still one line, never a traceback without --debug
        if debug:
            raise
        click.echo(f"draft: internal error ({type(exc).__name__}: {exc}) - this is a bug in "
                   f"draft; run again with --debug and report the traceback", err=True)
        sys.exit(70)
    finally:
        if "drafting.pdfs" in sys.modules:  # a PDF process started for a run that failed
            sys.modules["drafting.pdfs"].discard_prepared()


if __name__ == "__main__":  # pragma: no cover
    run()
