"""The Jinja environment: sandboxed, StrictUndefined, autoescaped.

Templates never mark clause text safe and clause text is never run as a template;
a template error is reported with the template's name and line.
"""
from __future__ import annotations

import io
import os
import traceback
from pathlib import Path

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from drafting.errors import InputError

__all__ = ["environment", "render_template"]

_ENVS: dict = {}


class _Cache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between runs (compiling them took a DOCX reply a fifth
    of its time). Keyed by the template's source checksum, so an edited template is
    compiled again; a cache that cannot be read or written is simply not used."""

    def load_bytecode(self, bucket):
        try:
            super().load_bytecode(bucket)
        except (OSError, ValueError, EOFError, TypeError):
            bucket.reset()

    def dump_bytecode(self, bucket):  # written by the store, like every file of the tool
        from drafting.store.cache import save_bytes
        out = io.BytesIO()
        bucket.write_bytecode(out)
        save_bytes(os.path.join(self.directory, self.pattern % (bucket.key,)), out.getvalue())


def _bytecode_cache():
    from drafting.store.cache import cache_dir
    folder = cache_dir(f"jinja-{jinja2.__version__}")
    return _Cache(str(folder)) if folder is not None else None


class _Sandbox(ImmutableSandboxedEnvironment):
    """The sandbox, with a short way to a plain dict's item: `b.key` on the data the
    tool hands the templates. Jinja tries the attribute first and falls back to the
    item through an exception, for every field of every paragraph; the item is what
    it finds in the end, so only the cost changes (and a key named like a dict method,
    `items`, gives the item, not the method)."""

    def getattr(self, obj, attribute):
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def environment(templates: Path) -> jinja2.Environment:
    key = str(templates)
    env = _ENVS.get(key)
    if env is None:
        env = _Sandbox(
            loader=jinja2.FileSystemLoader(key), undefined=jinja2.StrictUndefined,
            autoescape=True, trim_blocks=True, lstrip_blocks=True,
            auto_reload=True, bytecode_cache=_bytecode_cache())  # a long-lived process sees edits
        _ENVS[key] = env
    return env


def _template_line(exc, name):
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename and frame.filename.endswith(".j2"):
            return frame.filename, frame.lineno
    return name, None


def render_template(templates: Path, name: str, **context) -> str:
    env = environment(templates)
    path = Path(templates) / name
    try:
        template = env.get_template(name)
        return template.render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise InputError(f"template syntax error: {exc.message}",
                         path=exc.filename or path, line=exc.lineno,
                         hint="fix the Jinja syntax at this line") from None
    except jinja2.TemplateNotFound as exc:
        raise InputError(f"template '{exc.name}' not found", path=templates,
                         hint="check the templates/ folder") from None
    except jinja2.UndefinedError as exc:
        where, line = _template_line(exc, path)
        if "'__" in (exc.message or ""):  # the sandbox hid an internal attribute (|attr)
            raise InputError(f"template error: reaches for Python internals ({exc.message})",
                             path=where, line=line,
                             hint="templates may only read the document's fields") from None
        raise InputError(f"template error: {exc.message}", path=where, line=line,
                         hint="use only the variables the tool provides (see templates/README.md)") from None
    except SecurityError as exc:
        where, line = _template_line(exc, path)
        raise InputError(f"template error: reaches for Python internals ({exc})", path=where, line=line,
                         hint="templates may only read the document's fields") from None
    except InputError:
        raise
    except Exception as exc:  # any other template-time failure is still the template's
        where, line = _template_line(exc, path)
        raise InputError(f"template error: {type(exc).__name__}: {exc}", path=where, line=line,
                         hint="check this line of the template") from None
