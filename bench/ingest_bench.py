"""Time `ingest` of a 2-page and a 20-page letter, and of each letter of the corpus
(tests/letters: text, e-mail, DOCX, PDF by LibreOffice and WeasyPrint), median of
several runs.

    python bench/ingest_bench.py [--runs N]

The 2-page letter is the 25 November 2021 letter; the 20-page one is made by
concatenating the bodies of the test letters (tests/letters/*.txt) and of that
letter until the text is ten times longer, under one letterhead and salutation.
Each run ingests into a fresh temporary project (a copy of clauses/ and letters/).
"""
from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from drafting.ingest import ingest  # noqa: E402

CASE = ROOT / "letters" / "2021-11-25-uk-pm" / "letter.txt"


def body_of(text: str) -> str:
    blocks = re.split(r"\n\s*\n", text.strip())
    start = next(i for i, b in enumerate(blocks)
                 if re.match(r"^(Dear|Cher|Chère|Monsieur|Madame)\b", b) and len(b) < 60) + 1
    end = next(i for i in range(start, len(blocks))
               if re.match(r"^(Yours|With (my )?(best|warm|kind)|Bien amicalement|Je vous prie)",
                           blocks[i]))
    return "\n\n".join(blocks[start:end])


def long_letter(pages: int = 20) -> str:
    sources = [CASE] + sorted((ROOT / "tests" / "letters").glob("*.txt"))
    bodies = [body_of(p.read_text(encoding="utf-8")) for p in sources]
    two_pages = len(CASE.read_text(encoding="utf-8"))
    parts, size, i = [], 0, 0
    while size < two_pages * pages / 2:
        parts.append(bodies[i % len(bodies)])
        size += len(parts[-1])
        i += 1
    return ("10 DOWNING STREET\nLONDON SW1A 2AA\n\n25 November 2021\n\nDear Emmanuel,\n\n"
            + "\n\n".join(parts) + "\n\nWith my best wishes,\n\nBoris Johnson\n")


def time_ingest(letter: Path, runs: int) -> list[float]:
    times = []
    for n in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            shutil.copytree(ROOT / "clauses", root / "clauses")
            shutil.copytree(ROOT / "letters", root / "letters")
            t0 = time.perf_counter()
            ingest(letter, f"bench-{n}", root)
            times.append(time.perf_counter() - t0)
    return times


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "twenty-pages.txt"
        big.write_text(long_letter(), encoding="utf-8")
        corpus = [p for p in sorted((ROOT / "tests" / "letters").iterdir())
                  if p.suffix in (".txt", ".docx", ".pdf")]
        for label, path in [("2-page letter", CASE), ("20-page letter", big)] + \
                [(p.name, p) for p in corpus]:
            times = time_ingest(path, args.runs)
            print(f"{label[:34]:34} {path.stat().st_size / 1024:6.1f} KiB  median "
                  f"{statistics.median(times) * 1000:7.1f} ms  (min {min(times) * 1000:.1f}, "
                  f"max {max(times) * 1000:.1f}, {args.runs} runs)")


if __name__ == "__main__":
    main()
