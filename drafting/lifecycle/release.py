"""Released versions: `draft release` freezes the current version of a document.

A release of one document (stem `reply.fr`) is a folder
`letters/<case>/released/<stem>/v<N>/` holding the DOCX, the PDF, the document tree
(`<stem>.html`, what `draft compare` diffs) and `release.json`:

    {"stem": "reply.fr", "kind": "reply", "lang": "fr", "version": 2,
     "released": "2021-11-30T18:42:07+01:00", "date": "2021-12-01", "brief_version": 4,
     "content_sha256": "...", "files": {"reply.fr.docx": "<sha256>", ...},
     "positions": [[clause, field, position]],
     "build": {"kind": "reply", "lang": "fr", "opts": {}}, "audience": "internal"}

`released` is when the version was made (SOURCE_DATE_EPOCH, when set, stands for the
clock); `date` is the date the document bears (the brief's). The released files say
"PROJET - version N du <date of the release>" (documents/compose.draft_line), and so
does the working draft while its text is still version N's.

The content hash is the sha256 of the text the signatory signs (tree/gate.signed_text):
its language, title, marking and every block's tag, class and
text in reading order, without reviewer notes, provenance or the draft line, the same
for every audience. It does not depend on zip timestamps, fonts or the draft line, so
the same words give the same hash: sign-offs are tied to it, and a clearance of it holds
for the fair copy whoever reads it.

Nothing under `released/` is ever regenerated, overwritten or deleted: a release goes
to a fresh `v<N>` (refused if it exists), its files are made read-only, and every other
command that writes refuses a target under a `released/` folder (the rule lives with the
writer: store/released.py).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from pathlib import Path

from drafting.documents.registry import kind_name
from drafting.errors import EnvironmentProblem, InputError
from drafting.store.atomic import create_folder
from drafting.store.released import RELEASED, records
from drafting.tree.gate import signed_hash

__all__ = ["release", "releases", "content_hash", "positions_of", "current_build",
           "signed_build", "signed_content", "load_released_document", "release_time",
           "RELEASED"]

_VERSION = re.compile(r"^v(\d+)$")


# -- content ----------------------------------------------------------------------------

def content_hash(document) -> str:
    """The sha256 of what a document says to its signatory (tree/gate.signed_text)."""
    return signed_hash(document)


def positions_of(document) -> list:
    """Sorted unique [clause, field, position] the document carries."""
    found = {(el.get("data-clause"), el.get("data-field") or "", el.get("data-position") or "")
             for el in document.root.iter()
             if isinstance(el.tag, str) and el.get("data-clause")}
    return [list(t) for t in sorted(found)]


def current_build(case, kind, lang, **opts):
    """The current draft (not the fair copy) of a document, for the brief's audience."""
    from drafting.documents.build import build as _build
    opts.setdefault("audience", case.brief.audience)
    opts.pop("final", None)
    return _build(case, kind, lang, **opts)


def signed_build(case, kind, lang, **opts):
    """The current draft with everything it says (the internal audience's build): what
    clearances and releases hash. Its signed text is the same as every audience's, so a
    clearance of it holds for an external fair copy too."""
    opts = dict(opts, audience="internal")
    return current_build(case, kind, lang, **opts)


def signed_content(case, kind, lang, **opts) -> tuple:
    """(stem, content hash) of the text a document would put before its signatory."""
    built = signed_build(case, kind, lang, **opts)
    return built.stem, content_hash(built.document)


