"""The meeting's circulation agenda, for delegations (the annotated agenda for our
minister is annotated_agenda.py).

Every sentence comes from the clause library (compose.clause_block) or the case's
data; short labels come from clauses/protocol.yaml. Delegations are in EU protocol
order (drafting.meeting), the same in both languages.
"""
from __future__ import annotations

from drafting.inputs.meeting import meeting_of

__all__ = ["context", "agenda_context", "member_line", "head", "papers_date", "author_of"]


def member_line(person, lang) -> str:
    """'M. Gérald Darmanin, ministre de l'Intérieur'."""
    office = person.get("office", lang)
    return f"{person.courtesy_name(lang)}, {office}" if office else person.courtesy_name(lang)


def papers_date(case, meeting):
    """The date the meeting's papers bear (agenda, annotated agenda, draft declaration):
    meeting.yaml's `documents_date`, else the brief's. Papers dated after the meeting
    they prepare are reported by draft check (validate/editorial.py)."""
    from drafting.inputs.sources import as_date
    raw = meeting.data.get("documents_date")
    return case.brief.date if raw is None else as_date(raw)


def author_of(case, meeting, lang) -> str:
    """Who the meeting's papers come from: the chair's office (meeting.yaml `chair`)."""
    chair = case.person(meeting.data["chair"], meeting.data["chair"])
    office = str(chair.get("signature_title", lang) or chair.get("office", lang) or "")
    return office[:1].upper() + office[1:]


def head(case, meeting, lang, kind_label, audience):
    """What the agenda and the annotated agenda share: the meeting's title, date, venue,
    chair, delegations and items, and the document's properties."""
    labels = lambda name: case.protocol.label(lang, name)  # noqa: E731
    chair = case.person(meeting.data["chair"], meeting.data["chair"])
    title = meeting.title(lang)
    return {
        "lang": lang, "title": title, "kind_label": labels(kind_label),
        "labels": {k: labels(k) for k in ("date_label", "venue_label", "chair_label",
                                           "delegations", "agenda_items")},
        "date": meeting.date_text(lang),
        "venue": meeting.venue(lang),
        "chair": member_line(chair, lang),
        "delegations": [{"key": d.key, "name": str(d.name.get(lang, d.key)),
                         "members": [member_line(p, lang) for p in d.members]}
                        for d in meeting.invited],
        "items": [{"number": it.number, "time": it.time, "title": it.title}
                  for it in meeting.items(lang)],
        "audience": audience,
        "translation_heading": "",
        "author": author_of(case, meeting, lang),
        "subject": f"{title} - {labels(kind_label)}",
        "created": papers_date(case, meeting).isoformat(),
    }


def agenda_context(case, lang, final=False, audience="internal") -> dict:
    """The circulation agenda: for delegations, so no internal field; its marking is the
    brief's for the agenda (`markings: {agenda: ...}`, else `marking`), set by the build."""
    meeting = meeting_of(case)
    return head(case, meeting, lang, "agenda", "external")


context = agenda_context
