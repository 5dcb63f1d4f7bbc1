"""draft: assemble the documents that answer a head-of-government letter.

Public API (a test or another program needs no CLI):

    from drafting import load_case, build, render_files
    case = load_case()                       # the default case
    built = build(case, "reply", "fr")       # checked, typeset tree
    files = render_files(case, "reply")      # {"reply.fr.docx": bytes, ...}
"""
from drafting.errors import DraftError, EnvironmentProblem, InputError, Problems

# The rest is imported when first used (PEP 562): `draft --help`, `draft clauses` or a
# program that only wants the errors need not import Jinja, lxml and the YAML loader.
_LAZY = {"Built": ".api", "build": ".api", "render_files": ".api", "render_pack": ".api",
         "pack_jobs": ".api", "write_docx_bytes": ".api", "write_pdf_bytes": ".api",
         "Case": ".inputs.case", "find_root": ".inputs.case", "load_case": ".inputs.case"}


def __getattr__(name):
    from importlib import import_module
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name], __name__), name)
    else:  # a submodule: drafting.api, drafting.sources ...
        try:
            value = import_module(f".{name}", __name__)
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))

__all__ = ["load_case", "find_root", "Case", "build", "Built", "render_files",
           "write_docx_bytes", "write_pdf_bytes", "DraftError", "InputError",
           "EnvironmentProblem", "Problems"]
__version__ = "0.1.0"
