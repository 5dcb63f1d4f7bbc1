"""Ingest: an incoming letter (text, DOCX, PDF) becomes a new case of its own: its
paragraphs and proposals, each matched to the clause library or given a stub clause
in the case, its people, and a brief.

readers.py and layout.py read the file by its layout; metadata.py finds the people,
the place and the date from their blocks; analyse.py segments and finds the proposals
(lexicon.py: the English and French words) and matches them; write.py writes the case
(all or nothing) and its report; edit.py adds a proposal to a case and promotes a
case's clause or person into the shared library.
"""
from drafting.ingest.analyse import TO_BE_DRAFTED, analyse, classify, sentences, trigger_strength
from drafting.ingest.readers import read_letter_text

__all__ = ["TO_BE_DRAFTED", "analyse", "classify", "ingest", "read_letter_text", "sentences",
           "trigger_strength"]


def ingest(path, case_name=None, root=".", **options):
    """Read the letter at `path` and write the case root/letters/<case>/ (write.py)."""
    from drafting.ingest.write import ingest as _ingest
    return _ingest(path, case_name, root, **options)
