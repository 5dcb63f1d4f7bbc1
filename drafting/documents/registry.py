"""Every kind of document the tool makes, in one table.

A kind names its template, the module whose `context(case, lang, **opts)` builds the
template's values from the case's choices, the languages it comes in, whether it needs
the case's meeting, whether it is internal by nature, the options it takes and whether
`draft pack` makes it. Adding a kind is a row here, a module and a template; the CLI,
`draft pack` and `draft check` read this table.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module

from drafting.errors import InputError, did_you_mean
from drafting.inputs.library import LANGS

__all__ = ["Kind", "KINDS", "kind_of", "register", "unregister", "names", "pack_jobs", "asked_kinds",
           "parse_kind", "kind_name", "parse_stem"]

# options every kind takes: who reads it, draft or fair copy
COMMON_OPTIONS = frozenset({"audience", "final"})


@dataclass(frozen=True)
class Kind:
    name: str                          # "reply": the CLI's and the file stem's word
    module: str                        # drafting.documents.reply: has context(case, lang, **opts)
    template: str                      # reply.html.j2 (the context may name another)
    languages: tuple = LANGS
    needs_meeting: bool = False        # made only for a case with a meeting.yaml
    internal_only: bool = False        # refused for any audience but internal
    options: frozenset = field(default_factory=frozenset)  # beyond audience and final
    in_pack: bool = True
    summary: str = ""

    def implementation(self):
        return import_module(self.module)

    def context(self, case, lang, **opts) -> tuple[str, dict]:
        """(template, values) for one language; the module may pick another template."""
        ctx = self.implementation().context(case, lang, **opts)
        return ctx.pop("template", self.template), ctx

    def stem(self, lang, **opts) -> str:
        """Output file name without extension: reply.fr, agreement-readmission.uk-copy.mou.en."""
        impl = self.implementation()
        return impl.stem(lang, **opts) if hasattr(impl, "stem") else f"{self.name}.{lang}"

    def variants(self, case) -> list[dict]:
        """The option sets `draft pack` makes for this case (agreements: one per kind)."""
        impl = self.implementation()
        return impl.variants(case) if hasattr(impl, "variants") else [{}]

    def parse(self, stem, parts, last) -> dict:
        """The options a file stem's middle parts name (the inverse of `stem`)."""
        impl = self.implementation()
        if hasattr(impl, "parse_stem"):
            return impl.parse_stem(stem, parts, last)
        if parts:
            raise InputError(f"'{stem}' is not a document name",
                             hint="e.g. reply.fr or annotated-agenda.en")
        return {}

    def accepts(self, option) -> bool:
        return option in COMMON_OPTIONS or option in self.options


_M = "drafting.documents."
KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("reply", _M + "reply", "reply.html.j2",
         summary="the reply letter and its English courtesy translation"),
    Kind("agenda", _M + "agenda", "agenda.html.j2", needs_meeting=True,
         summary="the meeting's circulation agenda, for delegations"),
    Kind("annotated-agenda", _M + "annotated_agenda", "annotated-agenda.html.j2",
         needs_meeting=True, internal_only=True,
         summary="the annotated agenda for our minister (internal)"),
    Kind("declaration", _M + "declaration", "declaration.html.j2", needs_meeting=True,
         summary="the meeting's draft joint declaration"),
    Kind("agreement", _M + "agreement", "agreement.html.j2",
         options=frozenset({"agreement_kind", "copy", "register", "parallel", "omit_declined"}),
         summary="the skeleton of a draft bilateral agreement"),
    Kind("matrix", _M + "matrix", "matrix.html.j2", in_pack=False,
         summary="the response matrix: one row per proposal"),
)}


def names() -> tuple:
    return tuple(KINDS)


def kind_of(name) -> Kind:
    kind = KINDS.get(str(name))
    if kind is None:
        raise InputError(f"unknown document kind '{name}'",
                         hint=did_you_mean(name, KINDS, "kinds: " + ", ".join(KINDS)))
    return kind


def register(kind: Kind) -> Kind:
    """Add a kind (a workspace's own, or a test's); returns it."""
    KINDS[kind.name] = kind
    return kind


def unregister(name) -> None:
    KINDS.pop(name, None)


def asked_kinds(case):
    """The kinds the brief's `documents:` names (None: every kind of the pack)."""
    data = getattr(case.brief, "data", None)
    asked = data.get("documents") if data is not None else None
    if asked is None:
        return None
    path = getattr(asked, "path", None) or case.brief.path
    for name in asked if isinstance(asked, list) else [asked]:
        if str(name) not in KINDS:
            raise InputError(f"unknown document kind '{name}' in documents:", path=path,
                             line=getattr(name, "line", None),
                             hint=did_you_mean(name, KINDS, "kinds: " + ", ".join(KINDS)))
    return {str(n) for n in (asked if isinstance(asked, list) else [asked])}


def pack_jobs(case, langs=LANGS) -> list[tuple[str, str, dict]]:
    """(kind, lang, options) for every document of the case's pack: the kinds the
    brief's `documents:` names (all by default), those that need a meeting only with
    the case's meeting, and the agreements its `agreements:` names."""
    internal = case.brief.audience == "internal"
    asked = asked_kinds(case)
    jobs = []
    for kind in KINDS.values():
        if not kind.in_pack or (kind.needs_meeting and case.meeting is None):
            continue
        if asked is not None and kind.name not in asked:
            continue
        if kind.internal_only and not internal:  # e.g. the annotated agenda
            continue
        for opts in kind.variants(case):
            jobs += [(kind.name, lang, dict(opts)) for lang in langs if lang in kind.languages]
    return jobs


# -- document names: 'reply', 'agreement-readmission', 'reply.fr' ---------------------------

def parse_kind(name: str):
    """'reply' -> ('reply', {}); 'agreement-readmission' -> ('agreement', {...}): a
    document name as release, signoff and compare take it."""
    name = str(name)
    if name in KINDS and KINDS[name].name != "agreement":
        return name, {}
    if name.startswith("agreement-") and len(name) > len("agreement-") and "agreement" in KINDS:
        return "agreement", {"agreement_kind": name[len("agreement-"):]}
    choices = [k for k in KINDS if k != "agreement"] + [
        "agreement-readmission", "agreement-operational-cooperation"]
    raise InputError(f"unknown document kind '{name}'",
                     hint=did_you_mean(name, choices, "kinds: " + ", ".join(choices), also=True))


def kind_name(kind: str, opts: dict) -> str:
    """The inverse of parse_kind."""
    return f"agreement-{opts.get('agreement_kind', 'readmission')}" if kind == "agreement" else kind


def parse_stem(stem: str):
    """The inverse of Kind.stem: 'reply.fr' -> ('reply', 'fr', {}),
    'agreement-readmission.uk-copy.mou.en' -> ('agreement', 'en', {...})."""
    parts = str(stem).split(".")
    if len(parts) < 2:
        raise InputError(f"'{stem}' is not a document name", hint="e.g. reply.fr or annotated-agenda.en")
    kind, opts = parse_kind(parts[0])
    more = kind_of(kind).parse(stem, parts[1:-1], parts[-1])
    lang = more.pop("lang", parts[-1])
    if lang not in LANGS:
        raise InputError(f"'{stem}' names no language", hint="end it with " + " or ".join(
            f".{x}" for x in LANGS))
    return kind, lang, {**opts, **more}
