"""Where a case's data lives: a workspace, or the data shipped in the package.

A **workspace** is a folder a team keeps in git: `letters/` (one folder a case) and
`clauses/` (the team's library), and optionally `templates/` to replace ours as a whole.
`draft init DIR` makes one. Commands find it from the current folder upward, or take it
from `--root DIR`.

With no workspace, commands read the **embedded** data: the templates (fonts and
reference.docx included), the clause library and the example case shipped in the wheel
as `drafting/_data/` (setup.cfg maps the repository's top-level folders there). Running
from a source tree or an editable install, that folder does not exist and the checkout's
own top-level folders are the embedded data. Embedded data is read-only: documents go to
./output of the current folder, and the commands that write into a case refuse.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from drafting.errors import EnvironmentProblem, InputError

__all__ = ["DATA", "Workspace", "is_workspace", "find_workspace", "embedded", "templates_for",
           "locate", "not_a_workspace", "no_workspace"]

DATA = ("templates", "clauses", "letters")  # the folders shipped in the package


def is_workspace(folder) -> bool:
    """A workspace holds letters/ and clauses/ (templates/ is optional)."""
    folder = Path(folder)
    return (folder / "letters").is_dir() and (folder / "clauses").is_dir()


def find_workspace(start=None) -> Path | None:
    """The nearest workspace from `start` (default: the current folder) upward, or None."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if is_workspace(folder):
            return folder
    return None


@functools.cache
def embedded() -> Path:
    """The folder holding the shipped templates/, clauses/ and letters/."""
    from importlib.resources import files

    shipped = files("drafting") / "_data"
    if isinstance(shipped, Path) and all((shipped / name).is_dir() for name in DATA):
        return shipped  # an installed wheel
    checkout = Path(__file__).resolve().parents[2]
    if all((checkout / name).is_dir() for name in DATA):
        return checkout  # a source tree or an editable install
    raise EnvironmentProblem("the data shipped with draft (templates/, clauses/, letters/) "
                             "is missing", path=shipped,
                             hint="reinstall draft (pip install --force-reinstall draft)")


def templates_for(root) -> Path:
    """The templates of a workspace: its own templates/ if it has one, else the shipped ones."""
    own = Path(root) / "templates"
    return own if own.is_dir() else embedded() / "templates"


@dataclass(frozen=True)
class Workspace:
    root: Path       # the folder holding letters/ and clauses/
    embedded: bool   # True: the data shipped in the package, read-only

    @property
    def templates(self) -> Path:
        return templates_for(self.root)

    @property
    def output(self) -> Path:
        """Where documents go by default: output/ in the workspace; ./output outside one
        (never into the package)."""
        return Path.cwd() / "output" if self.embedded else self.root / "output"

    def require_writable(self, command: str) -> Path:
        """The workspace root, or a clear error when there is none to write into."""
        if self.embedded:
            raise no_workspace(command)
        return self.root


def not_a_workspace(folder) -> InputError:
    return InputError("not a draft workspace (no letters/ or clauses/)", path=folder,
                      hint=f"run 'draft init {folder}' or pass --root")


def no_workspace(command: str) -> InputError:
    return InputError(f"no draft workspace in {Path.cwd()} or above, and the built-in example "
                      "case is read-only", path=command,
                      hint=f"run 'draft init DIR', then 'cd DIR' and 'draft {command}' "
                           "there (or pass --root DIR)")


def locate(root=None, start=None) -> Workspace:
    """The workspace `root` (an error if it is not one), else the one found from `start`
    upward, else the embedded data."""
    if root is not None:
        if not is_workspace(root):
            raise not_a_workspace(root)
        return Workspace(Path(root), embedded=False)
    found = find_workspace(start)
    return Workspace(found, embedded=False) if found else Workspace(embedded(), embedded=True)
