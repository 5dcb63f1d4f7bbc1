"""The commands that make and share a case from an incoming letter: ingest, proposal
add, clause promote, people promote / add."""
from __future__ import annotations

import click

from drafting.cli.common import _writable_root, clause, proposal


@click.command(epilog="""
\b
Examples:
  draft ingest incoming/2022-03-14-trade.pdf --case 2022-03-14-trade
  draft reply --case 2022-03-14-trade        # a reply skeleton at once
  draft check --case 2022-03-14-trade        # what is still to draft
  draft proposal add --case 2022-03-14-trade --from-line 21   # restore a sentence left out
""")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--case", default=None, help="Name of the new case (default: <date>-<sender>).")
@click.option("--reply-date", default=None, metavar="YYYY-MM-DD",
              help="Date of the reply in the brief (default: today).")
@click.pass_context
def ingest(ctx, path, case, reply_date):
    """Make a new case from an incoming letter (plain text, DOCX or PDF): its text,
    metadata, numbered paragraphs and proposals, each matched to the clause library or
    given a stub clause of the case marked [TO BE DRAFTED: ...]; its people; a brief
    with safe defaults; and ingest.md, which says how each field was read and lists
    the sentences left out. Nothing outside letters/<case>/ is written."""
    from drafting.ingest.write import ingest_case
    when = _date(reply_date)
    root = _writable_root(ctx, "ingest")
    result = ingest_case(path, case, root, when)
    ing = result.ingested
    click.echo(f"case {result.folder.name}: {len(ing.proposals)} proposals")
    for p in ing.proposals:
        where = f"\u00a7{p.paragraph}" + (f".{p.bullet}" if p.bullet else "")
        words = ", ".join(p.match.words[:8])
        click.echo(f"  {p.key:40} {where:7} line {p.line:<4} "
                   f"{'matched' if p.match.key else 'NEW    '} score {p.match.score:>5}  {words}")
    m = ing.meta
    click.echo(f"from {m.sender.name or m.sender.key or '?'} to {m.addressee.name or m.addressee.key or '?'}"
               f", {ing.place or 'no place'}, {ing.date or 'no date'}"
               + (f"; copies: {', '.join(c.name or c.key or c.stated for c in m.copies)}" if m.copies else ""))
    for role, key, note, missing in result.people_notes:
        click.echo(f"  person {key} ({role}): {note}" + (f"; not read: {'; '.join(missing)}" if missing else ""))
    if ing.dropped:
        click.echo(f"left out ({len(ing.dropped)}): restore one with "
                   f"draft proposal add --case {result.folder.name} --from-line N")
        for d in ing.dropped:
            text = " ".join(d.text.split())
            click.echo(f"  line {d.line:<4} {text[:90]}{'...' if len(text) > 90 else ''}")
            click.echo(f"  {'':9} {d.reason}")
    click.echo(f"wrote {result.folder} (report: {result.folder / 'ingest.md'})")


def _date(value):
    if value is None:
        return None
    from datetime import date

    from drafting.errors import InputError
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--reply-date '{value}' is not a date", hint="write YYYY-MM-DD") from None


@proposal.command("add", epilog="""
\b
Examples:
  draft proposal add --case 2022-02-07-verlinden --from-line 31
  draft proposal add --case 2022-02-07-verlinden --key ferry-links --paragraph 4 \\
      --quote "the ferry links between our ports" --position welcome
""")
@click.option("--case", required=True, help="The case (a folder under letters/).")
@click.option("--from-line", "line", default=None, type=int,
              help="The line of letter.txt (ingest.md gives it for each sentence left out).")
@click.option("--key", default=None, help="The proposal's key (default: from its words).")
@click.option("--quote", default=None, help="Without --from-line: the letter's own words.")
@click.option("--paragraph", "paragraph_", default=None, help="Without --from-line: its paragraph.")
@click.option("--bullet", default=None, type=int, help="Without --from-line: its list item.")
@click.option("--title-fr", default=None, help="Without --from-line: its French title.")
@click.option("--title-en", default=None, help="Without --from-line: its English title.")
@click.option("--position", default=None, help="Without --from-line: its position.")
@click.pass_context
def proposal_add(ctx, case, line, key, quote, paragraph_, bullet, title_fr, title_en, position):
    """Make the sentence ingest left out on a line of the letter a proposal (or the
    whole paragraph or item there): letter.yaml, the brief's positions and order, and a
    stub clause of the case, or the library clause it matches. Without --from-line, a
    proposal named by hand (--key, --quote, --paragraph): its clause is the library's of
    that key, or a skeleton of the case to draft (draft clause new)."""
    from drafting.ingest.edit import add_proposal
    if line is None:
        from drafting.cli.decide import proposal_by_hand
        proposal_by_hand(ctx, case, key, quote, paragraph_, bullet, title_fr, title_en, position)
        return
    root = _writable_root(ctx, "proposal add")
    for p in add_proposal(root, case, line, key):
        where = f"\u00a7{p.paragraph}" + (f".{p.bullet}" if p.bullet else "")
        state = f"matched {p.match.key}" if p.match.key else "new: stub clause in the case"
        click.echo(f"added {p.key} ({where}, {state}): \u201c{p.quote[:100]}\u201d")


@clause.command("promote", epilog="\b\nExample:\n  draft clause promote night-train-connection --case 2021-11-08-nl")
@click.argument("key")
@click.option("--case", required=True, help="The case whose clause it is.")
@click.pass_context
def clause_promote(ctx, key, case):
    """Move letters/<case>/clauses/KEY.yaml into the shared clauses/, once every text
    is drafted (no [TO BE DRAFTED left) and it has an owner."""
    from drafting.ingest.edit import promote_clause
    root = _writable_root(ctx, "clause promote")
    click.echo(f"moved to {promote_clause(root, case, key)}")


@click.group(epilog="\b\nExamples:\n  draft people promote xavier-bettel --case 2022-02-03-lu\n"
                    "  draft people add xavier-bettel --from-case 2022-02-03-lu --case 2022-06-01-lu")
def people():
    """Share the people a case learned: promote one into clauses/people.yaml, or copy
    one from another case."""


@people.command("promote", epilog="\b\nExample:\n  draft people promote xavier-bettel --case 2022-02-03-lu")
@click.argument("key")
@click.option("--case", required=True, help="The case whose person it is.")
@click.pass_context
def people_promote(ctx, key, case):
    """Move a person of the case's people.yaml into clauses/people.yaml (once no field
    is left [TO BE DRAFTED); every case then knows the person."""
    from drafting.ingest.edit import promote_person
    root = _writable_root(ctx, "people promote")
    click.echo(f"{key} moved to {promote_person(root, case, key)}")


@people.command("add", epilog="\b\nExample:\n"
                "  draft people add xavier-bettel --from-case 2022-02-03-lu --case 2022-06-01-lu")
@click.argument("key")
@click.option("--case", required=True, help="The case to add the person to.")
@click.option("--from-case", "source", required=True, help="The case that knows the person.")
@click.pass_context
def people_add(ctx, key, case, source):
    """Copy a person known from another case into this case's people.yaml."""
    from drafting.ingest.edit import add_person
    root = _writable_root(ctx, "people add")
    click.echo(f"{key} added to {add_person(root, case, key, source)}")


COMMANDS = [ingest, people]
