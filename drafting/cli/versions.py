"""The commands of a document's life after drafting: release, versions, signoff, compare,
absorb. Thin click wrappers over release.py, signoff.py, redline.py and absorb.py;
registered on the `draft` group by cli.py."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from drafting.cli.common import (
    _formats,
    _load_case,
    _root,
    _writable_root,
    _write,
    brief_option,
    case_option,
    case_options,
    format_option,
    lang_option,
    out_option,
)
from drafting.cli.complete import (
    complete_proposal,
    complete_release_kind,
    complete_released,
    complete_version,
)

__all__ = ["COMMANDS"]


def agreement_options(f):
    f = click.option("--copy", "copy_", type=click.Choice(["fr", "uk"]), default=None,
                     help="Agreements: whose copy (the alternat).")(f)
    f = click.option("--register", type=click.Choice(["treaty", "mou"]), default=None,
                     help="Agreements: treaty or memorandum of understanding.")(f)
    return f


def _agreement_opts(kind, copy_, register):
    from drafting.documents.registry import parse_kind
    api_kind, opts = parse_kind(kind)
    if api_kind == "agreement":
        if copy_:
            opts["copy"] = copy_
        if register:
            opts["register"] = register
    elif copy_ or register:
        from drafting.errors import InputError
        raise InputError("--copy and --register are for agreements",
                         hint="e.g. draft release agreement-readmission --copy uk")
    return api_kind, opts


def _langs(case, lang):
    """--lang all: the brief's languages (load_brief keeps only known ones, fr and en
    when it names none)."""
    return tuple(str(x) for x in case.brief.languages) if lang == "all" else (lang,)


@click.command(epilog="""
\b
Examples:
  draft release reply                           # reply.fr and reply.en, v1, v2 ...
  draft release annotated-agenda --lang fr
  draft release agreement-readmission --copy uk --register mou
""")
@click.argument("kind", shell_complete=complete_release_kind)
@case_options
@agreement_options
@lang_option("Language(s) to release.")
@format_option(help="Format(s) to freeze (the tree and release.json always).")
@click.pass_context
def release(ctx, kind, case, brief, positions, copy_, register, lang, fmt):
    """Freeze the current version of document KIND (reply, agenda, annotated-agenda,
    declaration, matrix, agreement-readmission ...) in letters/<case>/released/<doc>/vN/,
    with release.json (content hash, brief version, date). Released files are never
    regenerated, overwritten or deleted."""
    from drafting.lifecycle.release import release as do_release
    _writable_root(ctx, "release")
    api_kind, opts = _agreement_opts(kind, copy_, register)
    c = _load_case(ctx, case, brief, positions)
    formats = _formats(fmt)
    done, notes = do_release(c, api_kind, _langs(c, lang), formats, **opts)
    for note in notes:
        click.echo(note, err=True)
    for folder, rec in done:
        click.echo(f"{rec['stem']} v{rec['version']}  {rec['content_sha256'][:12]}  {folder}")


@click.command(epilog="""
\b
Examples:
  draft versions                                # every released version of the case
  draft versions reply
""")
@click.argument("kind", required=False, shell_complete=complete_release_kind)
@case_option()
@click.pass_context
def versions(ctx, kind, case):
    """List the released versions: document, language, version, when it was released,
    brief version, content hash."""
    from drafting.inputs.case import load_case
    from drafting.lifecycle.release import verified_releases
    c = load_case(_root(ctx), case)
    recs = [r for r in verified_releases(c.folder)
            if not kind or r.get("kind") == kind or r.get("stem") == kind]
    if not recs:
        click.echo("no released version" + (f" of {kind}" if kind else "") + " (draft release KIND)")
        return
    click.echo(f"{'kind':34} {'lang':4} {'ver':>4} {'released':16} {'brief':>5} {'content':12}")
    for r in recs:
        click.echo(f"{r.get('kind', ''):34} {r.get('lang', ''):4} {'v' + str(r['version']):>4} "
                   f"{_released(r):16} {'v' + str(r.get('brief_version', '')):>5} "
                   f"{r.get('content_sha256', '')[:12]}")


def _released(record) -> str:
    """When a version was released, as 'YYYY-MM-DD HH:MM' in the time it was recorded
    in (records made before the release time was kept: their date)."""
    when = str(record.get("released") or "")
    return f"{when[:10]} {when[11:16]}" if len(when) >= 16 else str(record.get("date", ""))


@click.command(epilog="""
\b
Examples:
  draft signoff reply --by desk --name "Claire Martin"
  draft signoff reply --by legal --lang fr      # the DAJ clears the French original
