"""Who writes to whom: the reply goes from the brief's signatory to its addressee, who
wrote the incoming letter. A case where these are mixed up (a reply signed by the
person who wrote the letter, addressed to the signatory, or to someone of the
signatory's own country while the letter came from abroad) is reported, so a case
whose people were misread (by draft ingest, or by hand) does not go out that way.
"""
from __future__ import annotations

from drafting.validate.problems import line_of

__all__ = ["check_correspondents"]


def _country(case, key):
    person = case.people.get(str(key)) if key is not None else None
    return str(person.data.get("country") or "") if person is not None else ""


def check_correspondents(found, case) -> None:
    brief, letter = case.brief, case.letter
    path = brief.path
    signatory, addressee = str(brief.signatory), str(brief.addressee)
    if signatory == addressee:
        found.add(f"the reply is signed by and addressed to the same person ('{signatory}')", path,
                  line_of(brief.data, "addressee"), hint="the addressee is the letter's sender")
        return
    if signatory == str(letter.sender):
        found.add(f"the reply is signed by '{signatory}', who wrote the incoming letter", path,
                  line_of(brief.data, "signatory"),
                  hint=f"the signatory answers for our side (the letter was addressed to "
                       f"'{letter.addressee}'); check the letter's sender in letter.yaml")
    if addressee != str(letter.sender):
        found.add(f"the reply is addressed to '{addressee}', but the letter came from "
                  f"'{letter.sender}'", path, line_of(brief.data, "addressee"),
                  hint="answer the sender, or say why in a note", severity="warning")
    ours, theirs, sender = _country(case, signatory), _country(case, addressee), \
        _country(case, letter.sender)
    if ours and theirs and ours == theirs and sender and sender != ours:
        found.add(f"the reply goes to '{addressee}', of the signatory's own country ({ours}), "
                  f"while the letter came from abroad ({sender})", path,
                  line_of(brief.data, "addressee"),
                  hint="the addressee of the reply is the letter's sender", severity="warning")
