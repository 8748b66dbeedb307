"""A short benchmark of the wheel next to the Rust core (run on demand, not by the tests).

    .venv/bin/python bindings-python/bench/bench.py [--cases N] [--seconds S]

Per call: ``validate(dict)`` and ``validate(str)`` on the contract example, against the core's
``validate_value`` / ``validate_json`` on the same record (the timing example). Throughput:
``validate_many`` over a history of N cases (dicts, and JSON texts) and ``validate_file`` on it
as JSON Lines, against the core validating the same lines with rayon, and the ``escalint``
CLI when it is built (``target/release/escalint validate --format jsonl``).
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


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=20000)
    parser.add_argument("--seconds", type=float, default=1.5)
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
    py = {
        "validate(dict) us/call": per_call_us(lambda: engine.validate(example, now=NOW), args.seconds),
        "validate(str) us/call": per_call_us(lambda: engine.validate(example_text, now=NOW), args.seconds),
        "validate_many(dicts) cases/s": best_rate(lambda: engine.validate_many(records, now=NOW), len(records)),
        "validate_many(str) cases/s": best_rate(lambda: engine.validate_many(texts, now=NOW), len(records)),
        "validate_file(jsonl) cases/s": best_rate(lambda: sum(1 for _ in engine.validate_file(jsonl, now=NOW)), len(records)),
    }

    rust = json.loads(
        subprocess.run(
            ["cargo", "run", "-q", "--release", "-p", "escalint-python", "--example", "timing", "--", str(example_path), str(jsonl), NOW],
            cwd=ROOT, check=True, capture_output=True, text=True,
        ).stdout
    )
    cli = ROOT / "target/release/escalint"
    cli_rate = None
    if cli.exists() and subprocess.run([str(cli), "validate", "--help"], capture_output=True).returncode == 0:
        def run_cli():
            subprocess.run([str(cli), "validate", "--format", "jsonl", "--now", NOW, str(jsonl)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        cli_rate = best_rate(run_cli, len(records))

    print(f"escalint {escalint.__version__}, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
          f"{len(records)} cases from {kinds} example cases")
    print(f"{'per call (contract example)':38} {'Python':>12} {'Rust core':>12} {'overhead':>10}")
    print(f"{'validate(dict) vs validate_value':38} {py['validate(dict) us/call']:10.2f}us {rust['validate_value_us']:10.2f}us "
          f"{py['validate(dict) us/call'] - rust['validate_value_us']:+8.2f}us")
    print(f"{'validate(dict) vs validate_json':38} {py['validate(dict) us/call']:10.2f}us {rust['validate_json_us']:10.2f}us "
          f"{py['validate(dict) us/call'] - rust['validate_json_us']:+8.2f}us")
    print(f"{'validate(str) vs validate_json':38} {py['validate(str) us/call']:10.2f}us {rust['validate_json_us']:10.2f}us "
          f"{py['validate(str) us/call'] - rust['validate_json_us']:+8.2f}us")
    par = rust["parallel_cases_per_s"]
    print(f"{'throughput (cases/s)':38} {'Python':>12} {'reference':>12} {'share':>10}")
    for name in ("validate_many(dicts) cases/s", "validate_many(str) cases/s", "validate_file(jsonl) cases/s"):
        print(f"{name.replace(' cases/s', ''):38} {py[name]:12.0f} {par:12.0f} {py[name] / par:9.0%}   (Rust rayon, {rust['threads']} threads)")
        if cli_rate:
            print(f"{'':38} {'':12} {cli_rate:12.0f} {py[name] / cli_rate:9.0%}   (escalint CLI)")
    if not cli_rate:
        print("(escalint CLI not built with a validate command: compared with the core under rayon only)")


if __name__ == "__main__":
    main()
