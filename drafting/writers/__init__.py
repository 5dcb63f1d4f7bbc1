"""The two writers of the one tree: DOCX (python-docx) and PDF (WeasyPrint)."""
