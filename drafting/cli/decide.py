"""The commands of the drafter's decisions, without opening a YAML file: set (position,
signatory, addressee, register, date, marking, audience), paragraph add/list/remove,
proposal drop/rename (proposal add: cli/ingest.py), clause new, order.

Each checks what it is given (lifecycle/decide.py), tries the change against `draft
check` (validate/trial.py: refused with the errors it would add, nothing written), then
writes the files keeping their comments and layout (store/edit.py)."""
from __future__ import annotations

import click

from drafting.cli.common import _writable_root, case_brief_options, case_option, clause, proposal
from drafting.cli.complete import complete_position, complete_proposal


def _apply(ctx, command, case, make, brief=None, check=True):
    """Make the change (`make(root)`), try it, write it, say what it did."""
    from drafting.validate.trial import decide
    root = _writable_root(ctx, command)
    change = make(root)
    written = decide(root, case, change, brief=brief, check=check)
    click.echo(change.said)
    for path in written:
        rel = path.relative_to(root) if path.is_relative_to(root) else path
        click.echo(f"  {'removed' if not path.exists() else 'wrote'} {rel}")
    for p in getattr(change, "todo", ()):
        click.echo(f"  to draft: {p}")


@click.group(epilog="""
\b
Examples:
  draft set position joint-patrols accept-with-conditions
  draft set position joint-patrols --clear      # no position until one is chosen
  draft set signatory castex
  draft set register familiar
  draft set date 2021-12-02
  draft set marking 'Diffusion Restreinte'      # '' for none
  draft set audience interministerial
""")
def set_():
    """Set one decision of the brief: a proposal's position, or the signatory,
    addressee, register, date, marking or audience."""


@set_.command("position", epilog="""
\b
Examples:
  draft set position joint-patrols accept-with-conditions
  draft set position joint-patrols --clear
""")
@click.argument("key", shell_complete=complete_proposal)
@click.argument("position", required=False, shell_complete=complete_position)
@click.option("--clear", is_flag=True, help="Remove the proposal's position from the brief.")
@click.option("--check", "full", is_flag=True,
              help="Try the change against the whole of draft check first (slower).")
@case_brief_options
@click.pass_context
def set_position(ctx, key, position, clear, full, case, brief):
    """Choose the position of proposal KEY (one of its clause's positions). Refused when
    the clause has no such position, or its texts under it are still to draft."""
    from drafting.errors import InputError
    from drafting.lifecycle.decide import set_position as make
    if clear == bool(position):
        raise InputError("draft set position: give KEY POSITION, or KEY --clear",
                         hint="e.g. draft set position joint-patrols accept")
    _apply(ctx, "set position", case, lambda root: make(root, case, key, None if clear else position,
                                                        brief), brief, check=full)


def _field_command(name, example, help_):
    @set_.command(name, epilog=f"\b\nExample:\n  draft set {name} {example}")
    @click.argument("value")
    @case_brief_options
    @click.pass_context
    def command(ctx, value, case, brief):
        from drafting.lifecycle.decide import set_field
        _apply(ctx, f"set {name}", case, lambda root: set_field(root, case, name, value, brief), brief)
    command.help = help_
    return command


for _name, _example, _help in (
        ("signatory", "castex", "Who signs the reply (a person key of clauses/people.yaml)."),
        ("addressee", "johnson", "To whom the reply goes (a person key)."),
        ("register", "familiar", "The register of the reply: formal or familiar."),
        ("date", "2021-12-02", "The date of the reply (YYYY-MM-DD)."),
        ("marking", "'Diffusion Restreinte'", "The marking of every document ('' for none)."),
        ("audience", "interministerial",
         "Who reads the documents: internal, interministerial or external.")):
    _field_command(_name, _example, _help)


@click.group(epilog="""
\b
Examples:
  draft paragraph add --after calais-meeting --fr 'Texte français.' --en 'English text.'
  draft paragraph list
  draft paragraph remove calais-meeting-note
""")
def paragraph():
    """The reply's case-specific paragraphs (the brief's `paragraphs:`), outside the
    clause library: written by the drafter in both languages."""


@paragraph.command("add", epilog="""
\b
Example:
  draft paragraph add --after calais-meeting --key home-secretary \\
    --fr "Je regrette que la ministre de l'Intérieur ne puisse se joindre à nous." \\
    --en "I regret that the Home Secretary cannot join us."
""")
@click.option("--after", default=None, metavar="KEY", help="After this clause or paragraph (or: start).")
@click.option("--before", default=None, metavar="KEY", help="Before this clause or paragraph (or: end).")
@click.option("--fr", required=True, help="The French text (the original).")
@click.option("--en", required=True, help="The English text (renders the French).")
@click.option("--key", default=None, help="The paragraph's key (default: from its anchor).")
@click.option("--note", default=None, help="A reviewer note (internal audience only).")
@case_brief_options
@click.pass_context
def paragraph_add(ctx, after, before, fr, en, key, note, case, brief):
    """Add a paragraph to the reply, placed after or before a clause of the reply or
    another paragraph."""
    from drafting.lifecycle.decide import add_paragraph
    _apply(ctx, "paragraph add", case,
           lambda root: add_paragraph(root, case, fr, en, after, before, key, note, brief), brief)


