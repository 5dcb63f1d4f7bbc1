"""A decision tried before it is written: the case's `draft check` run on the files as
the change would leave them, and the change refused with the errors it would add.

The trial runs in a temporary workspace that links every file of the real one (the
library, the case, the templates) but those the change writes, which it holds as the
change wrote them; problems found there are reported at the real paths. Errors the case
already had before the change do not refuse it (a case being drafted has some: a new
clause's texts to draft), only new ones do; they come back as Problems, nothing written.

    decide(root, case, change)   # verify, then lifecycle.decide.commit; returns the paths
"""
from __future__ import annotations

import os
from pathlib import Path

from drafting.errors import Problems
from drafting.lifecycle.decide import Change, commit
from drafting.store.atomic import scratch, write_atomic

__all__ = ["verify", "decide", "new_errors", "files_state"]

_BEFORE: dict = {}  # (root, case, brief, state of the files) -> the errors found


def files_state(*tops: Path) -> tuple:
    """What a check's result depends on, cheaply: size and mtime of every file under
    `tops` (dot folders left out, as _link_tree leaves them out); the preview's too."""
    out = []
    for top in tops:
        for folder, dirs, names in os.walk(top):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(names):
                try:
                    st = os.stat(os.path.join(folder, name))
                except OSError:
                    continue
                out.append((folder, name, st.st_size, st.st_mtime_ns))
    return tuple(out)


def _key(problem, root) -> tuple:
    path = str(problem.path or "")
    if Path(path).is_absolute():
        for base in (Path(root), Path(root).resolve()):
            if Path(path).is_relative_to(base):
                path = Path(path).relative_to(base).as_posix()
                break
    return (path, str(problem.code or ""), problem.problem)


def _errors(root, case, brief=None) -> list:
    from drafting.validate.check import check_case
    return [p for p in check_case(root, case, brief) if p.severity == "error"]


def _link_tree(src: Path, dst: Path, replaced: set) -> None:
    """dst mirrors src by symbolic links, file by file, but for the `replaced` paths."""
    for folder, dirs, names in os.walk(src):
        rel = Path(folder).relative_to(src)
        (dst / rel).mkdir(parents=True, exist_ok=True)
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            path = Path(folder) / name
            if path.resolve() in replaced or name.endswith(".draft-tmp"):
                continue
            os.symlink(path.resolve(), dst / rel / name)


def new_errors(root, case, change: Change, brief=None) -> list:
    """The errors of `draft check` on the case once `change` is made that it does not
    have now, at the real paths."""
    from drafting.inputs.case import DEFAULT_CASE
    root = Path(root).resolve()
    case = case or DEFAULT_CASE
    state = (str(root), case, str(brief),
             files_state(root / "clauses", root / "letters" / case, root / "templates"))
    before = _BEFORE.get(state)
    if before is None:
        before = {_key(p, root) for p in _errors(root, case, brief)}
        _BEFORE.clear()
        _BEFORE[state] = before
    for old, new in change.renames.items():  # the same problems, now of the new key
        before = before | {tuple(str(v or "").replace(f"'{old}'", f"'{new}'").replace(
            f"/{old}.yaml", f"/{new}.yaml") for v in k) for k in before}
    replaced = {Path(p).resolve() for p in change.paths()}
    with scratch(".draft-trial-") as trial:
        for name in ("clauses", "templates", "letters/" + case):
            if (root / name).is_dir():
                _link_tree(root / name, trial / name, replaced)
        for path, text in change.texts.items():
            rel = Path(path).resolve().relative_to(root)
            (trial / rel).parent.mkdir(parents=True, exist_ok=True)
            write_atomic(trial / rel, text.encode("utf-8"), durable=False)
        trial_brief = None
        if brief:
            b = Path(brief).resolve()
            trial_brief = trial / b.relative_to(root) if b.is_relative_to(root) else b
        after = _errors(trial, case, trial_brief)
        found = []
        for p in after:
            k = _key(p, trial)
            if k in before:
                continue
            if p.path and str(p.path).startswith(str(trial)):
                p.path = str(root / Path(str(p.path)).relative_to(trial))
            elif p.path and not Path(str(p.path)).is_absolute():
                p.path = str(p.path)
            found.append(p)
        return found


def to_draft(problem, change: Change) -> bool:
    """An error that says what is left to draft in a skeleton the change brings."""
    if not change.to_draft:
        return False
    text = f"{problem.path} {problem.problem}"
    return problem.code == "stub" or any(
        f"'{k}'" in text or f"/{k}.yaml" in text for k in change.to_draft)


def verify(root, case, change: Change, brief=None) -> list:
    """Refuse (Problems) a change that would give the case errors it does not have;
    returns what is left to draft in the skeletons it brings (Change.to_draft)."""
    found = new_errors(root, case, change, brief)
    todo = [p for p in found if to_draft(p, change)]
    found = [p for p in found if not to_draft(p, change)]
    if found:
        for p in found:
            p.hint = (p.hint + "; " if p.hint else "") + "nothing was written"
        raise Problems(found)
    return todo


def decide(root, case, change: Change, brief=None, check=True) -> list:
    """Verify the change against draft check (unless `check` is False: the decision's
    own validation only), then write it; returns the paths written."""
    change.todo = verify(root, case, change, brief) if check else []
    written = commit(change)
    _BEFORE.clear()
    return written
