"""Sign-off: the clearance chain of each document kind, tied to content.

The brief names the chain per document kind, in order:

    clearance:
      reply: [desk, director, legal, european-affairs, private-office]

`draft signoff KIND --by ROLE` records a clearance of the current text (the hash of the
text the signatory signs, release.content_hash: the same whatever the audience) by
appending one entry to `letters/<case>/signoffs.yaml`; the file is only ever appended to
(store/yamlfile.append_items keeps what is there byte for byte, the whole file is then
replaced atomically). A clearance holds for that exact text: `draft check` reports one
whose document has changed since, and the fair copy (`draft reply --final`, for any
audience) is refused until every role of the chain has cleared the text it would print.

A brief that names no chain for a document cannot make its fair copy, unless it says so
explicitly: `clearance: none` (or `DOCUMENT: none` in the mapping) with a
`clearance_reason:`, which the run prints as a note.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from drafting.errors import EnvironmentProblem, InputError, did_you_mean
from drafting.store.atomic import write_atomic
from drafting.store.yamlfile import append_items

__all__ = ["chain_of", "load_signoffs", "record_signoff", "missing_roles", "still_to_clear",
           "require_cleared", "stale_clearances", "SIGNOFFS", "ALLOWED_SIGNERS", "NAMESPACE", "signing_mode",
           "signed_message", "verify_entry"]

SIGNOFFS = "signoffs.yaml"
ALLOWED_SIGNERS = "allowed_signers"  # the workspace's: git's format, principals are roles
NAMESPACE = "draft-signoff"          # ssh-keygen -Y sign -n: a signature made for nothing else
_HEADER = ("# Clearances recorded by `draft signoff`, one entry per clearance, oldest first.\n"
           "# Written by the tool and only ever appended to: do not edit or reorder.\n"
           "# `content` is the sha256 of the document's text when it was cleared.\n")


def chain_of(case, kind: str, required=True):
    """The roles that clear a document kind, from the brief's `clearance:`; [] when the
    brief says explicitly that no one clears it (`none`, with a reason)."""
    if case.brief.clearance_waived(kind):
        return []
    node = case.brief.clearance
    roles = node.get(kind) if isinstance(node, dict) else None
    if roles is None:
        if not required:
            return None
        raise InputError(f"the brief names no clearance chain for '{kind}'",
                         path=case.brief.path,
                         hint=f"add 'clearance: {{{kind}: [desk, director, legal, "
                         "european-affairs, private-office]}' to the brief, or say "
                         f"'{kind}: none' with a 'clearance_reason:'")
    return [str(r) for r in (roles if isinstance(roles, list) else [roles])]


# The schema of one entry of signoffs.yaml (inputs/sources.tree_problems): every field one
# value; the role and the name refuse invisible and direction-changing characters.
ENTRY = {"document": "text", "kind": "text", "role": "name", "name": "name", "content": "text",
         "version": "text", "brief_version": "text", "recorded": "text", "signature": "text"}


def load_signoffs(case_folder) -> list:
    """The clearances of a case, every entry of the shape ENTRY wants (else every problem
    of the file at once, path:line: a hand-edited file is refused, never half-read)."""
    from drafting.errors import Problems
    from drafting.inputs.sources import load_yaml, read_text, tree_problems
    path = Path(case_folder) / SIGNOFFS
    if not path.exists() and not path.is_symlink():
        return []
    text = read_text(path)  # bounded, a regular file, UTF-8 (else path:line)
    if not text.strip() or all(not line.strip() or line.lstrip().startswith("#")
                               for line in text.splitlines()):
        return []
    data = load_yaml(path, text=text, expect="list")
    if not isinstance(data, list):
        raise InputError("signoffs.yaml must be a list of clearances", path=path,
                         hint="it is written by draft signoff; restore it from version control")
    problems = tree_problems(data, [ENTRY], "signoffs", str(path), data.line)
    if problems:
        raise Problems(problems)
    return [e for e in data if isinstance(e, dict)]  # an empty '-' holds no clearance


def _version_label(case, stem, digest) -> str:
    from drafting.lifecycle.release import releases
    for rec in reversed(releases(case.folder, stem)):
        if rec.get("content_sha256") == digest:
            return f"v{rec['version']}"
    return f"draft {case.brief.version}"


def record_signoff(case, kind: str, role: str, name: str, builts, key=None) -> list:
    """Append one clearance per document (language) built, signed with `key` (a private
    SSH key) when the workspace has keys; return the entries. The chain's order holds:
    a role clears a text only once every role before it has cleared that text."""
    from drafting.lifecycle.release import content_hash
    roles = chain_of(case, kind)
    if not roles:
        raise InputError(f"the brief says no one clears '{kind}' ({case.brief.clearance_reason})",
                         path=case.brief.path,
                         hint=f"name its chain in the brief's clearance: ({kind}: [desk, ...]) "
                         "to record clearances")
    if role not in roles:
        raise InputError(f"unknown role '{role}' in the clearance chain of '{kind}'",
                         path=case.brief.path,
                         hint=did_you_mean(role, roles, "roles: " + ", ".join(roles), also=True))
    path = case.folder / SIGNOFFS
    mode, where = signing_mode(case)
    if mode == "keys" and not key:
        raise InputError("this workspace's clearances are signed: give your SSH key (--key)",
                         path=where, hint=f"draft signoff {kind} --by {role} --key ~/.ssh/id_ed25519 "
                         f"(its public key listed for '{role}' in {where.name})")
    counted = _counted(case, load_signoffs(case.folder))  # refuses a file that no longer parses
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    entries = []
    for built in builts:
        digest = content_hash(built.document)
        before = roles[:roles.index(role)]
        done = {str(e.get("role")) for e in counted
                if str(e.get("document")) == built.stem and str(e.get("content")) == digest}
        waiting = [r for r in before if r not in done]
        if waiting:
            raise InputError(f"{role} clears {built.stem} after {', '.join(before)}: "
                             f"{', '.join(waiting)} {'has' if len(waiting) == 1 else 'have'} not "
                             "cleared this text yet", path=case.brief.path,
                             line=_clearance_line(case, kind),
                             hint=f"the brief's chain is {' > '.join(roles)}: draft signoff "
                             f"{kind} --by {waiting[0]} first")
        entry = {"document": built.stem, "kind": kind, "role": role, "name": name or "",
                 "content": digest, "version": _version_label(case, built.stem, digest),
                 "brief_version": str(case.brief.version), "recorded": now}
        if mode == "keys":
            entry["signature"] = _sign(key, entry)
            if not verify_entry(entry, where):
                raise InputError(f"this key may not clear as '{role}': it is not listed for "
                                 f"'{role}' in {where.name}", path=where,
                                 hint=f"add 'ROLE ssh-ed25519 AAAA...' for {role}, or sign "
                                 "with the key listed there")
        entries.append(entry)
    try:
        from drafting.inputs.sources import read_text
        text = read_text(path) if path.exists() else ""
        write_atomic(path, append_items(text, entries, _HEADER))  # appended, never rewritten
    except OSError as exc:
        raise EnvironmentProblem(f"cannot record the clearance: {exc.strerror or exc}",
                                 path=path, hint="check the folder's permissions") from None
    return entries


def missing_roles(case, kind, stem, digest, signoffs=None, counted=False) -> list:
    """The roles of the chain that have not cleared this text (with keys: by a signature
    that verifies; `counted`: the signoffs given were verified already)."""
    roles = chain_of(case, kind, required=False) or []
    signoffs = load_signoffs(case.folder) if signoffs is None else signoffs
    if not counted:
        signoffs = _counted(case, signoffs, required=False)
    cleared = {str(e.get("role")) for e in signoffs
               if str(e.get("document")) == stem and str(e.get("content")) == digest}
    return [r for r in roles if r not in cleared]


def still_to_clear(case, kind, entries) -> list:
    """For each entry just recorded, the roles still to clear its text: the file read
    and its signatures verified once for all of them (missing_roles would per entry)."""
    counted = _counted(case, load_signoffs(case.folder), required=False)
    return [missing_roles(case, kind, str(e["document"]), str(e["content"]), counted, counted=True)
            for e in entries]


def require_cleared(case, kind, langs, **opts) -> list:
    """Refuse (InputError) the fair copy of document `kind` (a registry kind: reply,
    agreement with its options) until the whole chain cleared the text it would print;
    the text cleared is the same for every audience. A brief that says no one clears it
    gets the fair copy with a note naming its reason (returned); a brief that says
    nothing gets none."""
    from drafting.documents.registry import kind_name
    from drafting.lifecycle.release import signed_content
    name = kind_name(kind, opts)
    opts = {k: v for k, v in opts.items() if k not in ("audience", "final")}
    roles = chain_of(case, name, required=False)
    if roles is None:
        raise InputError(f"no fair copy of '{name}' without a clearance chain: the brief names "
                         f"none for '{name}'", path=case.brief.path,
                         line=_clearance_line(case, name),
                         hint=f"add 'clearance: {{{name}: [desk, director, legal]}}' (the roles "
                         f"that clear it, in order), or, if no one is to clear it, '{name}: none' "
                         "with a 'clearance_reason:' saying why")
    if not roles:
        where = f"{case.brief.path}:{_clearance_line(case, name) or ''}".rstrip(":")
        return [f"note: fair copy of {name} made without clearance - the brief says no one "
                f"clears it: {case.brief.clearance_reason} ({where})"]
    mode, reason = signing_mode(case)  # a workspace without keys has said so, or no fair copy
    signoffs = _counted(case, load_signoffs(case.folder))
    problems = []
    for lang in langs:
        stem, digest = signed_content(case, kind, lang, **opts)
        missing = missing_roles(case, name, stem, digest, signoffs, counted=True)
        if missing:
            problems.append(f"{stem} lacks {', '.join(missing)}")
    if problems:
        raise InputError("the fair copy needs the whole clearance chain for this exact text: "
                         + "; ".join(problems), path=case.folder / SIGNOFFS,
                         hint=f"draft signoff {name} --by ROLE for each missing role "
                         "(a change to the text needs clearing again)")
    if mode == "none":
        where = f"{case.brief.path}:{case.brief.data.key_line('signoff_keys') or ''}".rstrip(":")
        return [f"note: fair copy of {name}: clearance not signed - the brief says this "
                f"workspace has no signing keys: {reason} ({where})"]
    return []


def _clearance_line(case, name):
    """The brief's line for this document's clearance (its entry, else `clearance:`)."""
    node, data = case.brief.clearance, case.brief.data
    if hasattr(node, "key_line") and name in node:
        return node.key_line(name)
    if "clearance" in data:
        return data.key_line("clearance")
    return None


def stale_clearances(case, builts) -> list:
    """(entry, message) for each latest clearance per (document, role) whose document's
    current content differs from what was cleared."""
    from drafting.lifecycle.release import content_hash
    signoffs = load_signoffs(case.folder)  # one that cannot be read is draft check's error
    last = {}
    for e in signoffs:
        last[(str(e.get("document")), str(e.get("role")))] = e
    cleared = {stem for stem, _role in last}  # only these documents' content is hashed
    current = {b.stem: content_hash(_signed_document(case, b)) for b in builts
               if b.stem in cleared}
    out = []
    for (stem, role), e in last.items():
        if stem in current and current[stem] != str(e.get("content")):
            out.append((e, f"{stem}: cleared by {role} on {e.get('version')}; content changed since"))
    return out


def _signed_document(case, built):
    """The document whose text a clearance covers: `built` itself when built for the
    internal audience (all it says), else the same document built so."""
    if built.document.meta.get("audience", "internal") == "internal":
        return built.document
    from drafting.documents.registry import parse_stem
    from drafting.lifecycle.release import signed_build
    kind, lang, opts = parse_stem(built.stem)
    return signed_build(case, kind, lang, **opts).document


# -- signatures: a clearance is signed with the reviewer's SSH key ---------------------------
#
# The workspace's `allowed_signers` file (the format git uses for signed commits) names, for
# each role, the public keys that may clear as it:
#
#     legal ssh-ed25519 AAAAC3Nza... claire.martin@diplomatie.gouv.fr
#     desk,director ssh-ed25519 AAAAC3Nza...
#
# `draft signoff KIND --by ROLE --key ~/.ssh/id_ed25519` signs the clearance (document, kind,
# role, content hash) with `ssh-keygen -Y sign -n draft-signoff`; every reader verifies it with
# `ssh-keygen -Y verify` against that file: an entry written by hand, a role signed with
# another role's key, a signature of another text - none clears anything. A workspace without
# keys says so in the brief (`signoff_keys: none` with a `signoff_keys_reason:`); its
# clearances are recorded unsigned and every fair copy's run note says "clearance not signed".


def _root_of(case) -> Path:
    return Path(case.folder).parent.parent  # <root>/letters/<case>


def signing_mode(case, required=True):
    """('keys', allowed_signers path) | ('none', reason) | refused when the workspace has no
    keys and the brief does not say so (InputError) - or (None, None) if not `required`."""
    data = case.brief.data
    said = str(data.get("signoff_keys") or "").strip()
    reason = str(data.get("signoff_keys_reason") or "").strip()
    line = data.key_line("signoff_keys") if "signoff_keys" in data else None
    if said == NO_KEYS:
        if not reason:
            raise InputError("signoff_keys: none needs a signoff_keys_reason: saying why "
                             "clearances are not signed", path=case.brief.path, line=line,
                             hint="add 'signoff_keys_reason: ...' to the brief")
        return "none", reason
    path = Path(said) if said else _root_of(case) / ALLOWED_SIGNERS
    if said and not path.is_absolute():
        path = _root_of(case) / path
    if path.exists() or path.is_symlink():
        return "keys", path
    if not required:
        return None, None
    raise InputError(f"clearances are signed with SSH keys, but there is no {path.name} file "
                     f"({path})", path=case.brief.path, line=line,
                     hint=f"create {ALLOWED_SIGNERS} at the workspace's root (git's allowed-signers "
                     "format: 'ROLE ssh-ed25519 AAAA...' a line), or say in the brief "
                     "'signoff_keys: none' with a 'signoff_keys_reason:'")


NO_KEYS = "none"


def signed_message(entry) -> bytes:
    """The bytes a clearance's signature covers."""
    return ("draft-signoff 1\n" + "".join(f"{k}: {entry.get(k, '')}\n" for k in
            ("document", "kind", "role", "content"))).encode("utf-8")


