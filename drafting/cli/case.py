"""The commands that read a case: check, proposals, clauses (ingest: cli/ingest.py)."""
from __future__ import annotations

import sys

import click

from drafting.cli.common import _root, _writable_root, case_option, case_options, clause
from drafting.inputs.library import LANGS


@click.command(epilog="""
\b
Examples:
  draft check                                   # the default case and the library
  draft check --position joint-patrols=accept   # would this override hold?
  draft check --strict --json > problems.json   # warnings fail too; for machines
""")
@case_options
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--json", "as_json", is_flag=True,
              help="Print the problems as one JSON document: schema_version, problems (path, "
                   "line, col, code, severity, problem, hint), errors, warnings.")
@click.pass_context
def check(ctx, case, brief, positions, strict, as_json):
    """Validate the case and the clause library, reporting every problem at once as
    path:line: problem - hint, sorted by file and line. Exit 1 on any error (0 with
    warnings only)."""
    import json

    from drafting.validate.check import as_json as json_document
    from drafting.validate.check import check_case, format_problem, summary
    problems = check_case(_root(ctx), case, brief, positions, strict=strict)
    if as_json:
        click.echo(json.dumps(json_document(problems), ensure_ascii=False, indent=2))
    else:
        for p in problems:
            click.echo(format_problem(p))
        click.echo(summary(problems))
    if any(p.severity == "error" for p in problems):
        sys.exit(1)  # not ctx.exit: run() calls click with standalone_mode=False


@click.command(epilog="\b\nExample:\n  draft proposals --case 2021-11-25-uk-pm")
@case_option()
@click.pass_context
def proposals(ctx, case):
    """List the proposals of the incoming letter, with their keys and quotes."""
    from drafting.inputs.case import case_folder
    from drafting.inputs.letter import load_letter
    letter = load_letter(case_folder(_root(ctx), case))
    for p in letter.proposals:
        click.echo(f"{p.key:24} {p.where:16} {p.title.get('en', '')}")
        click.echo(f"{'':24} \u201c{p.quote}\u201d")


@click.command(epilog="\b\nExample:\n  draft clauses")
@click.pass_context
def clauses(ctx):
    """List the clause library: key, positions, languages, owner, version, cleared."""
    from drafting.inputs.library import load_library
    lib = load_library(_root(ctx) / "clauses")
    for key, c in lib.items():
        langs = sorted({lang for pos in c.positions.values() for f in pos.values()
                        if isinstance(f, dict) for lang in f if lang in LANGS})
        click.echo(f"{key:24} v{c.version:<3} {'/'.join(langs):6} {c.owner}")
        click.echo(f"{'':24} positions: {', '.join(c.positions)}; cleared {c.cleared_date or '-'}"
                   f" (v{c.cleared_version or '-'})")


@clause.command(epilog="""
\b
Examples:
  draft clause rehash joint-patrols         # after bringing its English up to the French
  draft clause rehash --all                 # adopting the hashes for a whole library
""")
@click.argument("names", nargs=-1)
@click.option("--all", "every", is_flag=True, help="Every clause and agreement file.")
@click.pass_context
def rehash(ctx, names, every):
    """Record that the English of clause files NAMES (clause keys, or agreements/KIND)
    renders their French as it is now: en_renders_sha (a hash of the French texts) and
    en_renders (the file's version). draft check reports French that changed since."""
    from drafting.errors import InputError
    from drafting.validate.translation import rehash as do_rehash
    if not names and not every:
        raise InputError("draft clause rehash: name the clause files (clause keys, or "
                         "agreements/KIND), or --all", hint="e.g. draft clause rehash "
                         "joint-patrols")
    root = _writable_root(ctx, "clause rehash")
    for path, said in do_rehash(root, names, every):
        rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else path
        click.echo(f"{rel}: {said}" if said else f"{rel}: unchanged")


# what a mistyped option value is called in an error: --lang fre -> unknown language 'fre'


COMMANDS = [check, proposals, clauses]
