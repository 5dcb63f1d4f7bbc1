"""Collecting problems: every check adds to one `Found` list, in discovery order, each
problem once, with paths relative to the project folder; and the two ways `draft check`
prints them (one line per problem, then a summary)."""
from __future__ import annotations

from pathlib import Path

from drafting.errors import DraftError, Problem
from drafting.inputs.sources import Map

__all__ = ["Found", "line_of", "finish", "format_problem", "summary"]


class Found(list):
    """Problems in discovery order, without duplicates, with paths relative to root."""

    def __init__(self, root: Path):
        super().__init__()
        self.root = Path(root).resolve()
        self.seen = set()

    def rel(self, path):
        if not path:
            return path
        text = str(path)
        if text.startswith("--"):  # --position, --brief on the command line
            return text
        try:
            return Path(text).resolve().relative_to(self.root).as_posix()
        except (ValueError, OSError):
            return text

    def add(self, problem, path=None, line=None, hint=None, severity="error", col=None):
        if isinstance(problem, Problem):
            p = problem
        else:
            p = Problem(problem, path, line, col=col, hint=hint, severity=severity)
        p.path = self.rel(p.path)
        key = (p.path, p.line, p.problem)
        if key not in self.seen:
            self.seen.add(key)
            self.append(p)
        return p

    def extend_from(self, exc):
        for p in getattr(exc, "problems", None) or [Problem(str(exc))]:
            self.add(p)

    def attempt(self, func, *args, **kwargs):
        """Call a loader; on a DraftError keep its problems and return None."""
        try:
            return func(*args, **kwargs)
        except DraftError as exc:
            self.extend_from(exc)
            return None


def line_of(node, key=None):
    """The line of a parsed YAML node, or of its entry `key`."""
    if key is not None and isinstance(node, Map):
        value = node.get(key)
        if getattr(value, "line", None):
            return value.line
        return node.key_line(key)
    return getattr(node, "line", None)


def finish(found, strict):
    """The problems found; with `strict`, every warning an error."""
    problems = list(found)
    if strict:
        for p in problems:
            p.severity = "error"
    return problems


def format_problem(p) -> str:
    return ("warning: " if p.severity == "warning" else "") + str(p)


def summary(problems) -> str:
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    return (f"{errors} error{'s' if errors != 1 else ''}, "
            f"{warnings} warning{'s' if warnings != 1 else ''}")