def _ssh_keygen(args, data: bytes, pass_fds=()):
    import shutil
    import subprocess
    exe = shutil.which("ssh-keygen")
    if exe is None:
        raise EnvironmentProblem("ssh-keygen is not installed: clearances cannot be signed or "
                                 "verified", hint="install OpenSSH's client (openssh-client)")
    try:
        return subprocess.run([exe, *args], input=data, capture_output=True, timeout=30,
                              pass_fds=pass_fds)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise EnvironmentProblem(f"ssh-keygen failed: {exc}") from None


def _sign(key, entry) -> str:
    key = Path(key).expanduser()
    if not key.is_file():
        raise InputError("no such key file", path=key, hint="give your private SSH key, e.g. "
                         "--key ~/.ssh/id_ed25519")
    proc = _ssh_keygen(["-Y", "sign", "-q", "-f", str(key), "-n", NAMESPACE], signed_message(entry))
    if proc.returncode != 0 or b"BEGIN SSH SIGNATURE" not in proc.stdout:
        why = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(f"ssh-keygen could not sign with this key ({why[-1] if why else 'no reason'})",
                         path=key, hint="give a private key without a passphrase, or load it "
                         "in ssh-agent")
    return proc.stdout.decode("ascii").strip()


_VERIFIED: dict = {}  # what ssh-keygen said of a clearance, in this process (below)


