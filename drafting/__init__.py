"""draft: assemble the documents that answer a head-of-government letter.

Public API (a test or another program needs no CLI):

    from drafting import load_case, build, render_files
    case = load_case()                       # the default case
    built = build(case, "reply", "fr")       # checked, typeset tree
    files = render_files(case, "reply")      # {"reply.fr.docx": bytes, ...}
"""
from .api import Built, build, render_files, write_docx_bytes, write_pdf_bytes
from .case import Case, find_root, load_case
from .errors import DraftError, EnvironmentProblem, InputError, Problems

__all__ = ["load_case", "find_root", "Case", "build", "Built", "render_files",
           "write_docx_bytes", "write_pdf_bytes", "DraftError", "InputError",
           "EnvironmentProblem", "Problems"]
__version__ = "0.1.0"
