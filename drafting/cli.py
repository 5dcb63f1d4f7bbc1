"""The `draft` command: a thin click layer over the library API."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from . import api
from .errors import DraftError

EXAMPLES = """
\b
Examples:
  draft reply                                   # the default case: 4 files in output/
  draft reply --lang fr --format docx           # the French DOCX only (fast)
  draft reply --position joint-patrols=accept-with-conditions
  draft reply --brief letters/2021-11-25-uk-pm/brief-president.yaml
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
    return f


def _langs(lang):
    return api.LANGS if lang == "all" else (lang,)


def _formats(fmt):
    return api.FORMATS if fmt == "all" else (fmt,)


def _write(ctx, files, out):
    from .output import write_files
    out_dir = Path(out) if out else _root(ctx) / "output"
    for path in write_files(out_dir, files):
        click.echo(str(path))


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
    from .case import load_case
    from .reply import reply_keys
    c = load_case(_root(ctx), case, brief, positions)
    files = api.render_files(c, "reply", _langs(lang), _formats(fmt), final=final)
    _write(ctx, files, out)


@main.command(epilog="\b\nExample:\n  draft proposals --case 2021-11-25-uk-pm")
@click.option("--case", default=None, help="Case folder under letters/.")
@click.pass_context
def proposals(ctx, case):
    """List the proposals of the incoming letter, with their keys and quotes."""
    from .case import DEFAULT_CASE
    from .letter import load_letter
    root = _root(ctx)
    letter = load_letter(root / "letters" / (case or DEFAULT_CASE)) if (root / "letters" / (case or DEFAULT_CASE) / "letter.yaml").exists() else None
    if letter is None:
        from .case import load_case
        load_case(root, case)  # raises the clear 'no case' error
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


if __name__ == "__main__":  # pragma: no cover
    run()
