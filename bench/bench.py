"""Benchmark: median cold wall times of the main commands (a script, not a test).

Each run is a fresh process (`python -m drafting ...`), so imports count, as they
do for a drafter. Usage: python bench/bench.py [--runs N]
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CASES = [
    ("draft reply --format docx", ["reply", "--format", "docx"], 0.25),
    ("draft reply (4 files)", ["reply"], 1.2),
    ("draft pack", ["pack"], 2.5),
]


def cold(args, out):
    t = time.perf_counter()
    res = subprocess.run([sys.executable, "-m", "drafting", *args, "--out", out], cwd=ROOT,
                         capture_output=True, text=True)
    elapsed = time.perf_counter() - t
    if res.returncode:
        raise SystemExit(f"{' '.join(args)} failed: {res.stderr.strip()}")
    return elapsed


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", default=None, help="run only cases whose label contains this")
    opts = ap.parse_args()
    print(f"{'command':32} {'median':>8} {'min':>8} {'target':>8}")
    for label, args, target in CASES:
        if opts.only and opts.only not in label:
            continue
        with tempfile.TemporaryDirectory() as out:
            try:
                times = [cold(args, out) for _ in range(opts.runs)]
            except SystemExit as exc:
                print(f"{label:32} skipped ({exc})")
                continue
        med = statistics.median(times)
        flag = "ok" if med <= target else "SLOW"
        print(f"{label:32} {med:8.3f} {min(times):8.3f} {target:8.2f}  {flag}")


if __name__ == "__main__":
    main()
