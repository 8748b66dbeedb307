"""One engine shared by a thread pool; Ctrl-C in long batches; validate_file's memory."""

import _thread
import json
import resource
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

import escalint

NOW = "2026-11-22T12:00:00-05:00"


def test_thread_pool_sharing_one_engine(golden):
    engine = escalint.Engine()
    entries = [e for e in golden if e["question"] in ("validate", "next_steps")]

    def run(entry):
        call = engine.validate if entry["question"] == "validate" else engine.next_steps
        record = entry["record"]
        try:
            parsed = json.loads(record)
            record = parsed if isinstance(parsed, dict) else record
        except ValueError:
            pass
        return call(record, now=entry["now"])

    work = entries * 40
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(run, work))
    assert results == [e["answer"] for e in work]
    # Batches from several threads at once.
    records = [e["record"] for e in entries if e["question"] == "validate" and e["now"] == NOW]
    with ThreadPoolExecutor(max_workers=4) as pool:
        batches = list(pool.map(lambda _: engine.validate_many(records * 50, now=NOW), range(8)))
    expected = engine.validate_many(records * 50, now=NOW)
    assert all(b == expected for b in batches)


def test_a_dict_changed_by_another_thread_while_it_is_validated(contract_example):
    # validate() and validate_many() read a dict's strings in place; validate_many releases the
    # GIL while the engine works. Another thread replacing those strings (freeing the old ones)
    # must not matter.
    engine = escalint.Engine()
    record = json.loads(json.dumps(contract_example))
    original = engine.validate(record, now=NOW)
    reasons = ["".join(["Installer ", "left ", str(i)]) for i in range(50)]
    done = threading.Event()

    def churn():
        i = 0
        while not done.is_set():
            record["escalation"]["notes"] = reasons[i % len(reasons)] * (1 + i % 7)
            record["customer"]["first_name"] = "".join(["Pat", str(i)])
            i += 1

    # validate() keeps the GIL; with the default 5 ms switch interval each of its 2,000 calls
    # could wait that long behind the CPU-bound churn thread (0.3 to 22 s a run). Switching
    # every 0.1 ms keeps the run short and interleaves the two more finely.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-4)
    changer = threading.Thread(target=churn)
    changer.start()
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            reports = list(pool.map(lambda _: engine.validate(record, now=NOW), range(2000)))
            batches = list(pool.map(lambda _: engine.validate_many([record, json.dumps(record)] * 300, now=NOW), range(8)))
    finally:
        done.set()
        changer.join()
        sys.setswitchinterval(interval)
    reports += [r for batch in batches for r in batch]
    assert len(reports) == 2000 + 8 * 600
    assert all(r["id"] == original["id"] and isinstance(r["violations"], list) for r in reports)


def test_ctrl_c_interrupts_a_long_batch():
    record = json.dumps({"id": "X", "procedure": "leadership_request", "opened_at": "2026-11-20T09:15:00-05:00"})
    records = [record] * 400_000
    timer = threading.Timer(0.05, _thread.interrupt_main)
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            escalint.validate_many(records, now=NOW)
    finally:
        timer.cancel()


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss in KiB is Linux's")
def test_validate_file_streams_in_constant_memory(tmp_path, contract_example):
    line = json.dumps(contract_example) + "\n"
    path = tmp_path / "big.jsonl"
    copies = 40_000
    with open(path, "w") as f:
        for _ in range(copies):
            f.write(line)
    size_mib = path.stat().st_size / 2**20
    assert size_mib > 60
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    count = 0
    for report in escalint.validate_file(path, now=NOW):
        count += report["id"] == contract_example["id"]
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before
    assert count == copies
    assert grown < size_mib / 3, f"peak memory grew {grown:.0f} MiB while streaming {size_mib:.0f} MiB"
