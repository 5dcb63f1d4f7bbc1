"""Ingest: an incoming letter (text, DOCX, PDF) becomes a new case: its paragraphs and
proposals, each matched to the clause library or given a stub, and a brief.

readers.py reads the file by its layout; analyse.py segments, finds the people and the
proposals, matches them and writes the case.
"""
from drafting.ingest.analyse import TO_BE_DRAFTED, analyse, ingest, sentences, trigger_strength
from drafting.ingest.readers import read_letter_text

__all__ = ["TO_BE_DRAFTED", "analyse", "ingest", "read_letter_text", "sentences",
           "trigger_strength"]
