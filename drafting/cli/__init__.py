"""The `draft` command: a thin click layer over the library API (drafting.api).

Commands live by what they do: documents.py (reply, agenda, declaration, agreement,
pack, matrix), case.py (check, proposals, clauses), ingest.py (ingest, proposal add,
clause promote, people promote/add), versions.py (release, versions, signoff, compare,
absorb); decide.py (set, paragraph, proposal
drop/rename, clause new, order); common.py holds what they share; complete.py the
shell completion of the workspace's names. Exit codes: 0 ok, 1 check found problems,
2 bad input, 3 environment, 130 interrupted (README, Exit codes).
"""
from __future__ import annotations

import sys

import click

from drafting import __version__
from drafting.cli import case as _case_commands
from drafting.cli import decide as _decide_commands
from drafting.cli import documents as _document_commands
from drafting.cli import ingest as _ingest_commands
from drafting.cli import preview as _preview_commands
from drafting.cli import versions as _version_commands
from drafting.cli import workspace as _workspace_commands
from drafting.cli.common import Context, clause, proposal
from drafting.errors import DraftError

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


@click.group(epilog=EXAMPLES, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--root", type=click.Path(file_okay=False), default=None,
              help="Project folder (default: found from the current folder).")
@click.option("--debug", is_flag=True, help="Show the traceback of an error.")
@click.option("--quiet", "-q", is_flag=True,
              help="Print no list of the files written and no notes; errors still print.")
@click.option("--verbose", "-v", is_flag=True,
              help="Say more: each file written or left unchanged, with its size.")
@click.version_option(__version__, "--version", "-V", prog_name="draft",
                      message="%(prog)s %(version)s")
@click.pass_context
def main(ctx, root, debug, quiet, verbose):
    """Draft the documents that answer an incoming letter: the reply (French original
    and English courtesy translation), as DOCX for review and PDF for circulation."""
    if quiet and verbose:
        raise click.UsageError("--quiet and --verbose contradict each other; give one")
    ctx.obj = Context(root, debug, verbosity=-1 if quiet else 1 if verbose else 0)
    if ctx.invoked_subcommand in _FEW_DOCUMENTS:
        _pause_gc()


# Commands that make a few documents and end: nearly every object they make lives until
# then (modules, parsed inputs, trees), so the cyclic garbage collector has nothing to
# find and its passes cost a reply about 9 ms of 0.25 s. It is paused for them (run()
# turns it back on; a forked PDF process gets it back at once); a pack, a check of the
# whole library and the preview keep it.
_FEW_DOCUMENTS = frozenset({"reply", "agenda", "declaration", "agreement", "document"})
_AT_FORK: list = []
_PAUSED: list = []  # the collector was on and a command paused it: run() turns it back on


def _pause_gc():
    import gc
    import os
    if not _AT_FORK and hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_resume_gc)  # the PDF process collects
        _AT_FORK.append(True)
    if gc.isenabled():  # a caller that turned it off itself keeps it off
        gc.disable()
        _PAUSED.append(True)


def _resume_gc():
    if _PAUSED:
        import gc
        _PAUSED.clear()
        gc.enable()


for _module in (_document_commands, _case_commands, _ingest_commands, _version_commands,
                _workspace_commands, _decide_commands, _preview_commands):
    for _command in _module.COMMANDS:
        main.add_command(_command)
for _group in (clause, proposal):  # groups whose subcommands several modules add (common.py)
    main.add_command(_group)


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

    from drafting.errors import did_you_mean
    ctx = exc.ctx
    where = ctx.command_path if ctx else "draft"
    msg = exc.message.rstrip(".")
    param = getattr(exc, "param", None)
    if isinstance(exc, click.BadParameter) and param is not None:
        opt = param.opts[0] if getattr(param, "opts", None) else param.human_readable_name
        value = _raw_value(argv, param)
        if isinstance(param.type, click.Choice) and value is not None:
            choices = [str(c) for c in param.type.choices]
            return (f"{opt}: unknown {_NOUNS.get(param.name, 'value')} '{value}' - "
                    + did_you_mean(value, choices, "choose from: " + ", ".join(choices), also=True))
        if isinstance(param.type, click.Path) and value is not None:
            problem = msg.replace(f" {value!r}", "").replace(f" '{value}'", "")
            problem = "is a file, not a folder" if problem.endswith("is a file") else problem
            return f"{value}: {problem[:1].lower()}{problem[1:]} - check {opt}"
        return f"{opt}: {msg} - see '{where} --help'"
    m = re.match(r"No such option:? '?(-[^' ]+)", msg)
    own = [p for p in main.params if isinstance(p, click.Option) and m and m.group(1) in p.opts]
    if own and ctx is not None and ctx.parent is not None:
        # --quiet, --verbose, --root, --debug belong to draft itself, before the command
        said = m.group(1) + ("" if own[0].is_flag else " DIR")
        return (f"{where}: {m.group(1)} goes before the command - e.g. "
                f"draft {said} {where.split(' ', 1)[1]} ...")
    m = re.match(r"No such command '(.+?)'", msg)
    if m and ctx is not None and isinstance(ctx.command, click.Group):
        names = sorted(ctx.command.commands)
        return (f"{where}: unknown command '{m.group(1)}' - "
                + did_you_mean(m.group(1), names, "commands: " + ", ".join(names)))
    return f"{where}: {msg} - see '{where} --help'"


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
    except (KeyboardInterrupt, click.exceptions.Abort):
        # Ctrl-C: every write is a temp file renamed into place (store/), so nothing
        # partial is left; 130 is what shells report for SIGINT (128 + 2)
        if debug:
            raise
        click.echo("draft: interrupted - no file is left half-written",
                   err=True)
        sys.exit(130)
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
        click.echo(f"{getattr(exc, 'filename', '') or ''}: {exc.strerror or exc} - check the path "
                   "and permissions", err=True)
        sys.exit(3)
    except Exception as exc:  # a bug: still one line, never a traceback without --debug
        if debug:
            raise
        click.echo(f"draft: internal error ({type(exc).__name__}: {exc}) - this is a bug in "
                   f"draft; run again with --debug and report the traceback", err=True)
        sys.exit(70)
    finally:
        _resume_gc()  # paused for a command that makes a few documents (_pause_gc)
        if "drafting.writers.variant" in sys.modules:  # --pdf is this run's only
            sys.modules["drafting.writers.variant"].set_pdf_variant(None)
        if "drafting.writers.pdfs" in sys.modules:  # a PDF process started for a run that failed
            sys.modules["drafting.writers.pdfs"].discard_prepared()


if __name__ == "__main__":  # pragma: no cover
    run()
