"""Translation: the English of a clause (or agreement) file renders its French as it is
now, paragraph for paragraph.

- `en_renders: N` says which French version the English renders; a version number alone
  cannot see a French text edited without one, so the file also records a hash of its
  French texts, `en_renders_sha:`, written by `draft clause rehash KEY` when the English
  has been brought up to the French. French that no longer hashes to it is an error:
  the English was written for another text. A file without the hash is a warning.
- Each {fr, en} pair has as many paragraphs in English as in French (a paragraph is a
  block of a folded text; the documents print one per paragraph, and a reviewer's edit
  of paragraph N is absorbed as paragraph N in both).

The hash covers every French text of the file, by its place in the file, whitespace
inside a paragraph ignored: the English, the comments, the owner and the layout of the
YAML do not change it.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from drafting.errors import InputError
from drafting.inputs.library import LANGS, NOT_CLAUSES, PAIR_META, paragraphs
from drafting.inputs.sources import Map, as_int, load_yaml
from drafting.store.read import read_utf8
from drafting.validate.problems import line_of

__all__ = ["HASH_FIELD", "french_hash", "check_translation", "rehash", "library_files"]

HASH_FIELD = "en_renders_sha"
HASH_LENGTH = 16  # hex digits: a change detector, not a signature


def text_pairs(node, dotted=""):
    """Every {fr, en} text pair under a node, with its dotted path (the library and leak
    checks walk them with this too)."""
    if isinstance(node, dict):
        if set(node) & set(LANGS) and set(node) <= set(LANGS) | set(PAIR_META):
            yield dotted, node
            return
        for key, value in node.items():
            yield from text_pairs(value, f"{dotted}.{key}" if dotted else str(key))
    elif isinstance(node, list):
        for i, value in enumerate(node, 1):
            yield from text_pairs(value, f"{dotted}[{i}]")


def french_hash(data) -> str:
    """The hash of a file's French texts (see the module's docstring)."""
    lines = []
    for dotted, pair in sorted(text_pairs(data), key=lambda item: item[0]):
        fr = pair.get("fr")
        if fr is None:
            continue
        paras = [" ".join(p.split()) for p in paragraphs(fr)]
        lines.append(dotted + "\t" + "\n\t".join(paras))
    digest = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
    return digest[:HASH_LENGTH]


def _key_of(data, path) -> str:
    """What `draft clause rehash` calls the file: the clause key, or
    agreements/<kind> for an agreement file."""
    path = Path(path)
    if path.parent.name == "agreements":
        return f"agreements/{path.stem}"
    return str(data.get("key") or path.stem)


def check_translation(found, data, path, what):
    """The English renders this French (hash), paragraph for paragraph."""
    if not isinstance(data, Map):
        return
    for dotted, pair in text_pairs(data):
        fr, en = pair.get("fr"), pair.get("en")
        if not fr or not en:
            continue  # a missing text is the parity check's
        n_fr, n_en = len(paragraphs(fr)), len(paragraphs(en))
        if n_fr != n_en:
            found.add(f"{what} {dotted}: the French has {n_fr} paragraph{'s' * (n_fr != 1)}, "
                      f"the English {n_en}", getattr(pair, "path", None) or path,
                      line_of(pair, "fr"), hint="the English renders the French paragraph for "
                      "paragraph (a blank line in a folded text starts a paragraph)",
                      code="paragraph-count")
    try:
        version = as_int(data.get("version") or 0)
        en_renders = as_int(data.get("en_renders") or version)
    except InputError:
        return  # reported by the header check
    if en_renders < version:
        return  # the English renders an older version: reported already
    recorded = str(data.get(HASH_FIELD) or "").strip()
    now = french_hash(data)
    key = _key_of(data, path)
    if not recorded:
        found.add(f"{what} does not record a hash of the French its English renders "
                  f"({HASH_FIELD})", path, line_of(data, "en_renders") or data.line,
                  hint=f"once the English renders the French as it is: draft clause rehash "
                  f"{key}", severity="warning", code="no-french-hash")
    elif recorded != now:
        found.add(f"{what}: the French has changed since the English was written "
                  f"({HASH_FIELD} {recorded}, the French now {now})", path,
                  line_of(data, HASH_FIELD), hint="bring the English up to the French (and "
                  f"raise version: if the French is new), then: draft clause rehash {key}",
                  code="french-changed")


# -- draft clause rehash ------------------------------------------------------------------

def library_files(root) -> dict:
    """{name: path}: every clause file by key (file stem) and every agreement file as
    agreements/<kind>."""
    folder = Path(root) / "clauses"
    out = {p.stem: p for p in sorted(folder.glob("*.yaml")) if p.name not in NOT_CLAUSES}
    for p in sorted((folder / "agreements").glob("*.yaml")):
        out[f"agreements/{p.stem}"] = p
    return out


def rehash(root, names=(), every=False) -> list:
    """Record that the English of these files renders their French as it is now:
    `en_renders_sha` set to the French's hash and `en_renders` to the file's version.
    Returns [(path, what changed or None)]; unknown names are one error naming them
    all; a file that does not parse is refused (draft check says why)."""
    from drafting.errors import Problem, Problems, did_you_mean
    from drafting.store.atomic import write_atomic
    from drafting.store.yamlfile import replace_section

    files = library_files(root)
    if every:
        chosen = list(files)
    else:
        unknown = [n for n in names if n not in files]
        if unknown:
            problems = []
            for name in unknown:
                problems.append(Problem(f"no clause or agreement file '{name}'",
                                        Path(root) / "clauses",
                                        hint=did_you_mean(name, list(files), "name a clause "
                                                          "key, or agreements/KIND", also=True)))
            raise Problems(problems)
        chosen = list(dict.fromkeys(names))
    staged = []
    for name in chosen:
        path = files[name]
        text = read_utf8(path)
        data = load_yaml(path)
        version = as_int(data.get("version") or 1)
        new_hash = french_hash(data)
        new = text
        said = []
        if str(data.get(HASH_FIELD) or "") != new_hash:
            new = replace_section(new, HASH_FIELD, new_hash, after="en_renders" if
                                  "en_renders" in data else "version")
            said.append(f"{HASH_FIELD} {new_hash}")
        if str(data.get("en_renders") or "") != str(version):
            new = replace_section(new, "en_renders", version, after="version")
            said.append(f"en_renders {version}")
        staged.append((path, new if new != text else None, ", ".join(said) or None))
    for path, new, _said in staged:  # every file parsed and hashed before any is written
        if new is not None:
            write_atomic(path, new)
    return [(path, said) for path, _new, said in staged]