def release_time() -> dt.datetime:
    """Now, to the second, with the local offset; SOURCE_DATE_EPOCH stands for the clock
    when set (reproducible runs)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.now().astimezone().replace(microsecond=0)


# -- the released folder ------------------------------------------------------------------

def _stem_dir(case_folder: Path, stem: str) -> Path:
    return Path(case_folder) / RELEASED / stem


def releases(case_folder, stem=None) -> list:
    """Every release record of a case (or of one document), by stem then version."""
    return records(case_folder, stem)


def verified_releases(case_folder, stem=None) -> list:
    """releases(), each release's files checked against the sha256 its release.json
    records (store/released.verify_record): a released file changed since is refused."""
    from drafting.store.released import verify_record
    found = releases(case_folder, stem)
    for rec in found:
        verify_record(rec)
    return found


def find_release(case_folder, stem, version: int):
    from drafting.store.released import verify_record
    for rec in releases(case_folder, stem):
        if int(rec["version"]) == int(version):
            verify_record(rec)  # a redline against a file changed since would lie
            return rec
    have = ", ".join(f"v{r['version']}" for r in releases(case_folder, stem)) or "none"
    raise InputError(f"no released version v{version} of {stem}",
                     path=_stem_dir(case_folder, stem), hint=f"released versions: {have}")


def load_released_document(rec):
    """The document tree a release recorded."""
    from drafting.store.read import read_utf8
    from drafting.tree.document import parse
    path = Path(rec["folder"]) / f"{rec['stem']}.html"
    return parse(read_utf8(path, what="released document"), str(path))


def _next_version(case_folder, stem) -> int:
    sdir = _stem_dir(case_folder, stem)
    numbers = [int(m.group(1)) for p in (sdir.iterdir() if sdir.is_dir() else ())
               for m in [_VERSION.match(p.name)] if m]
    return max(numbers, default=0) + 1


def release(case, kind: str, langs, formats=("docx", "pdf"), **opts) -> tuple:
    """Freeze the current version of a document in each language.
    Returns ([(folder, record)], notes): one per language whose content changed since its
    last release; refuses (InputError) when none did."""
    import copy

    from drafting import writers as _writers
    from drafting.documents.compose import draft_line
    from drafting.tree.gate import set_meta

    audience = case.brief.audience
    if opts.get("parallel"):
        langs = tuple(langs)[:1]
    opts.pop("final", None)  # a release is a draft: the fair copy is never released
    when = release_time()
    staged, notes = [], []
    released = verified_releases(case.folder)  # the versions before this one are what they recorded
    for lang in langs:
        signed = signed_build(case, kind, lang, **opts)
        digest = content_hash(signed.document)
        last = max((r for r in released if r["stem"] == signed.stem),
                   key=lambda r: r["version"], default=None)
        if last and last.get("content_sha256") == digest:
            notes.append(f"{signed.stem}: unchanged since v{last['version']}; not released again")
            continue
        version = _next_version(case.folder, signed.stem)
        built = copy.copy(current_build(case, kind, lang, **opts))
        built.document = copy.deepcopy(built.document)  # the memoised draft stays as it is
        if built.document.meta.get("draft"):  # the gate let this draft carry its line
            set_meta(built.document, "draft", draft_line(case, built.document.lang,
                                                         version=version, date=when.date()))
        files = {}
        if "docx" in formats:
            files[f"{built.stem}.docx"] = _writers.docx_bytes(case, built, audience)
        if "pdf" in formats:
            files[f"{built.stem}.pdf"] = _writers.pdf_bytes(case, built)
        from lxml import etree
        files[f"{built.stem}.html"] = etree.tostring(built.document.root, encoding="utf-8",
                                                     xml_declaration=False)
        record = {
            "stem": built.stem, "kind": kind_name(kind, opts), "lang": lang,
            "version": version, "released": when.isoformat(),
            "date": case.brief.date.isoformat(), "brief_version": case.brief.version,
            "content_sha256": digest,
            "files": {n: hashlib.sha256(b).hexdigest() for n, b in sorted(files.items())},
            "positions": positions_of(signed.document),
            "build": {"kind": kind, "lang": lang,
                      "opts": {k: v for k, v in sorted(opts.items()) if k != "audience" and v is not None}},
            "audience": audience, "case": case.name,
        }
        staged.append((built.stem, record, files))
    if not staged:
        raise InputError("nothing to release: " + "; ".join(notes),
                         hint="change the brief or the library first; draft versions lists "
                         "the released versions")
    done = []
    for stem, record, files in staged:
        done.append((_commit(case.folder, stem, record, files), record))
    return done, notes


def _commit(case_folder, stem, record, files) -> Path:
    """Write one version folder, read-only, all or nothing (store/atomic.py: staged
    beside it and renamed into place); never onto an existing version."""
    sdir = _stem_dir(case_folder, stem)
    target = sdir / f"v{record['version']}"
    blobs = dict(files)
    blobs["release.json"] = (json.dumps(record, indent=1, ensure_ascii=False,
                                        sort_keys=True) + "\n").encode("utf-8")
    try:
        sdir.mkdir(parents=True, exist_ok=True)
        create_folder(target, blobs, mode=0o444)
    except FileExistsError:
        raise InputError(f"{stem} v{record['version']} is already released", path=target,
                         hint="released versions are never overwritten") from None
    except OSError as exc:
        raise EnvironmentProblem(f"cannot write the release: {exc.strerror or exc}",
                                 path=getattr(exc, "filename", None) or sdir,
                                 hint="check the folder's permissions and free space") from None
    return target
