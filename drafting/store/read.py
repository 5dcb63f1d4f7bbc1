"""The one way the tool reads a file: bounded and typed.

`read_bytes` opens a path without following it into a device or a pipe (O_NONBLOCK: a
FIFO never blocks the open), refuses anything but a regular file (a device such as
/dev/zero, a FIFO, a socket or a folder is a clear InputError, exit 2), and reads at
most `limit` bytes, counting while it reads (st_size is 0 for devices and may change
under the reader): a file that grows past the limit is refused, never read until the
machine runs out of memory.

`zip_member` reads one member of a zip archive (a DOCX) with the same care: a bounded
number of members, a bounded declared size and compression ratio, and a read that stops
at the limit whatever the archive's directory claims. `xml_without_dtd` refuses XML
that declares a DOCTYPE or entities (Word never writes one; billion laughs do).
"""
from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path

from drafting.errors import EnvironmentProblem, InputError

__all__ = ["read_bytes", "read_utf8", "decode_utf8", "zip_member", "xml_without_dtd", "MAX_BYTES",
           "MAX_ZIP_MEMBERS", "MAX_UNZIPPED_BYTES", "MAX_ZIP_RATIO", "file_kind"]

MAX_BYTES = 20 * 1024 * 1024            # any one input file
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024   # a DOCX: one member, and all of them together
MAX_ZIP_RATIO = 100                     # a DOCX member: uncompressed / compressed
MAX_ZIP_MEMBERS = 5000
_CHUNK = 1 << 16


def file_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _mb(n: int) -> str:
    return f"{n / 1048576:.0f} MB" if n >= 1048576 else f"{n // 1024} KB"


def read_bytes(path, limit: int = MAX_BYTES, what: str = "file") -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them."""
    path = Path(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) \
        | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InputError(f"no such file ({what} not found)", path=path,
                         hint="check the path or the --case name") from None
    except IsADirectoryError:
        raise InputError(f"is a folder, not a {what}", path=path,
                         hint="give the path of a file") from None
    except PermissionError as exc:
        raise EnvironmentProblem(f"cannot read: {exc.strerror}", path=path,
                                 hint="check the file's permissions") from None
    except OSError as exc:
        raise InputError(f"cannot open: {exc.strerror or exc}", path=path,
                         hint="give the path of a regular file") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise InputError(f"is {file_kind(st.st_mode)}, not a regular file", path=path,
                             hint=f"give the path of a {what} on disk")
        if st.st_size > limit:
            raise InputError(f"too large ({_mb(st.st_size)}; the limit is {_mb(limit)})",
                             path=path, hint=f"is this the right {what}?")
        chunks, total = [], 0
        while True:
            try:
                chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
            except BlockingIOError:  # pragma: no cover - regular files do not block
                continue
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise InputError(f"too large (more than {_mb(limit)}, still growing)",
                                 path=path, hint=f"is this the right {what}?")
        return b"".join(chunks)
    except OSError as exc:
        raise EnvironmentProblem(f"cannot read: {exc.strerror or exc}", path=path,
                                 hint="check the disk and the file") from None
    finally:
        os.close(fd)


def read_utf8(path, limit: int = MAX_BYTES, what: str = "file") -> str:
    """A bounded read decoded as UTF-8 (decode_utf8)."""
    return decode_utf8(read_bytes(path, limit, what), path)


def decode_utf8(data: bytes, path=None) -> str:
    """Bytes as UTF-8 text (a BOM accepted); a bad byte named at its line and column."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(f"not UTF-8 (byte 0x{data[exc.start]:02x})", path=path, line=line,
                         col=col, hint="save the file as UTF-8 (it may be Windows-1252, cp1252, "
                         "or Latin-1)") from None


def zip_member(data: bytes, name: str, path=None, limit: int = MAX_UNZIPPED_BYTES,
               what: str = "Word document (DOCX)") -> bytes:
    """Member `name` of the zip archive `data`, its size and the archive's checked."""
    hint = "save it again as .docx in Word"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ZIP_MEMBERS:
                raise InputError(f"refused: the archive holds {len(infos)} files (the limit is "
                                 f"{MAX_ZIP_MEMBERS})", path=path, hint=hint)
            total = sum(i.file_size for i in infos)
            if total > limit:
                raise InputError(f"refused: the {what} would unpack to {_mb(total)} (the limit "
                                 f"is {_mb(limit)})", path=path, hint="possible zip bomb; " + hint)
            try:
                info = zf.getinfo(name)
            except KeyError:
                raise InputError(f"not a {what} (no {name} inside)", path=path,
                                 hint=hint) from None
            if info.file_size > 1048576 and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
                raise InputError(f"refused: {name} is compressed "
                                 f"{info.file_size // max(info.compress_size, 1)} times (the limit "
                                 f"is {MAX_ZIP_RATIO})", path=path, hint="possible zip bomb; " + hint)
            out, size = [], 0
            with zf.open(info) as fh:
                while True:
                    chunk = fh.read(_CHUNK)
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > limit:
                        raise InputError(f"refused: {name} unpacks to more than {_mb(limit)}",
                                         path=path, hint="possible zip bomb; " + hint)
                    out.append(chunk)
            return b"".join(out)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError,
            EOFError, ValueError, OSError, KeyError) as exc:
        raise InputError(f"not a readable {what} ({exc or type(exc).__name__})", path=path,
                         hint=hint) from None


def xml_without_dtd(xml: bytes, name: str, path=None) -> bytes:
    """`xml` unchanged, or refused if it declares a DOCTYPE or an entity."""
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:  # XML's keywords are upper case
        raise InputError(f"refused: {name} declares a DOCTYPE or entities", path=path,
                         hint="a Word document never does; save it again as .docx in Word")
    return xml
