"""Collecting problems: every check adds to one `Found` list, each problem once, with
paths relative to the project folder; `finish` sorts them by file and line; and the
ways `draft check` prints them: one line per problem then a summary, or one JSON
document (`as_json`: a `schema_version`, the problems each with a stable `code`, the
counts)."""
from __future__ import annotations

import re
from pathlib import Path

from drafting.errors import DraftError, Problem
from drafting.inputs.sources import Map

__all__ = ["Found", "line_of", "finish", "format_problem", "summary", "code_of", "as_json",
           "sort_key", "SCHEMA_VERSION", "CODES"]

# The shape of `draft check --json`; raised when a field changes meaning or goes.
SCHEMA_VERSION = 1


class Found(list):
    """Problems in discovery order, without duplicates, with paths relative to root."""

    def __init__(self, root: Path):
        super().__init__()
        self.root = Path(root).resolve()
        self.seen = set()
        self._rel = {}  # path -> its relative form (many problems name the same file)

    def rel(self, path):
        if not path:
            return path
        text = str(path)
        if text not in self._rel:
            self._rel[text] = self._relative(text)
        return self._rel[text]

    def _relative(self, text):
        if text.startswith("--"):  # --position, --brief on the command line
            return text
        try:
            return Path(text).resolve().relative_to(self.root).as_posix()
        except (ValueError, OSError):
            return text

    def add(self, problem, path=None, line=None, hint=None, severity="error", col=None,
            code=None):
        if isinstance(problem, Problem):
            p = problem
        else:
            p = Problem(problem, path, line, col=col, hint=hint, severity=severity, code=code)
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


def sort_key(p):
    """By file, then line and column; problems with no file (a command-line option is
    named as its file: '--position') come last, in the order they were found."""
    return (not p.path, str(p.path or ""), p.line or 0, p.col or 0)


def finish(found, strict):
    """The problems found, sorted by file and line, each with its code; with `strict`,
    every warning an error."""
    problems = sorted(found, key=sort_key)  # stable: one line's problems keep their order
    for p in problems:
        p.code = code_of(p)
        if strict:
            p.severity = "error"
    return problems


# -- codes --------------------------------------------------------------------------------
#
# A stable name per kind of problem, for programs reading `draft check --json`. A check
# may give its problems a code itself (Found.add(..., code=...)); the others are named
# here from their message. The codes never change; a new kind of problem gets a new one.
# The patterns are compiled when a code is first asked for (re's own cache): a command
# that writes documents collects problems but never names their codes.

CODES = [(code, pattern) for code, pattern in (
    ("yaml-syntax", r"^YAML syntax error"),
    ("yaml-duplicate-key", r"^duplicate key "),
    ("yaml-shape", r"^a mapping \(key: value\) is expected|must be a (mapping|list)|"
                   r"is expected, found"),
    ("file-unreadable", r"^(cannot read|not UTF-8|the text is UTF-16|file not found|no such file|"
                        r"the file is (too large|empty))"),
    ("unknown-case", r"^no case '"),
    ("missing-field", r"^(missing '|the brief has no '|the meeting has no '|clause '[^']+' has "
                      r"no '|proposal without a key|agenda item \d+ has no title)"),
    ("unknown-register", r"^unknown register '"),
    ("unknown-audience", r"^unknown audience '"),
    ("unknown-language", r"^unknown language '"),
    ("unknown-purpose", r"^unknown purpose '"),
    ("unknown-position", r"^unknown position '"),
    ("unknown-proposal", r"unknown proposal '|^no_answer names unknown proposal"),
    ("unknown-person", r"^unknown person '"),
    ("unknown-delegation", r"^(unknown delegation '|delegation '[^']+' has unknown kind|"
                           r"the meeting needs exactly one host)"),
    ("unknown-clause", r"^(no clause '|proposal '[^']+' has no clause in the library)"),
    ("bad-value", r"^'[^']*' is not (a date|an? )"),
    ("duplicate-key", r"(used twice|is defined twice|differs from the file name)"),
    ("no-position", r"^proposal '[^']+' (has no position in the brief|is on the meeting agenda "
                    r"but has no position)"),
    ("not-in-order", r"has a position but is not in the brief's order"),
    ("no-answer", r"^(no_answer for '|proposal '[^']+' has both a position and a no_answer|"
                  r"agenda item \d+ carries '[^']+', which the brief leaves unanswered)"),
    ("missing-text", r"(: missing the (fr|en) text|has no [\w.]+ text|: no \w+ text in)"),
    ("placeholder", r"(placeholder|different placeholders)"),
    ("owner", r"has no owner yet|has no 'owner'"),
    ("version", r"has no 'version'|does not record which French version"),
    ("stale-english", r"^en renders fr v"),
    ("not-cleared", r"(changed since cleared|has no cleared|cleared v\d+, but its version)"),
    ("position-mismatch", r"carries '[^']+' as '[^']+', the brief's position"),
    ("unanswered-carried", r"carries '[^']+', which the brief leaves unanswered"),
    ("not-carried", r"is answered in the reply \(.*\) but not carried"),
    ("language-mismatch", r" lacks '[^']+' \(.*\) that .* carries"),
    ("leak", r"^internal text \(|builds for the \w+ audience, but it is internal only"),
    ("stale-clearance", r"(content changed since|cleared by .* on v\d+)"),
    ("override", r"(overridden in this case's brief|^override of '|^override paragraph)"),
    ("diverges-from-release", r"^the brief now puts '"),
    ("template", r"^(template|the template produced|paragraph class|span class|div class|"
                 r"element <|meta '|comments and processing)"),
    ("does-not-build", r" does not build: "),
    # messages that read as 'other' until the issue 15 audit: their kinds' codes
    ("file-unreadable", r"^(empty file\b|is .+, not a regular file)"),
    ("yaml-shape", r"must be a (single value|text), found a "),
    ("missing-field", r"^protocol\.yaml has no label '"),
    ("stub", r": still to draft \(|still has text to draft"),
    ("bad-value", r"holds the invisible character U\+|is not a regular expression \(|"
                  r"signed by and addressed to the same person"),
    ("release-record", r"^release record"),
)]


def code_of(p) -> str:
    """The problem's code: its own, else the first of CODES its message matches, else
    'other'."""
    if getattr(p, "code", None):
        return p.code
    for code, pattern in CODES:
        if re.search(pattern, p.problem):
            return code
    return "other"


def as_json(problems) -> dict:
    """`draft check --json`: {"schema_version": 1, "problems": [{path, line, col, code,
    severity, problem, hint}], "errors": N, "warnings": M}, problems sorted by file and
    line."""
    rows = []
    for p in problems:
        d = p.as_dict()
        d["code"] = code_of(p)
        rows.append({k: d[k] for k in ("path", "line", "col", "code", "severity", "problem",
                                        "hint")})
    errors = sum(1 for p in problems if p.severity == "error")
    return {"schema_version": SCHEMA_VERSION, "problems": rows, "errors": errors,
            "warnings": len(problems) - errors}


def format_problem(p) -> str:
    return ("warning: " if p.severity == "warning" else "") + str(p)


def summary(problems) -> str:
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    return (f"{errors} error{'s' if errors != 1 else ''}, "
            f"{warnings} warning{'s' if warnings != 1 else ''}")
