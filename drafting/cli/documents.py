"""The commands that write documents: reply, agenda, declaration, agreement, pack, matrix."""
from __future__ import annotations

import sys

import click

from drafting.cli.common import (
    _formats,
    _langs,
    _load_case,
    _several_pdfs,
    _write,
    api,
    audience_option,
    case_options,
    format_option,
    lang_option,
    out_option,
    output_options,
)
from drafting.cli.complete import complete_agreement_kind, complete_kind


@click.command(epilog="""
\b
Example:
  draft reply --lang fr --format pdf --out /tmp/drafts
""")
@case_options
@output_options
@click.option("--final", is_flag=True,
              help="Fair copy for signature, once the brief's clearance chain cleared this text: "
              "no comment, note, flag or draft line, date left for the signature.")
@click.pass_context
def reply(ctx, case, brief, positions, lang, fmt, out, final):
    """Write the reply letter and its English courtesy translation."""
    c = _load_case(ctx, case, brief, positions, pdfs=_several_pdfs(lang, fmt))
    # the fair copy waits for the brief's whole clearance chain, for whatever audience
    # (api.render_files, lifecycle/signoff.py); a brief that says no one clears it gets
    # it with a note naming its reason
    files = api.render_files(c, "reply", _langs(lang), _formats(fmt), final=final)
    _notes(files)
    _write(ctx, files, out)


def _notes(files):
    for note in getattr(files, "notes", ()):
        click.echo(note, err=True)


AGENDA_KINDS = {"circulation": ("agenda",), "annotated": ("annotated-agenda",),
                "all": ("agenda", "annotated-agenda")}


@click.command(epilog="""
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


@click.command(epilog="""
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


@click.command(epilog="""
\b
Examples:
  draft agreement readmission                      # France's copy, treaty register
  draft agreement operational-cooperation --register mou --copy uk
  draft agreement readmission --parallel --format pdf
""")
@click.argument("kind", shell_complete=complete_agreement_kind)
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
    from drafting.documents.agreement import omissions  # what --omit-declined took out
    for line in omissions(c, kind, "en", copy=copy_, register=register,
                          omit_declined=omit_declined, audience=c.brief.audience):
        click.echo(f"note: {line}", err=True)


@click.command(epilog="""
\b
Example:
  draft pack --out /tmp/calais
""")
@case_options
@output_options
@click.pass_context
def pack(ctx, case, brief, positions, lang, fmt, out, **kw):
    """Write every document of the case: reply, agendas, declaration, agreements."""
    c = _load_case(ctx, case, brief, positions, pdfs="pdf" in _formats(fmt))
    jobs = api.pack_jobs(c, _langs(lang))
    formats = _formats(fmt)
    total = len(jobs) * len(formats)
    done = []
    tty = sys.stderr.isatty()

    def progress(name):
        done.append(name)
        if tty:
            click.echo(f"\r[{len(done)}/{total}] {name:60}", err=True, nl=False)

    files = api.render_pack(c, jobs, formats, progress=progress)
    if tty:
        click.echo("", err=True)
    paths = _write(ctx, files, out, quiet=True, **kw)
    click.echo(f"{'file':52} {'size':>9}")
    for path in paths:
        click.echo(f"{path.name:52} {path.stat().st_size:>9,}")
    click.echo(f"{len(paths)} files in {paths[0].parent if paths else out}")


MATRIX_FORMATS = ("docx", "pdf", "csv")


@click.command(epilog="""
\b
Examples:
  draft matrix                                  # fr+en, docx+pdf+csv, landscape
  draft matrix --lang fr --format csv           # for a spreadsheet
  draft matrix --position joint-patrols=accept-with-conditions
""")
@case_options
@lang_option()
@format_option(MATRIX_FORMATS)
@out_option
@audience_option("Who may read it (default: the brief's): a wider audience than internal "
                 "gets no Owner and Clearance columns.")
@click.option("--csv-sep", "csv_sep", type=click.Choice(["auto", ";", ",", "tab"]), default="auto",
              show_default=True,
              help="The CSV's field separator: auto is ';' for the French file (what a French-locale "
                   "spreadsheet expects) and ',' for the English one.")
@click.pass_context
def matrix(ctx, case, brief, positions, lang, fmt, out, csv_sep):
    """Write the response matrix: one row per proposal with its quote, position, line
    taken in the reply, agenda item, declaration paragraph, agreement article, owner and
    clearance state (landscape DOCX and PDF, CSV for a spreadsheet)."""
    from drafting.documents.matrix import matrix_csv
    c = _load_case(ctx, case, brief, positions, pdfs=_several_pdfs(lang, fmt))
    c.memo = {}  # the table and the CSV read the same declaration and agreements: built once
    formats = _formats(fmt, MATRIX_FORMATS)
    files = api.render_files(c, "matrix", _langs(lang), [f for f in formats if f != "csv"])
    if "csv" in formats:
        for code in _langs(lang):
            sep = {"auto": ";" if code == "fr" else ",", "tab": "\t"}.get(csv_sep, csv_sep)
            files[f"matrix.{code}.csv"] = matrix_csv(c, code, c.brief.audience, sep=sep)
    _write(ctx, files, out)


def _option_pairs(pairs) -> dict:
    """--set NAME=VALUE pairs as the kind's options (flags: true/false)."""
    from drafting.errors import InputError
    opts = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise InputError(f"--set {pair}: expected NAME=VALUE", hint="e.g. --set register=mou")
        name = name.strip().replace("-", "_")
        opts[name] = {"true": True, "false": False}.get(value.strip().lower(), value.strip())
    return opts


@click.command(epilog="""
\b
Examples:
  draft document reply --lang fr                # any kind of the registry, by name
  draft document agreement --set agreement_kind=readmission --set register=mou
""")
@click.argument("kind", shell_complete=complete_kind)
@case_options
@output_options
@click.option("--final", is_flag=True, help="Fair copy for signature: no draft marks.")
@click.option("--set", "settings", multiple=True, metavar="NAME=VALUE",
              help="An option of the kind (see its entry in the registry); repeatable.")
@click.pass_context
def document(ctx, kind, case, brief, positions, lang, fmt, out, final, settings):
    """Write any document kind of the registry (drafting/documents/registry.py), in the
    languages and formats asked: the generic form of reply, agenda, declaration ..."""
    from drafting.documents.registry import kind_of
    from drafting.errors import InputError
    spec = kind_of(kind)
    opts = _option_pairs(settings)
    for name in opts:
        if not spec.accepts(name):
            raise InputError(f"--set {name}: not an option of '{kind}'",
                             hint="options: " + (", ".join(sorted(spec.options)) or "none"))
    if final:
        opts["final"] = True
    langs = tuple(x for x in _langs(lang) if x in spec.languages)
    c = _load_case(ctx, case, brief, positions, pdfs=_several_pdfs(lang, fmt))
    files = api.render_files(c, kind, langs, _formats(fmt), **opts)
    _notes(files)
    _write(ctx, files, out)


COMMANDS = [reply, agenda, declaration, agreement, pack, matrix, document]
