"""A new drafting workspace (`draft init DIR`) a team keeps in git.

The workspace gets a copy of the shipped clause library (the team owns it from then on),
the example case under letters/, a README for the drafter and a .gitignore for output/.
Templates stay the shipped ones unless --templates copies them in to be changed.
"""
from __future__ import annotations

from pathlib import Path

from drafting.errors import EnvironmentProblem, InputError
from drafting.store.read import read_utf8

__all__ = ["create_workspace"]

# What a case folder holds that is the team's history, not the example: never copied.
_GENERATED = ("released", "signoffs.yaml", ".*", "*.draft-tmp", "*~", "~$*", "__pycache__", "*.pyc")

README = """\
# Drafting workspace

This folder holds what `draft` needs to answer letters; keep it in git.

- `letters/` - one folder a case: the incoming letter (`letter.txt`, `letter.yaml`, its
  proposals) and the brief (`brief.yaml`: the position taken on each proposal, the
  signatory, the dates). `letters/{case}/` is a worked example.
  `released/` and `signoffs.yaml` appear in a case as documents are released and cleared.
- `clauses/` - the clause library: one file a subject, with the text of every position
  in French and English. It is this team's copy: edit it here.
- `templates/` (optional) - your own templates, print.css, reference.docx and fonts; when
  absent, the ones shipped with `draft` are used (`draft init --templates` copies them in).
- `output/` - the generated documents (ignored by git: they can be made again).

Main commands, run anywhere inside this folder:

    draft reply                          # the reply, French and English, DOCX and PDF, in output/
    draft reply --case {case}
    draft pack                           # every document of the case
    draft check                          # every problem in the case and the library at once
    draft proposals                      # what the letter asks
    draft clauses                        # the clause library
    draft ingest incoming.pdf --case 2022-03-14-trade   # a new case from a letter
    draft release reply                  # freeze a version (letters/<case>/released/)
    draft signoff reply --by desk --name "..."
    draft --help                         # all commands; draft COMMAND --help for one

From elsewhere: `draft --root PATH/TO/THIS/FOLDER reply`.
"""

GITIGNORE = "# generated documents: draft makes them again\noutput/\n"


def _ignore_generated(folder, names):
    import fnmatch
    return {n for n in names if any(fnmatch.fnmatch(n, pattern) for pattern in _GENERATED)}


def create_workspace(folder, templates=False) -> list:
    """Make a workspace in `folder` (created if missing; it may hold other files, but not
    letters/ or clauses/). Return the paths created."""
    from drafting.inputs.case import DEFAULT_CASE
    from drafting.inputs.workspace import embedded, is_workspace
    from drafting.store.atomic import copy_folder, write_atomic

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError("is a file, not a folder", path=folder, hint="choose a new folder name")
    taken = [name for name in ("letters", "clauses") + (("templates",) if templates else ())
             if (folder / name).exists()]
    if taken:
        what = "already a draft workspace" if is_workspace(folder) else \
            "already holds " + " and ".join(f"{name}/" for name in taken)
        raise InputError(what, path=folder,
                         hint=f"use it as it is (cd {folder}), or choose a new folder for 'draft init'")
    data = embedded()
    made = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "letters").mkdir()
        made.append(folder / "letters")
        # each folder whole or not at all (store/atomic.py)
        copy_folder(data / "letters" / DEFAULT_CASE, folder / "letters" / DEFAULT_CASE,
                    ignore=_ignore_generated)
        copy_folder(data / "clauses", folder / "clauses", ignore=_ignore_generated)
        made.append(folder / "clauses")
        if templates:
            copy_folder(data / "templates", folder / "templates", ignore=_ignore_generated)
            made.append(folder / "templates")
        readme = folder / "README.md"
        if not readme.exists():  # a folder already in use keeps its own README
            write_atomic(readme, README.format(case=DEFAULT_CASE))
            made.append(readme)
        ignore = folder / ".gitignore"
        kept = read_utf8(ignore) if ignore.exists() else ""
        if "output/" not in kept.split():
            write_atomic(ignore, kept + ("\n" if kept and not kept.endswith("\n") else "") + GITIGNORE)
            made.append(ignore)
    except OSError as exc:
        raise EnvironmentProblem(f"cannot make the workspace: {exc.strerror or exc}",
                                 path=getattr(exc, "filename", None) or folder,
                                 hint="check the folder's permissions and free space") from None
    return made
