"""Released files: what `draft release` froze is still what it froze.

Each `letters/<case>/released/<doc>/vN/release.json` records the sha256 of every file of
the release. A file whose bytes no longer match (a PDF touched up by hand, a DOCX saved
over by Word), a recorded file that is gone, a record that cannot be read: each an error,
at the record's line that names the file. A file in the folder that the record does not
name is a warning (a release is what its record says).
"""
from __future__ import annotations

from pathlib import Path

from drafting.errors import DraftError
from drafting.store.read import read_utf8
from drafting.store.released import RELEASED, field_line, file_states, load_record

__all__ = ["check_released"]

RECORD = "release.json"


def check_released(found, case_folder):
    base = Path(case_folder) / RELEASED
    if not base.is_dir():
        return
    for record in sorted(base.glob(f"*/v*/{RECORD}")):
        folder = record.parent
        try:  # the schema's reader: the first wrong field at its line (store/released)
            data = load_record(record)
            text = read_utf8(record, 1 << 20, what="release record")
        except DraftError as exc:
            found.extend_from(exc)
            continue
        files = data["files"]
        where = f"{data.get('stem', folder.parent.name)} {folder.name}"
        for name, state, recorded, detail in file_states(folder, files):
            line = field_line(text, name, None)
            if state == "unreadable":
                found.add(f"{name} of the released {where} cannot be read ({detail})", record,
                          line, hint="restore it from version control", code="release-changed")
            elif state == "denied":
                found.add(f"{name} of the released {where} cannot be read ({detail})",
                          record, line, hint="check the file's permissions",
                          code="release-changed")
            elif state == "gone":
                found.add(f"{name} of the released {where} is gone", record, line,
                          hint="restore it from version control; released files are never "
                          "regenerated", code="release-changed")
            elif state == "changed":
                found.add(f"{name} of the released {where} no longer matches its release "
                          f"record (sha256 {str(recorded)[:12]}... recorded, {detail[:12]}... "
                          "now): it was changed after the release", record, line,
                          hint="restore the released file from version control; to issue a "
                          "changed text, release a new version (draft release)",
                          code="release-changed")
        for extra in sorted(p.name for p in folder.iterdir()
                            if p.is_file() and p.name != RECORD and p.name not in files):
            found.add(f"{extra} is in the released {where} but not in its release record",
                      record, field_line(text, "files"), hint="a release holds what its record names: "
                      "move the file out of released/", severity="warning", code="release-changed")
