"""Shell completion: what `draft <TAB>` offers beyond commands and options.

click completes commands and option names itself; these callbacks complete the values
that live in the workspace: case names (letters/*), document kinds (the registry),
agreement kinds (clauses/agreements/*), a proposal's positions (`--position KEY=...`,
`draft set position KEY ...`) and released versions (`reply.fr@v1`). Enable it with

    eval "$(_DRAFT_COMPLETE=bash_source draft)"      # ~/.bashrc
    eval "$(_DRAFT_COMPLETE=zsh_source draft)"       # ~/.zshrc
    _DRAFT_COMPLETE=fish_source draft | source       # ~/.config/fish/completions/draft.fish

A completion never fails: a workspace that cannot be read completes nothing.
"""
from __future__ import annotations

import functools
import os
import re
from pathlib import Path

from click.shell_completion import BashComplete, add_completion_class, split_arg_string

__all__ = ["complete_case", "complete_kind", "complete_release_kind", "complete_agreement_kind",
           "complete_position_pair", "complete_proposal", "complete_position",
           "complete_released", "complete_version"]


def _quiet(function):
    """A completion callback that completes nothing rather than fail."""
    @functools.wraps(function)
    def callback(ctx, param, incomplete):
        try:
            return [c for c in function(ctx, incomplete or "") if c.startswith(incomplete or "")]
        except Exception:  # noqa: BLE001 - a shell's TAB must never print a traceback
            return []
    return callback


def _root(ctx) -> Path:
    """The workspace of the command line being completed (its --root, else found from the
    current folder); click does not run the group's callback while completing."""
    from drafting.inputs.workspace import locate
    root = ctx.find_root().params.get("root")
    return locate(root).root


def _case_name(ctx):
    """The --case given on the line being completed, else the default case."""
    from drafting.inputs.case import case_folder
    c = ctx
    while c is not None:
        if c.params.get("case"):
            return case_folder(_root(ctx), c.params["case"])
        c = c.parent
    return case_folder(_root(ctx), None)


@_quiet
def complete_case(ctx, incomplete):
    from drafting.inputs.case import list_cases
    return list_cases(_root(ctx))


@_quiet
def complete_kind(ctx, incomplete):
    """A kind of the registry (`draft document KIND`)."""
    from drafting.documents.registry import names
    return list(names())


@_quiet
def complete_agreement_kind(ctx, incomplete):
    from drafting.documents.agreement import agreement_kinds
    return agreement_kinds(_root(ctx))


@_quiet
def complete_release_kind(ctx, incomplete):
    """A document as release, signoff and versions name it: reply, annotated-agenda ...,
    agreement-<kind>."""
    from drafting.documents.agreement import agreement_kinds
    from drafting.documents.registry import names
    kinds = [k for k in names() if k != "agreement"]
    if "agreement" in names():
        kinds += [f"agreement-{k}" for k in agreement_kinds(_root(ctx))]
    return kinds


def _proposals(ctx):
    from drafting.inputs.letter import load_letter
    return [p.key for p in load_letter(_case_name(ctx)).proposals]


def _positions(ctx, key):
    """The positions of the clause of proposal `key`: the case's own, else the shared one
    (only that clause is read)."""
    from drafting.inputs.library import load_library
    clause = load_library(_root(ctx) / "clauses", [key], lazy=True,
                          overlay=_case_name(ctx) / "clauses").get(key)
    return list(clause.positions) if clause is not None else []


@_quiet
def complete_proposal(ctx, incomplete):
    return _proposals(ctx)


@_quiet
def complete_position(ctx, incomplete):
    """The positions of the proposal named by the command's KEY argument."""
    key = ctx.params.get("key")
    return _positions(ctx, key) if key else []


@_quiet
def complete_position_pair(ctx, incomplete):
    """`--position KEY=POSITION`: the proposal keys (with their `=`), then, once the key is
    typed, that proposal's positions."""
    key, sep, _ = incomplete.partition("=")
    if not sep:
        return [f"{k}=" for k in _proposals(ctx)]
    return [f"{key}={p}" for p in _positions(ctx, key)]


def _released(ctx):
    """(stem, N) of every released version of the case: released/<stem>/v<N>/."""
    folder = _case_name(ctx) / "released"
    found = []
    for version in sorted(folder.glob("*/v*")):
        m = re.fullmatch(r"v(\d+)", version.name)
        if m and version.is_dir():
            found.append((version.parent.name, int(m.group(1))))
    return sorted(found)


@_quiet
def complete_released(ctx, incomplete):
    """A compare spec: `reply.fr@v1`, or a stem alone for the current draft."""
    found = _released(ctx)
    return sorted({stem for stem, _ in found}) + [f"{stem}@v{n}" for stem, n in found]


@_quiet
def complete_version(ctx, incomplete):
    """`--since vN`: the versions released in the case."""
    return [f"v{n}" for n in sorted({n for _, n in _released(ctx)})]


class _BashComplete(BashComplete):
    """bash splits a word at the `=` and `@` of its COMP_WORDBREAKS: `--position
    joint-patrols=acc` reaches us as `joint-patrols`, `=`, `acc`, and `reply.fr@v1` as
    `reply.fr`, `@`, `v1`. Join the pieces back for click, and answer only the part of
    the word readline replaces: what follows the last `=`, or the last `@` and what
    follows it (readline keeps an `@` in the word, for host names). A key completed with its `=`
    (`joint-patrols=`) takes no space after it, so its position can follow."""

    _split = ""  # the part of the current word before bash's split, when it split it
    _BREAKS = ("=", "@")
    source_template = BashComplete.source_template.replace(
        "COMPREPLY+=($value)",
        "COMPREPLY+=($value)\n            [[ $value == *= ]] && compopt -o nospace")

    def get_completion_args(self):
        words = split_arg_string(os.environ["COMP_WORDS"])
        cword = int(os.environ["COMP_CWORD"])
        if cword >= len(words):
            words.append("")
        joined, where, split = [], 0, False
        for i, word in enumerate(words):
            glue = joined and i > 1 and (word in self._BREAKS or joined[-1][-1:] in self._BREAKS)
            if glue:
                joined[-1] += word
            else:
                joined.append(word)
            if i == cword:
                where = len(joined) - 1
                split = bool(glue) or word in self._BREAKS
        current = joined[where]
        if split:  # readline replaces the text after an `=`, and an `@` with what follows
            at = max(current.rfind(b) for b in self._BREAKS)
            self._split = current[:at + (current[at] == "=")]
        return joined[1:where], current

    def format_completion(self, item):
        value = item.value
        if self._split and value.startswith(self._split):
            value = value[len(self._split):]
        return f"{item.type},{value}"


add_completion_class(_BashComplete, "bash")