@paragraph.command("list", epilog="\b\nExample:\n  draft paragraph list --case 2021-11-25-uk-pm")
@case_brief_options
@click.pass_context
def paragraph_list(ctx, case, brief):
    """List the brief's paragraphs: key, where it goes, its texts."""
    from drafting.cli.common import _root
    from drafting.lifecycle.decide import paragraphs
    items = paragraphs(_root(ctx), case, brief)
    if not items:
        click.echo("no case-specific paragraphs (draft paragraph add)")
    for key, side, anchor, fr, en, line in items:
        click.echo(f"{key:28} {side + ' ' + anchor if side else '(before the closing)':32} line {line}")
        click.echo(f"{'':28} fr: {fr[:100]}")
        click.echo(f"{'':28} en: {en[:100]}")


@paragraph.command("remove", epilog="\b\nExample:\n  draft paragraph remove calais-meeting-note")
@click.argument("key")
@case_brief_options
@click.pass_context
def paragraph_remove(ctx, key, case, brief):
    """Remove paragraph KEY from the brief (one placed after it takes its place)."""
    from drafting.lifecycle.decide import remove_paragraph
    _apply(ctx, "paragraph remove", case, lambda root: remove_paragraph(root, case, key, brief), brief)


@proposal.command("drop", epilog="\b\nExample:\n  draft proposal drop domestic-measures --case 2022-02-07-verlinden")
@click.argument("key")
@case_brief_options
@click.pass_context
def proposal_drop(ctx, key, case, brief):
    """A proposal read by mistake leaves the case: letter.yaml, its position, order,
    notes and overrides in the brief, and the case's own clause for it."""
    from drafting.lifecycle.decide import drop_proposal
    _apply(ctx, "proposal drop", case, lambda root: drop_proposal(root, case, key, brief), brief)


@proposal.command("rename", epilog="\b\nExample:\n"
                  "  draft proposal rename night-train night-trains --case 2021-11-08-nl")
@click.argument("old")
@click.argument("new")
@case_brief_options
@click.pass_context
def proposal_rename(ctx, old, new, case, brief):
    """Give proposal OLD the key NEW everywhere the case names it (letter.yaml, the
    brief's positions, order, notes, overrides and paragraph anchors, the case's own
    clause file)."""
    from drafting.lifecycle.decide import rename_proposal
    _apply(ctx, "proposal rename", case, lambda root: rename_proposal(root, case, old, new, brief), brief)


@clause.command("new", epilog="""
\b
Examples:
  draft clause new night-trains --positions welcome,defer --case 2021-11-08-nl
  draft clause new ferry-links --positions accept,decline --shared --owner 'MTECT - DGITM'
""")
@click.argument("key")
@click.option("--positions", "positions", required=True, multiple=True,
              help="The positions it answers with, comma-separated (welcome, accept, ...).")
@click.option("--title-fr", default=None, help="Its French title.")
@click.option("--title-en", default=None, help="Its English title.")
@click.option("--owner", default=None, help="The owning department.")
@click.option("--shared", is_flag=True, help="In the shared clauses/ (default: the case's own).")
@case_option("The case whose clause it is (default: 2021-11-25-uk-pm).")
@click.pass_context
def clause_new(ctx, key, positions, title_fr, title_en, owner, shared, case):
    """A new clause file, complete in its shape, every text marked [TO BE DRAFTED: ...]:
    draft check then lists each text to write, at its line."""
    from drafting.lifecycle.decide import new_clause
    from drafting.validate.trial import decide
    root = _writable_root(ctx, "clause new")
    change = new_clause(root, case, key, positions, title_fr, title_en, owner, case_only=not shared)
    for path in decide(root, case, change, check=False):
        click.echo(f"wrote {path.relative_to(root) if path.is_relative_to(root) else path}")
    click.echo(f"next: draft check{' --case ' + case if case else ''} lists its texts to draft")


@click.command(epilog="""
\b
Examples:
  draft order                                   # the reply's order now
  draft order condolences reference on-behalf principles calais-meeting \\
      maritime-patrols joint-patrols airborne-surveillance sensors-radar \\
      intelligence-cell eu-returns-agreement bilateral-readmission domestic-measures closing
""")
@click.argument("keys", nargs=-1)
@case_brief_options
@click.pass_context
def order(ctx, keys, case, brief):
    """Show the reply's order, or set it (KEYS: every clause of the reply, in order:
    shared clauses and every proposal answered)."""
    if not keys:
        from drafting.cli.common import _root
        from drafting.inputs.sources import load_yaml
        from drafting.lifecycle.decide import brief_path
        data = load_yaml(brief_path(_root(ctx), case, brief))
        for n, key in enumerate(data.get("order") or [], 1):
            click.echo(f"{n:3}. {key}")
        return
    from drafting.lifecycle.decide import set_order
    _apply(ctx, "order", case, lambda root: set_order(root, case, keys, brief), brief)


set_.name = "set"
COMMANDS = [set_, paragraph, order]


def proposal_by_hand(ctx, case, key, quote, paragraph, bullet, title_fr, title_en, position):
    """draft proposal add without --from-line (cli/ingest.py): a proposal named by hand."""
    from drafting.errors import InputError
    from drafting.lifecycle.decide import new_proposal
    if not key or not quote or not paragraph:
        raise InputError("draft proposal add: give --from-line N, or --key, --quote and "
                         "--paragraph", hint="e.g. draft proposal add --case CASE --key "
                         "ferry-links --paragraph 4 --quote \"...\"")
    _apply(ctx, "proposal add", case, lambda root: new_proposal(
        root, case, key, quote, paragraph, title_fr, title_en, position, bullet))
