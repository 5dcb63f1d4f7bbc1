"""One error family for the whole tool.

Every error a user can cause is a `DraftError`, which is a `click.ClickException`:
the CLI needs no try/except, and prints `path:line[:col]: problem - hint` with no
traceback (unless --debug). Exit status: 2 for bad input, 3 for the environment
(permissions, full disk, locked files), 1 for a failed `draft check`.
"""
from __future__ import annotations

import click

__all__ = ["DraftError", "InputError", "EnvironmentProblem", "Problems", "Problem", "closest",
           "did_you_mean"]


class Problem:
    """One located problem; several make a `Problems` error."""

    __slots__ = ("problem", "path", "line", "col", "hint", "severity", "code")

    def __init__(self, problem, path=None, line=None, col=None, hint=None, severity="error",
                 code=None):
        self.problem, self.path, self.line, self.col = problem, path, line, col
        self.hint, self.severity = hint, severity
        self.code = code  # a stable name of the kind of problem (draft check --json)

    def location(self) -> str:
        parts = [str(self.path)] if self.path else []
        if self.path and self.line:
            parts.append(str(self.line))
            if self.col:
                parts.append(str(self.col))
        return ":".join(parts)

    def __str__(self) -> str:
        loc = self.location()
        text = f"{loc}: {self.problem}" if loc else self.problem
        return f"{text} - {self.hint}" if self.hint else text

    def as_dict(self) -> dict:
        return {"path": str(self.path) if self.path else None, "line": self.line,
                "col": self.col, "problem": self.problem, "hint": self.hint,
                "severity": self.severity, "code": self.code}


class DraftError(click.ClickException):
    """Base of every error the tool reports to a user."""

    exit_code = 2

    def __init__(self, problem, path=None, line=None, col=None, hint=None):
        self.problems = [Problem(problem, path, line, col, hint)]
        super().__init__(str(self.problems[0]))

    def show(self, file=None):  # no "Error: " prefix: the location leads the line
        click.echo(self.format_message(), err=True, file=file)


class InputError(DraftError):
    """Bad input: a file, an option or a name the user gave (exit 2)."""


class EnvironmentProblem(DraftError):
    """The machine refused: permissions, full disk, a lock, a file open in Word (exit 3)."""

    exit_code = 3


class Problems(DraftError):
    """Several problems found at once (validation collects, then aborts once)."""

    def __init__(self, problems, exit_code=2):
        self.problems = list(problems)
        self.exit_code = exit_code
        click.ClickException.__init__(self, "\n".join(str(p) for p in self.problems))


def closest(name, choices) -> str | None:
    """The valid name nearest to a mistyped one, for a 'did you mean' hint."""
    import difflib

    found = difflib.get_close_matches(str(name), [str(c) for c in choices], n=1, cutoff=0.5)
    return found[0] if found else None


def did_you_mean(name, choices, otherwise="", also=False) -> str:
    """The hint for a mistyped name: "did you mean 'X'?" with the nearest valid name, else
    `otherwise` (the valid names, say); with `also`, `otherwise` follows in both cases."""
    hint = closest(name, choices)
    if not hint:
        return otherwise
    return f"did you mean '{hint}'? {otherwise}".rstrip() if also else f"did you mean '{hint}'?"


def excerpt(text, limit=70) -> str:
    """A text quoted in a message: one line, cut with an ellipsis past `limit` characters."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1] + "\u2026"
