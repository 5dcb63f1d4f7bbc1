"""`draft absorb FILE.docx`: a reviewer's Word edits flow back into the brief.

The file's name gives the document (`reply.fr.docx` -> reply.fr; a reviewer's suffix as in
`reply.fr (DAJ).docx` is fine). The tool builds the same document afresh and reads both
DOCX files paragraph by paragraph through the hidden bookmarks the writer puts around each
paragraph from the library or the brief (links.py). A paragraph whose text differs is
mapped to its clause, position, field and paragraph number and written into the brief's
`overrides:` section as a case-specific override (never into clauses/):

    overrides:
      joint-patrols:
        decline:
          reply:
            fr:
              '1': >-
                S'agissant des patrouilles conjointes ...

Only that section of brief.yaml is rewritten (located by the YAML parser, emitted by the
store's one YAML emitter, the whole brief read back before it is written); the rest of
the file, comments included, is kept byte for byte. A paragraph holding tracked changes
not yet accepted (w:ins / w:del) is reported, not applied; so are edits to the tool's own
text (date line, salutation, labels) and paragraphs removed, which are decisions for the
brief.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from drafting.errors import EnvironmentProblem, InputError

__all__ = ["absorb", "read_units", "Change"]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TRACKED = {W + "ins", W + "del", W + "moveFrom", W + "moveTo"}


@dataclass
class Unit:
    text: str = ""          # the text as it reads with tracked changes rejected
    tracked: bool = False


@dataclass
class Change:
    stem: str
    key: str
    position: str
    field: str
    lang: str
    para: str
    old: str
    new: str
    status: str = "absorbed"   # absorbed | tracked | removed | label | unlinked
    path: tuple = field(default_factory=tuple)

    def describe(self) -> str:
        where = f"{self.key} ({', '.join(x for x in (self.position, self.field, self.lang) if x)}, \u00b6{self.para})"
        if self.status == "absorbed":
            return f"{self.stem}: {where} -> overrides.{'.'.join(self.path)}"
        if self.status == "tracked":
            return (f"{self.stem}: {where} has tracked changes not accepted: not applied "
                    f"(accept or reject them in Word, then absorb again)")
        if self.status == "removed":
            return (f"{self.stem}: {where} was removed in the file: not applied (to drop it, "
                    f"change the position in the brief)")
        if self.status == "label":
            return f"{self.stem}: {where}: the label is the tool's text: not applied"
        return (f"{self.stem}: the tool's own text was edited (\u201c{_short(self.new)}\u201d): "
                f"not applied (it comes from the brief, people.yaml or protocol.yaml)")


def _short(text, n=60):
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 1] + "\u2026"


# -- reading a DOCX -------------------------------------------------------------------------

def read_units(data: bytes, path=None):
    """({bookmark name: Unit}, [texts of paragraphs outside any bookmark], tracked count).

    The archive and its document.xml are bounded (store/read.zip_member), a DOCTYPE or
    an entity is refused, and XML that does not parse or has no body is bad input."""
    from drafting.store.read import xml_without_dtd, zip_member
    xml = xml_without_dtd(zip_member(data, "word/document.xml", path), "word/document.xml", path)
    try:
        root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True,
                                                     load_dtd=False))
    except etree.XMLSyntaxError as exc:
        raise InputError(f"the document's text (word/document.xml) is damaged: {exc}",
                         path=path, hint="open it in Word and save it again as .docx") from None
    body = root.find(W + "body")
    if body is None:
        raise InputError("the document has no text (no w:body in word/document.xml)",
                         path=path, hint="open it in Word and save it again as .docx")
    units, unlinked, open_ids = {}, [], {}
    tracked_total = 0
    for p in body.iter(W + "p"):
        in_units = set(open_ids.values())
        plain = []
        for el in p.iter():
            tag = el.tag
            if tag == W + "bookmarkStart" and str(el.get(W + "name", "")).startswith("_dr"):
                name = el.get(W + "name")
                open_ids[el.get(W + "id")] = name
                units.setdefault(name, Unit())
                in_units.add(name)
                continue
            if tag == W + "bookmarkEnd" and el.get(W + "id") in open_ids:
                del open_ids[el.get(W + "id")]
                continue
            if tag in (W + "t", W + "delText", W + "tab", W + "br"):
                anc = [a.tag for a in el.iterancestors() if a.tag in _TRACKED]
                if anc and anc[0] in (W + "ins", W + "moveTo"):
                    piece = ""  # inserted, not accepted: not part of the text yet
                else:
                    piece = {W + "tab": "\t", W + "br": " "}.get(tag, el.text or "")
                for name in set(open_ids.values()):
                    units[name].text += piece
                    if anc:
                        units[name].tracked = True
                if not open_ids:
                    plain.append(piece)
                if anc:
                    tracked_total += 1
            elif tag in _TRACKED:
                for name in set(open_ids.values()):
                    units[name].tracked = True
        for name in set(open_ids.values()):  # a paragraph the reviewer split: one more
            units[name].text += "\n"
        if not in_units and not open_ids:
            unlinked.append("".join(plain))
    for u in units.values():
        u.text = u.text.rstrip("\n")
    return units, unlinked, tracked_total


# -- the document a file is ---------------------------------------------------------------

def stem_from_file(path: Path) -> str:
    name = Path(path).name
    if not name.lower().endswith(".docx"):
        raise InputError("absorb reads a Word document (.docx)", path=path,
                         hint="give the DOCX the reviewer sent back")
    base = name[:-5]
    m = re.match(r"^([a-z-]+(?:\.[a-z-]+)*?\.(?:fr|en|parallel))(?=$|[^a-z])", base)
    if not m:
        raise InputError("the file name does not say which document it is", path=path,
                         hint="keep the generated name, e.g. reply.fr.docx (a suffix such as "
                         "'reply.fr (DAJ).docx' is fine)")
    return m.group(1)


# -- the new text of a paragraph ------------------------------------------------------------

def _label_prefix(el, fresh_text, lang):
    label = el.get("data-label")
    if not label:
        return ""
    from drafting.tree.typography import french
    for cand in ((french(label) if lang == "fr" else label) + " ", label + " "):
        if fresh_text.startswith(cand):
            return cand
    return ""


def _tidy(new, raw_para, vals, lang):
    """Plain spaces where French typography puts its own back; placeholders restored."""
    from drafting.tree.typography import french
    if lang == "fr":
        plain = new.replace("\u202f", " ").replace("\u00a0", " ")
        if french(plain) == french(new):
            new = plain
    for name in re.findall(r"\{([a-z_][a-z0-9_]*)\}", raw_para or ""):
        value = vals.get(name)
        if not isinstance(value, str) or not value:
            continue
        for form in {value, french(value) if lang == "fr" else value}:
            if new.count(form) == 1:
                new = new.replace(form, "{" + name + "}")
                break
    return new


def _raw_paragraph(case, key, position, fld, lang, para):
    from drafting.inputs.library import paragraphs
    clause = case.library.get(key)
    text = clause.text(position, fld, lang) if clause and position else None
    paras = paragraphs(text) if text else []
    try:
        return paras[int(para) - 1]
    except (ValueError, IndexError):
        return ""


# -- the brief's overrides section ---------------------------------------------------------

def _plain(node):
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    return str(node)


def _scope_of(overridden, key, position, fld, lang):
    """Where an override of this field already lives: (path, value) or (None, None)."""
    node = overridden.get(key)
    if not isinstance(node, dict):
        return None, None
    for scope, path in (((node.get(position), (key, position)),) if position else ()) + ((node, (key,)),):
        if isinstance(scope, dict) and isinstance(scope.get(fld), dict) and scope[fld].get(lang):
            return path + (fld, lang), scope[fld][lang]
    return None, None


def _set(tree, path, value):
    node = tree
    for part in path[:-1]:
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            raise InputError(f"the brief's override at {'.'.join(path)} is not a mapping",
                             hint="fix the overrides section of the brief")
    node[path[-1]] = value


_SECTION_HEAD = ("# Case-specific overrides of library text (clause key, [position,] field,\n"
                 "# language, [paragraph]). `draft absorb` writes this section; draft check\n"
                 "# reports each override to the clause's owner.\n")


def replace_overrides_section(text: str, tree: dict) -> str:
    """brief.yaml text with its top-level `overrides:` section (only) replaced: the
    section found by the YAML parser, written by the store's one emitter, and the
    whole brief read back (store/yamlfile.replace_section)."""
    from drafting.store.yamlfile import replace_section
    try:
        return replace_section(text, "overrides", tree, _SECTION_HEAD)
    except ValueError as exc:
        raise InputError(f"the brief's overrides cannot be rewritten: {exc}",
                         hint="fix the brief's YAML by hand, then absorb again") from None


def _write_brief(path: Path, text: str):
    from drafting.store.atomic import write_atomic
    try:
        write_atomic(path, text)  # keeps the brief's mode
    except OSError as exc:
        raise EnvironmentProblem(f"cannot write the brief: {exc.strerror or exc}", path=path,
                                 hint="check the file's permissions") from None


# -- the whole -------------------------------------------------------------------------------

def absorb(case, docx_path, dry_run=False) -> list:
    """Absorb a reviewer's edits; return the Changes (absorbed and reported)."""
    from drafting import writers as _writers
    from drafting.documents.compose import values
    from drafting.lifecycle.release import current_build, parse_stem
    from drafting.tree.links import assign_links

    docx_path = Path(docx_path)
    stem = stem_from_file(docx_path)
    from drafting.store.read import read_bytes
    data = read_bytes(docx_path, what="Word document (DOCX)")
    kind, lang, opts = parse_stem(stem)
    if opts.get("parallel"):
        raise InputError("absorb reads one language at a time; a parallel text is not supported",
                         path=docx_path, hint="edit the single-language DOCX instead")
    from drafting.lifecycle.release import verified_releases
    verified_releases(case.folder, stem)  # its draft line reads them: they must be what they say
    built = current_build(case, kind, lang, **opts)
    fresh = _writers.docx_bytes(case, built, case.brief.audience)
    links = assign_links(built.document.body)
    f_units, f_unlinked, _ = read_units(fresh)
    r_units, r_unlinked, _ = read_units(data, docx_path)
    try:
        vals = values(case, lang)
    except Exception:  # noqa: BLE001 - placeholders are only restored when known
        vals = {}
    changes = []
    tree = _plain(case.brief.overridden or {})
    for name, fu in f_units.items():
        el = links.get(name)
        if el is None:
            continue
        key, position = el.get("data-clause"), el.get("data-position") or ""
        fld, para = el.get("data-field") or "", el.get("data-para")
        if el.get("data-case-specific"):
            position, fld = "", "brief"
        ru = r_units.get(name)
        ch = Change(stem, key, position, fld, lang, para, fu.text, ru.text if ru else "")
        if ru is None:
            ch.status = "removed"
            changes.append(ch)
            continue
        if ru.tracked:
            ch.status = "tracked"
            changes.append(ch)
            continue
        if ru.text == fu.text:
            continue
        prefix = _label_prefix(el, fu.text, lang)
        if prefix and not ru.text.startswith(prefix):
            ch.status = "label"
            changes.append(ch)
            continue
        new = ru.text[len(prefix):].strip()
        raw = _raw_paragraph(case, key, position, fld, lang, para)
        new = _tidy(new, raw, vals, lang)
        path, existing = _scope_of(tree, key, position, fld, lang)
        if isinstance(existing, str):  # a whole-field override: change its paragraph
            from drafting.inputs.library import paragraphs
            paras = paragraphs(existing)
            i = int(para) - 1
            if 0 <= i < len(paras):
                paras[i] = new
            _set(tree, path, "\n".join(p for p in paras if p))
        else:
            path = path or ((key, position, fld, lang) if position else (key, fld, lang))
            _set(tree, path + (str(para),), new)
            path = path + (str(para),)
        ch.new, ch.path = new, tuple(path)
        changes.append(ch)
    # the tool's own text (outside any link), compared in order
    sm = __import__("difflib").SequenceMatcher(None, f_unlinked, r_unlinked, autojunk=False)
    for op, _i1, _i2, j1, j2 in sm.get_opcodes():
        if op in ("replace", "insert"):
            for text in r_unlinked[j1:j2]:
                if text.strip():
                    changes.append(Change(stem, "", "", "", lang, "", "", text, status="unlinked"))
    absorbed = [c for c in changes if c.status == "absorbed"]
    if absorbed and not dry_run:
        _save(case, tree, absorbed)
    return changes


def _save(case, tree, absorbed):
    from drafting.documents.compose import override_of
    from drafting.inputs.brief import load_brief
    path = Path(case.brief.path)  # the brief the document was built from (--brief too)
    from drafting.store.read import read_utf8
    original = read_utf8(path, what="brief")
    text = replace_overrides_section(original, tree)
    _write_brief(path, text)
    try:
        reread = load_brief(path)
        for c in absorbed:
            got = override_of(reread.overridden, c.key, c.position, c.field, c.lang)
            if got is None:
                raise InputError("the override did not read back", path=path)
    except Exception:
        _write_brief(path, original)
        raise
