"""What every command shares: the workspace, the case options, writing the output."""
from __future__ import annotations

from pathlib import Path

import click

from drafting.cli.complete import complete_case, complete_position_pair
from drafting.inputs.brief import AUDIENCES
from drafting.inputs.library import LANGS


class _Lazy:
    """drafting.api, imported on first use: `draft --help` and `draft clauses` need
    neither Jinja nor lxml."""

    def __getattr__(self, name):
        from drafting import api as module
        return getattr(module, name)


api = _Lazy()


class Context:
    def __init__(self, root, debug, verbosity=0):
        self.root, self.debug = root, debug
        self.verbosity = verbosity  # -1 --quiet, 0, 1 --verbose
        self.workspace = None  # found on first use: `draft --help` looks for none


# The command groups whose subcommands live in several modules (each by what it does):
# one group each, so `draft clause --help` lists and shows them all.
@click.group(epilog="""
\b
Examples:
  draft clause new ferry-links --positions accept,decline
  draft clause promote night-train-connection --case 2021-11-08-nl
  draft clause rehash joint-patrols         # its English now renders its French
  draft clause rehash --all                 # every clause and agreement file
""")
def clause():
    """Maintain the clause library's files: a new clause (new), a case's own clause
    shared with every case (promote), the record that an English renders its French
    (rehash)."""


@click.group(epilog="""
\b
Examples:
  draft proposal add --case 2022-02-07-verlinden --from-line 31
  draft proposal drop domestic-measures --case 2022-02-07-verlinden
  draft proposal rename night-train night-trains --case 2021-11-08-nl
""")
def proposal():
    """Change the letter's proposals: add one (a sentence ingest left out, or by hand),
    drop one read by mistake, rename one."""


def _workspace(ctx):
    """The workspace of this run: --root (an error if it is not one), else the nearest
    from the current folder upward, else the data shipped in the package (read-only)."""
    if ctx.obj.workspace is None:
        from drafting.inputs.workspace import locate
        ctx.obj.workspace = locate(ctx.obj.root)
    return ctx.obj.workspace


def _root(ctx):
    return _workspace(ctx).root


def _writable_root(ctx, command):
    """The workspace root for a command that writes into it (release, signoff, absorb,
    ingest); a clear error when there is no workspace, never a write into the package."""
    return _workspace(ctx).require_writable(command)


def case_option(help="Case folder under letters/ (default: 2021-11-25-uk-pm)."):
    return click.option("--case", "case", default=None, shell_complete=complete_case, help=help)


def brief_option(f):
    return click.option("--brief", type=click.Path(dir_okay=False), default=None,
                        help="Another brief file (default: the case's brief.yaml).")(f)


def case_brief_options(f):
    """--case and --brief: the commands that edit the brief (draft set, order ...)."""
    return brief_option(case_option()(f))


def case_options(f):
    f = case_brief_options(f)
    f = click.option("--position", "positions", multiple=True, metavar="KEY=POSITION",
                     shell_complete=complete_position_pair,
                     help="Override one position of the brief (repeatable).")(f)
    return f


def lang_option(help="Language(s) to write."):
    return click.option("--lang", type=click.Choice([*LANGS, "all"]), default="all",
                        show_default=True, help=help)


def format_option(formats=("docx", "pdf"), help="Format(s) to write."):
    return click.option("--format", "fmt", type=click.Choice([*formats, "all"]), default="all",
                        show_default=True, help=help)


def out_option(f):
    return click.option("--out", type=click.Path(file_okay=False), default=None,
                        help="Output folder (default: output/ in the workspace; ./output outside one).")(f)


def audience_option(help="Who may read it (default: the brief's): external drops notes, "
                         "internal fields and draft marks."):
    return click.option("--audience", type=click.Choice(AUDIENCES), default=None, expose_value=False,
                        callback=lambda ctx, _param, value: ctx.meta.__setitem__("draft.audience", value),
                        help=help)


def _set_pdf_variant(_ctx, _param, value):
    from drafting.writers.variant import set_pdf_variant
    set_pdf_variant(None if value in (None, "standard") else value)


def output_options(f):
    f = lang_option()(f)
    f = format_option()(f)
    f = out_option(f)
    f = audience_option()(f)
    f = click.option("--pdf", "pdf_variant", type=click.Choice(["standard", "pdf/a-2u", "pdf/ua-1"]),
                     default="standard", show_default=True, expose_value=False,
                     callback=_set_pdf_variant,
                     help="The PDF's kind: pdf/a-2u for the archive, pdf/ua-1 for accessibility "
                          "(both with XMP metadata, title, language, tagged headings).")(f)
    f = click.option("--force", is_flag=True, expose_value=False,
                     callback=lambda ctx, _param, value: ctx.meta.__setitem__("draft.force", value),
                     help="Overwrite generated files a person has edited since (a backup of each is kept).")(f)
    return f


def _load_case(ctx, case, brief, positions, pdfs=False):
    """Load the case; --audience (if given) overrides the brief's audience. With
    several PDFs to come (`pdfs`), the PDF process starts first and loads WeasyPrint
    on the other core meanwhile (pdfs.py)."""
    from drafting.inputs.case import load_case
    if pdfs:
        from drafting.writers.pdfs import prepare_pdfs
        prepare_pdfs(_workspace(ctx).templates)
    c = load_case(_root(ctx), case, brief, positions)
    c.read_only = _workspace(ctx).embedded
    if ctx.meta.get("draft.audience"):
        c.brief.audience = ctx.meta["draft.audience"]
    return c


def _several_pdfs(lang, fmt):
    return lang == "all" and "pdf" in _formats(fmt)


def _langs(lang):
    return LANGS if lang == "all" else (lang,)


def _formats(fmt, every=None):
    """The formats --format asked for: `every` (default: api.FORMATS) for all."""
    return (every or api.FORMATS) if fmt == "all" else (fmt,)


def _write(ctx, files, out, quiet=False, **kw):
    """Write all files or none; print each path unless `quiet`; return the paths."""
    from drafting.store.output import write_files
    out_dir = Path(out) if out else _workspace(ctx).output
    kw.setdefault("force", ctx.meta.get("draft.force", False))
    paths = write_files(out_dir, files, **kw)
    level = getattr(ctx.obj, "verbosity", 0)
    if level >= 0:
        for note in getattr(paths, "notes", ()):  # an interrupted run repaired, a backup kept
            click.echo(note, err=True)
    if not quiet and level >= 0:
        written = set(getattr(paths, "written", ()))
        for path in paths:
            if level > 0:
                said = "wrote" if path in written else "unchanged"
                click.echo(f"{said:9} {path} ({path.stat().st_size:,} bytes)")
            else:
                click.echo(str(path))
    return paths
