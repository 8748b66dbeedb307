"""validate_many on 1,000,000 cases: time and peak memory (issue: reliability).

Usage: python bindings-python/bench/million.py HISTORY.jsonl [CASES]
The history's lines are cycled (as str records, read lazily) until CASES cases were given.
Prints cases/s, the peak RSS of the process, and what the reports hold.
"""
import collections
import itertools
import resource
import sys
import time

import escalint


def lines(path):
    while True:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                yield line


def main():
    path = sys.argv[1]
    cases = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    reports = escalint.validate_many(itertools.islice(lines(path), cases))
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    invalid = sum(1 for r in reports if not r["valid"])
    per_rule = collections.Counter(v["rule"] for r in reports for v in r["violations"])
    print(f"cases: {len(reports):,}  invalid: {invalid:,}  in {elapsed:.1f} s = {len(reports) / elapsed:,.0f} cases/s")
    print(f"peak RSS: {peak / 1024:,.0f} MiB (before: {before / 1024:,.0f} MiB); the {len(reports):,} report dicts are held in the returned list")
    print("top rules:", per_rule.most_common(5))


if __name__ == "__main__":
    main()