""")
@click.argument("kind", shell_complete=complete_release_kind)
@click.option("--by", "role", required=True, metavar="ROLE",
              help="The role clearing it, from the brief's clearance chain (e.g. legal).")
@click.option("--name", default="", help="Who cleared it.")
@click.option("--key", "key", default=None, metavar="FILE", envvar="DRAFT_SIGNOFF_KEY",
              help="Your private SSH key, which signs the clearance (ssh-keygen -Y sign); its "
              "public key is listed for ROLE in the workspace's allowed_signers "
              "[env DRAFT_SIGNOFF_KEY].")
@lang_option("Language(s) cleared.")
@case_options
@agreement_options
@click.pass_context
def signoff(ctx, kind, role, name, key, lang, case, brief, positions, copy_, register):
    """Record that ROLE cleared the current text of document KIND (appended to
    letters/<case>/signoffs.yaml, tied to the text's content hash)."""
    from drafting.lifecycle.release import signed_build
    from drafting.lifecycle.signoff import chain_of, record_signoff, still_to_clear
    _writable_root(ctx, "signoff")
    api_kind, opts = _agreement_opts(kind, copy_, register)
    c = _load_case(ctx, case, brief, positions)
    chain_of(c, kind)
    # the text the signatory signs, the same for every audience (release.signed_build)
    builts = [signed_build(c, api_kind, code, **opts) for code in _langs(c, lang)]
    entries = record_signoff(c, kind, role, name, builts, key=key)
    for e, missing in zip(entries, still_to_clear(c, kind, entries)):
        rest = f"still to clear: {', '.join(missing)}" if missing else "chain complete"
        click.echo(f"{e['document']}: cleared by {role} on {e['version']} ({e['content'][:12]}); {rest}")


@click.command(epilog="""
\b
Examples:
  draft compare reply.fr@v1 reply.fr@v2         # two released versions
  draft compare reply.fr --since v1             # v1 against the current draft
  draft compare annotated-agenda.en@v1 annotated-agenda.en@v2 --format docx
""")
@click.argument("a", shell_complete=complete_released)
@click.argument("b", required=False, shell_complete=complete_released)
@click.option("--since", default=None, metavar="vN", shell_complete=complete_version,
              help="Compare the current draft with version N.")
@case_options
@format_option()
@out_option
@click.pass_context
def compare(ctx, a, b, since, case, brief, positions, fmt, out):
    """Write a redline of document A against B: a DOCX with Word tracked changes
    (accept or reject them in Word or LibreOffice) and a PDF showing the same changes."""
    import time

    from drafting.lifecycle.redline import compare as do_compare
    c = _load_case(ctx, case, brief, positions)
    formats = _formats(fmt)
    t0 = time.perf_counter()
    files, notes = do_compare(c, a, b, since=since, formats=formats)
    for note in notes:
        click.echo(note, err=True)
    _write(ctx, files, out)
    click.echo(f"compared in {time.perf_counter() - t0:.1f} s", err=True)


@click.command(epilog="""
\b
Examples:
  draft absorb "Réponse Johnson - DAJ.docx"      # any name: the file says what it is
  draft absorb reply.fr.docx --dry-run          # list the changes only
  draft absorb reply.fr.docx --accept-tracked   # take the tracked changes as accepted
""")
@click.argument("file", type=click.Path(dir_okay=False))
@case_options
@click.option("--dry-run", is_flag=True, help="List the changes; do not touch the brief.")
@click.option("--accept-tracked", "accept", is_flag=True,
              help="Read tracked changes not yet accepted as accepted.")
@click.option("--ignore-tracked", "ignore", is_flag=True,
              help="Read the paragraphs without their tracked changes (leave them out).")
@click.pass_context
def absorb(ctx, file, case, brief, positions, dry_run, accept, ignore):
    """Read a DOCX draft wrote and a reviewer edited (under any name: the file's
    properties say which document and case it is) and write each changed paragraph into
    the brief as a case-specific override of the clause it came from (never into
    clauses/). Tracked changes not yet accepted are listed and nothing is written (exit 1)
    unless --accept-tracked or --ignore-tracked says what to do with them."""
    from drafting.errors import InputError
    from drafting.lifecycle.absorb import absorb as do_absorb
    from drafting.lifecycle.absorb import brief_named_by, case_named_by, positions_named_by
    from drafting.store.read import read_bytes
    if accept and ignore:
        raise InputError("--accept-tracked and --ignore-tracked contradict each other",
                         hint="give one")
    if not dry_run:
        _writable_root(ctx, "absorb")
    data = read_bytes(Path(file), what="Word document (DOCX)")  # read once
    if case is None and brief is None:  # the case (and brief) the file says it belongs to
        case = case_named_by(_root(ctx), data, Path(file))
        if case is not None:
            brief = brief_named_by(_root(ctx) / "letters" / case, data, Path(file))
    if not positions:  # the --position choices the file was drafted with
        positions = positions_named_by(data, Path(file))
    c = _load_case(ctx, case, brief, positions)
    changes = do_absorb(c, Path(file), dry_run=dry_run, data=data,
                        tracked="accept" if accept else "ignore" if ignore else None)
    if not changes:
        if getattr(ctx.obj, "verbosity", 0) >= 0:
            click.echo(f"{Path(file).name}: no change from the current draft")
        return
    tracked = [ch for ch in changes if ch.status == "tracked"]
    if tracked:  # everything the file holds, at once: the other edits wait on the same answer
        for ch in tracked:
            click.echo("tracked: " + ch.describe(), err=True)
        for ch in changes:
            if ch.status == "absorbed":
                click.echo("would write, once the tracked changes are settled: "
                           + ch.describe(), err=True)
            elif ch.status != "tracked":
                click.echo("not applied: " + ch.describe(), err=True)
        click.echo(f"{Path(file).name}: {len(tracked)} paragraph(s) with tracked changes not "
                   "accepted; nothing written - run again with --accept-tracked or "
                   "--ignore-tracked", err=True)
        sys.exit(1)
    absorbed = [ch for ch in changes if ch.status == "absorbed"]
    quiet = getattr(ctx.obj, "verbosity", 0) < 0 and not dry_run  # -q: what is not done
    for ch in absorbed if not quiet else ():
        click.echo(("would write " if dry_run else "absorbed ") + ch.describe())
    for ch in changes:
        if ch.status != "absorbed":
            click.echo("not applied: " + ch.describe(), err=True)
    if absorbed and not dry_run and not quiet:
        click.echo(f"{len(absorbed)} override(s) written to {c.brief.path}; draft check lists "
                   "them for the clauses' owners")
        if any(ch.lang == "fr" for ch in absorbed):
            click.echo("the English rendering of these paragraphs is now stale: absorb the "
                       "reviewed English DOCX or write the English (draft check lists them)")


@click.group(epilog="""
\b
Examples:
  draft override rehash joint-patrols        # its English override renders the French now
  draft override rehash --all --dry-run      # what would be recorded, for every key
""")
def override():
    """The brief's overrides of library text (written by draft absorb): the record that
    an English override renders the French override as it is (rehash)."""


@override.command("rehash", epilog="""
\b
Examples:
  draft override rehash joint-patrols        # after bringing its English up to the French
  draft override rehash --all --case 2021-11-25-uk-pm
""")
@click.argument("keys", nargs=-1, shell_complete=complete_proposal)
@click.option("--all", "every", is_flag=True, help="Every key with an English override.")
@click.option("--dry-run", is_flag=True, help="Say what would be recorded; write nothing.")
@case_option()
@brief_option
@click.pass_context
def override_rehash(ctx, keys, every, dry_run, case, brief):
    """Record that the English overrides of KEYS (under the brief's overrides:) render
    the French as the brief now has it: en_renders_sha beside their en:. draft absorb
    records it when it takes in a reviewed English DOCX; this is for English written or
    corrected by hand. draft check reports an English whose French changed since
    (english-not-absorbed)."""
    from drafting.errors import InputError
    from drafting.lifecycle.absorb import rehash_overrides
    if not keys and not every:
        raise InputError("draft override rehash: name the keys (clause keys or brief "
                         "paragraphs under overrides:), or --all",
                         hint="e.g. draft override rehash joint-patrols")
    if not dry_run:
        _writable_root(ctx, "override rehash")
    c = _load_case(ctx, case, brief, ())
    said = rehash_overrides(c, keys, every, dry_run=dry_run)
    for where, what in said:
        click.echo(f"{where}: " + ((("would record " if dry_run else "") + what) if what
                                   else "unchanged"))
    if not said:
        click.echo(f"{c.brief.path}: no English override to record")


COMMANDS = [release, versions, signoff, compare, absorb, override]