def verify_entry(entry, allowed: Path) -> bool:
    """True when the entry's signature is valid for its role in the allowed-signers file.
    ssh-keygen is asked once a process for the same signature, message, role and
    allowed-signers file (as it is on disk): recording a clearance, then saying what is
    left to clear, reads the same entries."""
    import os
    sig = entry.get("signature")
    if not isinstance(sig, str) or "BEGIN SSH SIGNATURE" not in sig:
        return False
    role = str(entry.get("role") or "")
    if not role or any(c.isspace() or c in ",*?!" for c in role):
        return False
    try:
        st = os.stat(allowed)
        memo = (str(allowed), st.st_ino, st.st_size, st.st_mtime_ns, role, signed_message(entry), sig)
    except OSError:
        memo = None
    if memo in _VERIFIED:
        return _VERIFIED[memo]
    rfd, wfd = os.pipe()
    try:
        os.write(wfd, (sig.strip() + "\n").encode("ascii", "replace"))
        os.close(wfd)
        wfd = None
        proc = _ssh_keygen(["-Y", "verify", "-f", str(allowed), "-I", role, "-n", NAMESPACE,
                            "-s", f"/dev/fd/{rfd}"], signed_message(entry), pass_fds=(rfd,))
    finally:
        os.close(rfd)
        if wfd is not None:
            os.close(wfd)
    if memo is not None:
        if len(_VERIFIED) > 4096:  # a long preview session: keep it bounded
            _VERIFIED.clear()
        _VERIFIED[memo] = proc.returncode == 0
    return proc.returncode == 0


def _counted(case, signoffs, required=True):
    """The entries that count as clearances: with keys, those whose signature verifies."""
    mode, where = signing_mode(case, required=required)
    if mode != "keys":
        return signoffs
    return [e for e in signoffs if verify_entry(e, where)]

