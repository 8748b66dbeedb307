"""A short benchmark of the wheel next to the Rust core (run on demand, not by the tests).

    target/venv/bin/python bindings-python/bench/bench.py [--cases N] [--seconds S] [--rounds R]

Per call: ``validate(dict)`` and ``validate(str)`` on the contract example, against the core's
``validate_value`` / ``validate_json`` on the same record (the timing example). Throughput:
``validate_many`` over a history of N cases (dicts, and JSON texts) and ``validate_file`` on it
as JSON Lines, against the ``escalint`` CLI when it is built (``target/release/escalint
validate --format jsonl``, 2 jobs), else the core validating the same lines with rayon.
Python and Rust are measured in alternating rounds; ratios are taken within a round.
"""

import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

import escalint

ROOT = pathlib.Path(__file__).resolve().parents[2]
NOW = "2026-11-22T12:00:00-05:00"


def per_call_us(fn, seconds):
    """Mean µs per call of the fastest of ten rounds (the machine is shared: slower rounds
    measure the neighbours). The Rust side (examples/timing.rs) measures the same way."""
    for _ in range(200):
        fn()
    best = float("inf")
    for _ in range(10):
        calls, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds / 10:
            for _ in range(100):
                fn()
            calls += 100
        best = min(best, (time.perf_counter() - start) * 1e6 / calls)
    return best


def best_rate(fn, n, repeats=3):
    best = 0.0
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = max(best, n / (time.perf_counter() - start))
    return best


def history(n):
    """N cases: the example cases of the repository, cycled, with distinct ids."""
    sources = []
    for folder in (ROOT / "bindings-python/tests/cases", ROOT / "examples/cases", ROOT / "tests/c/cases"):
        for path in sorted(folder.rglob("*.json")) if folder.exists() else []:
            try:
                value = json.loads(path.read_text(encoding="utf-8"))
            except ValueError:
                continue
            if isinstance(value, dict) and "record" not in value:
                sources.append(value)
    out = []
    for i in range(n):
        case = dict(sources[i % len(sources)])
        case["id"] = f"{case.get('id', 'ESC')}-{i}"
        out.append(case)
    return out, len(sources)


def median(values):
    values = sorted(values)
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=20000)
    parser.add_argument("--seconds", type=float, default=1.5, help="time per per-call figure in each round")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    example_path = ROOT / "bindings-python/tests/cases/contract_example.json"
    example = json.loads(example_path.read_text())
    example_text = json.dumps(example)
    records, kinds = history(args.cases)
    texts = [json.dumps(r) for r in records]
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="escalint-bench-"))
    jsonl = tmp / "history.jsonl"
    jsonl.write_text("\n".join(texts) + "\n")

    engine = escalint.Engine()
    subprocess.run(["cargo", "build", "-q", "--release", "-p", "escalint-python", "--example", "timing"], cwd=ROOT, check=True)
    timing = ROOT / "target/release/examples/timing"
    cli = ROOT / "target/release/escalint"
    has_cli = cli.exists() and subprocess.run([str(cli), "validate", "--help"], capture_output=True).returncode == 0

    def run_cli():
        subprocess.run([str(cli), "validate", "--format", "jsonl", "--now", NOW, str(jsonl)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    # The machine is shared and its speed drifts within minutes, so the two sides are measured
    # in alternating rounds and each ratio is taken within a round; the medians are reported.
    rows = {name: [] for name in ("dict", "str", "value_us", "json_us", "rayon", "cli", "many_dicts", "many_str", "file")}
    for _ in range(args.rounds):
        rows["dict"].append(per_call_us(lambda: engine.validate(example, now=NOW), args.seconds))
        rows["str"].append(per_call_us(lambda: engine.validate(example_text, now=NOW), args.seconds))
        rust = json.loads(subprocess.run([str(timing), str(example_path), str(jsonl), NOW, str(int(args.seconds * 1000))],
                                         check=True, capture_output=True, text=True).stdout)
        rows["value_us"].append(rust["validate_value_us"])
        rows["json_us"].append(rust["validate_json_us"])
        rows["rayon"].append(rust["parallel_cases_per_s"])
        rows["many_dicts"].append(best_rate(lambda: engine.validate_many(records, now=NOW), len(records), repeats=1))
        if has_cli:
            rows["cli"].append(best_rate(run_cli, len(records), repeats=1))
        rows["many_str"].append(best_rate(lambda: engine.validate_many(texts, now=NOW), len(records), repeats=1))
        rows["file"].append(best_rate(lambda: sum(1 for _ in engine.validate_file(jsonl, now=NOW)), len(records), repeats=1))

    def per_round(f):
        return [f(i) for i in range(args.rounds)]

    print(f"escalint {escalint.__version__}, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
          f"{len(records)} cases from {kinds} example cases, {args.rounds} alternating rounds (medians)")
    print(f"{'per call (contract example)':38} {'Python':>10} {'Rust core':>10} {'overhead':>10}   per round")
    for label, py_key, rust_key in (("validate(dict) vs validate_value", "dict", "value_us"),
                                    ("validate(dict) vs validate_json", "dict", "json_us"),
                                    ("validate(str) vs validate_json", "str", "json_us")):
        diffs = per_round(lambda i: rows[py_key][i] - rows[rust_key][i])
        print(f"{label:38} {median(rows[py_key]):8.2f}us {median(rows[rust_key]):8.2f}us {median(diffs):+8.2f}us   "
              + " ".join(f"{d:+.2f}" for d in diffs))
    reference = ("cli", "escalint CLI, 2 jobs") if has_cli else ("rayon", f"Rust rayon, {rust['threads']} threads")
    print(f"{'throughput (cases/s)':38} {'Python':>10} {'reference':>10} {'share':>10}   per round   ({reference[1]})")
    for label, key in (("validate_many(dicts)", "many_dicts"), ("validate_many(str)", "many_str"), ("validate_file(jsonl)", "file")):
        shares = per_round(lambda i: rows[key][i] / rows[reference[0]][i])
        print(f"{label:38} {median(rows[key]):10.0f} {median(rows[reference[0]]):10.0f} {median(shares):10.0%}   "
              + " ".join(f"{x:.0%}" for x in shares))
    print(f"{'(Rust rayon, validate_json per line)':38} {median(rows['rayon']):10.0f}")


if __name__ == "__main__":
    main()
