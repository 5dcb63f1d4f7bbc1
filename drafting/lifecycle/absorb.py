"""`draft absorb FILE.docx`: a reviewer's Word edits flow back into the brief.

The document is the one the file's custom properties name (docProps/custom.xml, written
by writers/docx.py: document, kind, language, options, case), whatever the file is called
(`Réponse Johnson - DAJ.docx`); a file without them is named by its file name
(`reply.fr (DAJ).docx` -> reply.fr). The tool builds the same document afresh and reads
both DOCX files paragraph by paragraph through the hidden bookmarks the writer puts
around each paragraph from the library or the brief (links.py), the whole paragraph: a
sentence typed after the bookmark's end is an edit of that paragraph. A paragraph whose text differs is
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
the file, comments included, is kept byte for byte. Tracked changes not yet accepted
(w:ins / w:del) are listed and nothing is written until the drafter says `--accept-tracked`
or `--ignore-tracked`. Edits to the tool's own text (date line, salutation, labels) and
paragraphs removed are reported, not applied: they are decisions for the brief.
A French paragraph absorbed without its English leaves the English rendering stale:
draft check says so (validate/lifecycle.py, `english-not-absorbed`) until the English is
absorbed or written too. An English override records which French it renders, beside
`fr:` and `en:` (`en_renders_sha:`, a hash of the French override's paragraph, as a
clause file's `en_renders_sha` records its French): absorb writes it when it takes in the
English, `draft override rehash KEY` when the English was written by hand, so a later
French edit (absorbed again, or typed into the brief) flags the English again:

    reply:
      fr:
        '1': S'agissant des patrouilles conjointes ...
      en:
        '1': As regards joint patrols ...
      en_renders_sha:
        '1': 3f0c9a4e1b2d7c65
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from drafting.errors import EnvironmentProblem, InputError, excerpt
from drafting.store.edit import plain

__all__ = ["absorb", "read_units", "Change", "RENDERS", "override_fields", "french_rendered",
           "renders_hash", "record_of", "rehash_overrides"]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TRACKED = {W + "ins", W + "del", W + "moveFrom", W + "moveTo"}
# what each element of a run reads as (None: its text); Word writes a non-breaking hyphen
# (Ctrl+Shift+-) and an optional one (Ctrl+-) as elements, not characters
_TEXT = {W + "t": None, W + "delText": None, W + "tab": "\t", W + "br": " ", W + "cr": " ",
         W + "noBreakHyphen": "\u2011", W + "softHyphen": ""}


@dataclass
class Unit:
    text: str = ""          # the text as it reads with tracked changes rejected
    tracked: bool = False
    accepted: str = ""      # the text as it reads with tracked changes accepted
    before: str = ""        # the paragraph's text before the bookmark's start
    after: str = ""         # ... and after its end


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
    status: str = "absorbed"   # absorbed | tracked | ignored | removed | label | unlinked | comment
    path: tuple = field(default_factory=tuple)
    source: str = ""           # unlinked: where that text comes from, when not the brief's

    def describe(self) -> str:
        where = f"{self.key} ({', '.join(x for x in (self.position, self.field, self.lang) if x)}, \u00b6{self.para})"
        if self.status == "absorbed":
            return f"{self.stem}: {where} -> overrides.{'.'.join(self.path)}"
        if self.status == "tracked":
            return (f"{self.stem}: {where if self.key else 'a paragraph outside the library text'}"
                    f" has tracked changes not accepted: {_tracked_diff(self.old, self.new)}")
        if self.status == "ignored":
            return (f"{self.stem}: {where}: its tracked changes were left out "
                    f"(--ignore-tracked)")
        if self.status == "removed":
            return (f"{self.stem}: {where} was removed in the file: not applied (to drop it, "
                    f"change the position in the brief)")
        if self.status == "comment":
            return (f"{self.stem}: a comment by {self.old or 'a reviewer'} (\u201c"
                    f"{excerpt(self.new, 80)}\u201d) is not text of the letter: not absorbed; "
                    "the file stays protected (draft writes over it only with --force, "
                    "which keeps a backup)")
        if self.status == "label":
            return f"{self.stem}: {where}: the label is the tool's text: not applied"
        source = self.source or "the brief, people.yaml or protocol.yaml"
        if not self.new:
            return (f"{self.stem}: the tool's own text \u201c{excerpt(self.old, 60)}\u201d was "
                    f"removed: not applied (it comes from {source}: change it there)")
        if not self.old:
            keep = (f"write it into {self.source}" if self.source else
                    "add it to the brief: draft paragraph add --after KEY --fr ... --en ...")
            return (f"{self.stem}: a paragraph was added outside the library's text "
                    f"(\u201c{excerpt(self.new, 60)}\u201d): not applied (to keep it, {keep})")
        return (f"{self.stem}: the tool's own text was edited (\u201c{excerpt(self.new, 60)}\u201d): "
                f"not applied (it comes from {source}: change it there)")


def _tracked_diff(without, with_):
    """What the tracked changes do to a paragraph: adds “...”, removes “...”."""
    i = 0
    while i < min(len(without), len(with_)) and without[i] == with_[i]:
        i += 1
    j = 0
    while j < min(len(without), len(with_)) - i and without[-1 - j] == with_[-1 - j]:
        j += 1
    removed, added = without[i:len(without) - j], with_[i:len(with_) - j]
    said = [f"adds \u201c{excerpt(added, 80)}\u201d" if added.strip() else "",
            f"removes \u201c{excerpt(removed, 80)}\u201d" if removed.strip() else ""]
    return "; ".join(x for x in said if x) or "changes its layout only"




# -- reading a DOCX -------------------------------------------------------------------------

def _member_xml(data: bytes, member: str, path=None):
    """The root element of a member of the DOCX, read bounded, without DTD or entities
    (etree.XMLSyntaxError when it is not XML)."""
    from drafting.store.read import xml_without_dtd, zip_member
    xml = xml_without_dtd(zip_member(data, member, path), member, path)
    return etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True,
                                                 load_dtd=False))


def _document_xml(data: bytes, path=None):
    try:
        root = _member_xml(data, "word/document.xml", path)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"the document's text (word/document.xml) is damaged: {exc}",
                         path=path, hint="open it in Word and save it again as .docx") from None
    body = root.find(W + "body")
    if body is None:
        raise InputError("the document has no text (no w:body in word/document.xml)",
                         path=path, hint="open it in Word and save it again as .docx")
    return body


class Loose(str):
    """A paragraph outside any bookmark (the tool's own text, or one a reviewer added),
    as it reads with tracked changes rejected; `accepted`: with them accepted;
    `tracked`: it has some; `after_unit`: the unit whose bookmark ended in the paragraph
    just before it (a reviewer's paragraph typed after a library paragraph), else None."""

    def __new__(cls, text, accepted=None, tracked=False, after_unit=None):
        self = super().__new__(cls, text)
        self.accepted = text if accepted is None else accepted
        self.tracked, self.after_unit = tracked, after_unit
        return self


def read_units(data: bytes, path=None):
    """({bookmark name: Unit}, [Loose: paragraphs outside any bookmark], tracked count).

    A unit is the text of a linked paragraph: inside its bookmark, and whatever else the
    paragraph holds (a sentence a reviewer typed after the bookmark's end, or before its
    start, is the paragraph's too: `before`/`after`). Each unit reads two ways: `text`
    with tracked changes rejected (as the paragraph was), `accepted` with them accepted.

    The archive and its document.xml are bounded (store/read.zip_member), a DOCTYPE or
    an entity is refused, and XML that does not parse or has no body is bad input."""
    body = _document_xml(data, path)
    units, unlinked, open_ids = {}, [], {}
    tracked_total = 0
    ended = None  # the unit whose bookmark ended in the paragraph before, none still open

    def add(names, rejected, accepted, tracked, where=None):
        for name in names:
            u = units[name]
            u.text += rejected
            u.accepted += accepted
            u.tracked = u.tracked or tracked
            if where == "after":
                u.after += rejected

    for p in body.iter(W + "p"):
        touched = set(open_ids.values())
        pending = []  # text of this paragraph before any of its units starts
        last = None   # the unit that ended last in this paragraph
        plain, plain_accepted, plain_tracked = [], [], False
        field = None  # a complex field: its instruction, then whether its result is a REF's
        for el in p.iter():
            tag = el.tag
            if tag == W + "fldChar":
                kind = el.get(W + "fldCharType")
                if kind == "begin":
                    field = ""
                elif kind == "separate" and isinstance(field, str):
                    field = field.split()[:1] == ["REF"]
                elif kind == "end":
                    field = None
                continue
            if tag == W + "instrText" and isinstance(field, str):
                field += el.text or ""
                continue
            if tag == W + "bookmarkStart" and str(el.get(W + "name", "")).startswith("_dr"):
                name = el.get(W + "name")
                open_ids[el.get(W + "id")] = name
                u = units.setdefault(name, Unit())
                if pending and name not in touched:  # typed before the bookmark's start
                    u.before = "".join(r for r, _a, _t in pending)
                    add([name], u.before, "".join(a for _r, a, _t in pending),
                        any(x for _r, _a, x in pending))
                    pending = []
                touched.add(name)
                continue
            if tag == W + "bookmarkEnd" and el.get(W + "id") in open_ids:
                last = open_ids.pop(el.get(W + "id"))
                continue
            if tag in _TEXT:
                anc = [a.tag for a in el.iterancestors() if a.tag in _TRACKED]
                piece = _TEXT[tag] if _TEXT[tag] is not None else el.text or ""
                if field is True:  # a cross-reference's result, in one case: Word shows
                    piece = piece.lower()  # "article 16" (\* Lower), LibreOffice "Article 16"
                inserted = bool(anc) and anc[0] in (W + "ins", W + "moveTo")
                rejected, accepted = ("", piece) if inserted else \
                    ((piece, "") if anc else (piece, piece))
                if anc:
                    tracked_total += 1
                names = set(open_ids.values())
                if names:
                    add(names, rejected, accepted, bool(anc))
                elif last is not None:  # typed after the bookmark's end
                    add([last], rejected, accepted, bool(anc), where="after")
                else:
                    pending.append((rejected, accepted, bool(anc)))
                if not names:
                    plain.append(rejected)
                    plain_accepted.append(accepted)
                    plain_tracked = plain_tracked or bool(anc)
            elif tag in _TRACKED:
                for name in set(open_ids.values()) | ({last} if last else set()):
                    units[name].tracked = True
                plain_tracked = plain_tracked or not touched
        for name in set(open_ids.values()):  # a paragraph the reviewer split: one more
            units[name].text += "\n"
            units[name].accepted += "\n"
        if not touched:
            unlinked.append(Loose("".join(plain), "".join(plain_accepted), plain_tracked,
                                  ended))
        ended = last if touched and not open_ids else None
    for u in units.values():
        u.text, u.accepted = u.text.rstrip("\n"), u.accepted.rstrip("\n")
    return units, unlinked, tracked_total


def read_comments(data: bytes, path=None) -> list:
    """(author, text) of each Word comment of the file (word/comments.xml), replies too;
    [] when it has none or they cannot be read."""
    import io
    import zipfile
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            if "word/comments.xml" not in z.namelist():
                return []
        root = _member_xml(data, "word/comments.xml", path)
    except (zipfile.BadZipFile, etree.XMLSyntaxError):
        return []
    out = []
    for c in root.iter(W + "comment"):
        text = " ".join("".join(t.text or "" for t in p.iter(W + "t")) for p in c.iter(W + "p"))
        out.append((c.get(W + "author") or "", " ".join(text.split())))
    return out


_PROPS = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"


def read_identity(data: bytes, path=None) -> dict:
    """The custom properties the writer puts into every DOCX (docProps/custom.xml:
    draft.document, draft.kind, draft.lang, draft.options, draft.case); {} when the
    file has none (an older file, or one made elsewhere). Word and LibreOffice keep them
    when they save, whatever the file is then called."""
    import io
    import zipfile
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            if "docProps/custom.xml" not in z.namelist():
                return {}
    except zipfile.BadZipFile:
        return {}  # read_units says what is wrong with the file
    try:
        root = _member_xml(data, "docProps/custom.xml", path)
    except etree.XMLSyntaxError:
        return {}
    props = {}
    for prop in root.iter(_PROPS + "property"):
        name = prop.get("name") or ""
        if name.startswith("draft."):
            props[name[len("draft."):]] = "".join(prop.itertext()).strip()
    return props


def _not_docx(path: Path):
    """A reviewed file that is no .docx: say how to make it one (LibreOffice saves .odt
    by default; Word and LibreOffice keep draft's properties and bookmarks in a .docx)."""
    suffix = Path(path).suffix.lower()
    if suffix in (".odt", ".doc", ".rtf", ".docm", ".dotx", ".fodt"):
        hint = (f"open it in Word or LibreOffice and save it as a Word document (.docx: File > "
                f"Save As, Word 2007-365), then absorb that file (a {suffix} is not read)")
    else:
        hint = "give the DOCX the reviewer sent back"
    return InputError("absorb reads a Word document (.docx)", path=path, hint=hint)


def identify(path: Path, data: bytes | None = None):
    """(document name, properties) of a reviewed DOCX: from the properties the writer
    put in it, else from its file name (`reply.fr (DAJ).docx`)."""
    from drafting.store.read import read_bytes
    path = Path(path)
    if not path.name.lower().endswith(".docx"):
        raise _not_docx(path)
    if data is None:
        data = read_bytes(path, what="Word document (DOCX)")
    props = read_identity(data, path)
    if props.get("document"):
        return props["document"], props
    return stem_from_file(path), props


def case_named_by(root, data: bytes, path=None) -> str | None:
    """The case a reviewed DOCX's properties name, when the workspace at `root` has it."""
    case = read_identity(data, path).get("case")
    return case if case and (Path(root) / "letters" / case).is_dir() else None


def brief_named_by(folder, data: bytes, path=None) -> Path | None:
    """The brief a reviewed DOCX was drafted from (its draft.brief property), in the case
    `folder`, when it is another than the case's brief.yaml and is there."""
    name = read_identity(data, path).get("brief")
    if not name or name == "brief.yaml" or "/" in name.replace("\\", "/"):
        return None
    candidate = Path(folder) / name
    return candidate if candidate.is_file() else None


def positions_named_by(data: bytes, path=None) -> tuple:
    """The --position KEY=POSITION choices a reviewed DOCX was drafted with (its
    draft.options), for absorb to draft the same text."""
    import json
    try:
        chosen = json.loads(read_identity(data, path).get("options") or "{}").get("positions")
    except (ValueError, AttributeError):
        return ()
    if not isinstance(chosen, dict):
        return ()
    return tuple(f"{k}={v}" for k, v in sorted(chosen.items()))


def _same_brief(case, props, docx_path):
    """A file drafted from one brief is compared with the draft of that brief, and its
    edits go into it: --brief naming another is refused."""
    drafted = props.get("brief")
    if not drafted:
        return
    brief = Path(case.brief.path)
    try:
        used = brief.resolve().relative_to(Path(case.folder).resolve()).as_posix()
    except (ValueError, OSError):
        used = brief.name
    if used != drafted:
        where = f"letters/{Path(case.folder).name}/{drafted}"
        raise InputError(f"this file was drafted from {drafted}, not {used}: its edits belong "
                         "to that brief", path=docx_path,
                         hint=f"run: draft absorb --brief {where} ... (or leave --brief out)")


# -- the document a file is ---------------------------------------------------------------

def stem_from_file(path: Path) -> str:
    name = Path(path).name
    if not name.lower().endswith(".docx"):
        raise _not_docx(path)
    base = name[:-5]
    m = re.match(r"^([a-z-]+(?:\.[a-z-]+)*?\.(?:fr|en|parallel))(?=$|[^a-z])", base)
    if not m:
        raise InputError("neither the file's properties nor its name say which document it is "
                         "(it was not written by draft, or its custom properties were removed)",
                         path=path, hint="absorb the DOCX draft wrote, as the reviewer saved it "
                         "(any name), or name it after the document, e.g. reply.fr.docx")
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


def _base_paragraphs(case, key, position, fld, lang) -> list | None:
    """The paragraphs an override of this field replaces: the clause's text under the
    position, or a brief paragraph's own text; None when unknown."""
    from drafting.inputs.library import paragraphs
    if fld == "brief":
        for item in case.brief.paragraphs:
            if str(item.get("key")) == key and item.get(lang):
                return paragraphs(item.get(lang))
        return None
    clause = case.library.get(key)
    text = clause.text(position, fld, lang) if clause and position else None
    return paragraphs(text) if text else None


def _source_of(n: int, base, node):
    """Rendered paragraph `n` of a field -> (the paragraph number its text comes from,
    the sub-paragraphs of that number's override or None, which of them), as
    compose.apply_override lays them out: an override paragraph may hold several
    paragraphs (a paragraph a reviewer split, or typed after), so the rendered numbers
    run past the library's."""
    from drafting.inputs.library import paragraphs
    if base is None:
        return n, None, 0
    layout = [(i, None, 0) for i in range(1, len(base) + 1)]
    numbered = {}
    for k, value in (node.items() if isinstance(node, dict) else ()):
        try:
            numbered[int(str(k))] = paragraphs(value)
        except ValueError:
            continue
    size = len(layout)
    for i in sorted(numbered, reverse=True):
        if 1 <= i <= size + 1 and numbered[i]:
            layout[i - 1:i] = [(i, numbered[i], s) for s in range(len(numbered[i]))]
    if 1 <= n <= len(layout):
        k, parts, s = layout[n - 1]
        return k, (list(parts) if parts else None), s
    return n, None, 0


# -- the brief's overrides section ---------------------------------------------------------

RENDERS = "en_renders_sha"  # beside fr: and en: of an overridden field (module docstring)


def override_fields(overridden, library):
    """(key, position, field, node) of each overridden field of the brief's `overrides:`:
    node is the field's {fr:, en:, en_renders_sha:} mapping (or whatever the brief has
    there); position is '' for an override of the field under any position. A key whose
    value is not a mapping gives one entry with field ''."""
    for key, node in (overridden or {}).items():
        if not isinstance(node, dict):
            yield str(key), "", "", node
            continue
        clause = library.get(str(key))
        positions = set(clause.positions) if clause else set()
        for name, sub in node.items():
            if name in positions and isinstance(sub, dict):
                for fld, langs in sub.items():
                    yield str(key), str(name), str(fld), langs
            else:
                yield str(key), "", str(name), sub


def _in(node, para):
    """node[para] whatever the YAML made of the number (1 or '1'); None when absent."""
    if isinstance(node, dict):
        for k, v in node.items():
            if str(k) == para:
                return v
    return None


def _norm(text) -> str:
    return " ".join(str(text).split())  # non-breaking spaces too: typography is no change


def french_rendered(fr_node, para: str) -> str:
    """The French that the English of paragraph `para` ('' = the whole field) renders,
    as the French override says it (whitespace normalised); '' when the French of that
    paragraph is not overridden (the library's)."""
    from drafting.inputs.library import paragraphs
    if fr_node is None:
        return ""
    if isinstance(fr_node, dict):
        if para == "":
            return "\n".join(f"{k}\t{_norm(v)}" for k, v in
                             sorted(fr_node.items(), key=lambda kv: str(kv[0]).zfill(4)))
        value = _in(fr_node, para)
        return _norm(value) if value is not None else ""
    paras = [_norm(p) for p in paragraphs(str(fr_node))]
    if para == "":
        return "\n".join(paras)
    try:
        return paras[int(para) - 1]
    except (ValueError, IndexError):
        return ""


def renders_hash(fr_node, para: str) -> str:
    """The record an English override keeps of the French it renders (`en_renders_sha`)."""
    import hashlib
    return hashlib.sha256(french_rendered(fr_node, para).encode("utf-8")).hexdigest()[:16]


def record_of(field_node, para: str):
    """The recorded hash for the English of paragraph `para` ('' = the whole field), or
    None when the brief records none."""
    rec = field_node.get(RENDERS) if isinstance(field_node, dict) else None
    if para == "":
        return str(rec).strip() if isinstance(rec, str) else None
    value = _in(rec, para)
    return str(value).strip() if value is not None else None


def _get(tree, path):
    node = tree
    for part in path:
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _record(field_node, para: str, value: str):
    """Write the record of the English of paragraph `para` ('' = the whole field)."""
    if para == "":
        field_node[RENDERS] = value
        return
    rec = field_node.get(RENDERS)
    if not isinstance(rec, dict):
        field_node[RENDERS] = rec = {}
    rec[para] = value


def _records_for(field_node) -> object:
    """What `en_renders_sha` should say for this field's English as the French is now."""
    en, fr = field_node.get("en"), field_node.get("fr")
    if isinstance(en, dict):
        return {str(k): renders_hash(fr, str(k)) for k in en}
    return renders_hash(fr, "")


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

TRACKED_MODES = (None, "accept", "ignore")


def absorb(case, docx_path, dry_run=False, tracked=None, data: bytes | None = None) -> list:
    """Absorb a reviewer's edits; return the Changes (absorbed and reported).

    `tracked`: what to do with tracked changes not yet accepted: None lists them and
    writes nothing (the command exits 1), "accept" takes the text as it reads with them
    accepted, "ignore" as it reads without them. When every difference was taken in,
    the output folder's record (store/output.py) learns that the file's content is
    absorbed: the next run replaces it without --force. `data`: the file's bytes, when
    the caller has read them already (case_named_by)."""
    from drafting import writers as _writers
    from drafting.documents.compose import override_at, values
    from drafting.documents.registry import parse_stem
    from drafting.lifecycle.release import current_build
    from drafting.tree.links import assign_links

    if tracked not in TRACKED_MODES:
        raise ValueError(tracked)
    docx_path = Path(docx_path)
    if data is None:
        from drafting.store.read import read_bytes
        data = read_bytes(docx_path, what="Word document (DOCX)")
    stem, props = identify(docx_path, data)
    if props.get("case") and props["case"] != Path(case.folder).name:
        raise InputError(f"this file is a document of case '{props['case']}', not of "
                         f"'{Path(case.folder).name}'", path=docx_path,
                         hint=f"run: draft absorb --case {props['case']} ...")
    _same_brief(case, props, docx_path)
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
    if f_units and not r_units:
        raise InputError("the file carries none of the hidden bookmarks that tie its "
                         "paragraphs to the library (an external or fair copy, or a copy "
                         "pasted into a new document)", path=docx_path,
                         hint="absorb the internal or interministerial review DOCX")
    try:
        vals = values(case, lang)
    except Exception:  # noqa: BLE001 - placeholders are only restored when known
        vals = {}
    source = (f"clauses/agreements/{opts['agreement_kind']}.yaml"  # no bookmarks there yet
              if kind == "agreement" and opts.get("agreement_kind") else
              "the brief and the clauses the matrix sums up" if kind == "matrix" else "")
    changes = _loose_changes(stem, lang, f_unlinked, r_unlinked, r_units, links, tracked,
                             source)
    from drafting.writers.docx import REVIEWER  # the author of draft's own comments
    for author, said in read_comments(data, docx_path):
        if author != REVIEWER and said:  # a reviewer's: kept in the file, never dropped
            changes.append(Change(stem, "", "", "", lang, "", author, said, status="comment"))
    _rejoin(f_units, r_units, links)
    tree = plain(case.brief.overridden or {})  # a copy to edit
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
        text = ru.accepted if tracked == "accept" else ru.text
        if ru.tracked and tracked is None:
            ch.status, ch.old, ch.new = "tracked", ru.text, ru.accepted
            changes.append(ch)
            continue
        if text == fu.text:
            if ru.tracked:
                ch.status = "ignored"  # tracked changes the drafter chose to leave out
                changes.append(ch)
            continue
        # the paragraph's text outside the bookmark that the draft has there too (a
        # label, a number) is not part of the clause's text
        if fu.before and text.startswith(fu.before):
            text = text[len(fu.before):]
        if fu.after and text.endswith(fu.after):
            text = text[:-len(fu.after)]
        inner = fu.text[len(fu.before):len(fu.text) - len(fu.after)]
        prefix = _label_prefix(el, inner, lang)
        if prefix and not text.startswith(prefix):
            ch.status = "label"
            changes.append(ch)
            continue
        new = text[len(prefix):].strip()
        path, existing = override_at(tree, key, position, fld, lang)  # where it lives
        whole = isinstance(existing, str)
        base = _base_paragraphs(case, key, position, fld, lang)
        if whole:  # a whole-field override: change its paragraph
            from drafting.inputs.library import paragraphs
            paras = paragraphs(existing)
            i = int(para) - 1
            new = _tidy(new, base[i] if base and 0 <= i < len(base) else "", vals, lang)
            if 0 <= i < len(paras):
                paras[i] = new
            _set(tree, path, "\n".join(p for p in paras if p))
        else:
            path = path or ((key, position, fld, lang) if position else (key, fld, lang))
            k, parts, sub = _source_of(int(para), base, _get(tree, path))
            raw = parts[sub] if parts else (base[k - 1] if base and k <= len(base) else "")
            new = _tidy(new, raw, vals, lang)
            para = ch.para = str(k)
            if parts:  # one of several paragraphs that override paragraph k
                parts[sub] = new
            _set(tree, path + (para,), "\n".join(parts) if parts else new)
            path = path + (para,)
        if lang == "en":  # the English now renders the French as the brief has it
            field_path = path[:-1] if whole else path[:-2]
            node = _get(tree, field_path)
            rec_para = "" if whole else str(para)
            _record(node, rec_para, renders_hash(node.get("fr"), rec_para))
        ch.new, ch.path = new, tuple(path)
        changes.append(ch)
    if tracked is None and any(c.status == "tracked" for c in changes):
        return changes  # nothing written until the drafter says what to do with them
    absorbed = [c for c in changes if c.status == "absorbed"]
    if absorbed and not dry_run:
        _save(case, tree, absorbed)
    if not dry_run and all(c.status == "absorbed" for c in changes):
        from drafting.store.output import record_taken_in
        record_taken_in(docx_path, data)  # the next run may replace it: nothing is lost
    return changes


def _loose_changes(stem, lang, f_loose, r_loose, r_units, links, tracked, source="") -> list:
    """The paragraphs outside the library's text, the draft's and the reviewer's,
    compared in order. A paragraph the reviewer added right after a library paragraph
    (Enter at its end, then typing) is that paragraph's text too: it joins its unit as
    one more paragraph, as a paragraph split in two does. Any other added paragraph, and
    the tool's own text edited or removed, are reported, not applied. Tracked changes in
    them are listed like any other (status 'tracked') until --accept-tracked or
    --ignore-tracked."""
    import difflib
    changes = []
    texts = [u.accepted if tracked == "accept" else str(u) for u in r_loose]
    attached = set()
    sm = difflib.SequenceMatcher(None, list(f_loose), texts, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            continue
        unit = None
        for k, j in enumerate(range(j1, j2)):
            u = r_loose[j]
            unit = u.after_unit if u.after_unit else unit if j > j1 else None
            if op == "insert" and unit in r_units and unit in links:
                ru = r_units[unit]  # one more paragraph of that library paragraph
                if str(u).strip():
                    ru.text += "\n" + str(u)
                if u.accepted.strip():
                    ru.accepted += "\n" + u.accepted
                ru.tracked = ru.tracked or (u.tracked and u.accepted != str(u))
                attached.add(j)
                continue
            old = f_loose[i1 + k] if op == "replace" and i1 + k < i2 else ""
            if texts[j].strip() and (tracked is not None or not u.tracked):
                changes.append(Change(stem, "", "", "", lang, "", str(old), texts[j],
                                      status="unlinked", source=source))
        for i in range(i1 + (j2 - j1 if op == "replace" else 0), i2):
            if f_loose[i].strip():  # the tool's text the reviewer removed
                changes.append(Change(stem, "", "", "", lang, "", str(f_loose[i]), "",
                                      status="unlinked", source=source))
    if tracked is None:
        for j, u in enumerate(r_loose):
            if j not in attached and u.tracked and u.accepted != str(u):
                changes.append(Change(stem, "", "", "", lang, "", str(u), u.accepted,
                                      status="tracked"))
    return changes


def _rejoin(f_units, r_units, links):
    """A paragraph of the reviewer's file that the draft now prints as several (its split,
    or the paragraph typed after it, absorbed already) is the same text, not an edit:
    the reviewer's unit takes the draft's paragraphs back when it reads as them, so
    absorbing a file twice changes nothing."""
    names = list(f_units)
    for i, name in enumerate(names):
        ru = r_units.get(name)
        if ru is None or "\n" not in ru.text or ru.tracked or name not in links:
            continue
        lines = [" ".join(x.split()) for x in ru.text.split("\n")]
        where = tuple(links[name].get(a) for a in ("data-clause", "data-field", "data-position"))
        followers = []
        for other in names[i + 1:i + len(lines)]:
            el = links.get(other)
            if other in r_units or el is None or tuple(
                    el.get(a) for a in ("data-clause", "data-field", "data-position")) != where:
                break
            followers.append(other)
        fresh = [" ".join(f_units[x].text.split()) for x in [name, *followers]]
        if fresh == lines:
            for x in [name, *followers]:
                r_units[x] = Unit(**vars(f_units[x]))


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


# -- draft override rehash --------------------------------------------------------------------

def rehash_overrides(case, keys=(), every=False, dry_run=False) -> list:
    """Record that the English overrides of these clause keys (or brief paragraphs; every
    one with `every`) render the French of the brief as it is now: `en_renders_sha` beside
    each overridden field's `en:`. Returns [(where, what changed or None)]; a key with no
    English override is an error naming them all, nothing written."""
    from drafting.errors import Problem, Problems, did_you_mean
    path = Path(case.brief.path)
    tree = plain(case.brief.overridden or {})  # a copy to edit
    fields = [(k, pos, fld) for k, pos, fld, node in override_fields(tree, case.library)
              if fld and isinstance(node, dict) and node.get("en") is not None]
    with_english = list(dict.fromkeys(k for k, _p, _f in fields))
    if not every:
        unknown = [k for k in keys if k not in with_english]
        if unknown:
            raise Problems([Problem(f"'{k}' has no English override in the brief", path,
                                    hint=did_you_mean(k, with_english, "name a key under "
                                                      "overrides: with an en: text"
                                                      if with_english else "the brief's "
                                                      "overrides: have no en: text",
                                                      also=True))
                            for k in unknown])
    said = []
    for key, position, fld in fields:
        if not every and key not in keys:
            continue
        field_path = (key, position, fld) if position else (key, fld)
        node = _get(tree, field_path)
        want = _records_for(node)
        where = " ".join(x for x in (key, position, fld) if x)
        if node.get(RENDERS) == want:
            said.append((where, None))
            continue
        node[RENDERS] = want
        said.append((where, f"{RENDERS} " + (want if isinstance(want, str) else ", ".join(
            f"\u00b6{p} {h}" for p, h in want.items()))))
    if not dry_run and any(s for _w, s in said):
        from drafting.store.read import read_utf8
        original = read_utf8(path, what="brief")
        _write_brief(path, replace_overrides_section(original, tree))
    return said
