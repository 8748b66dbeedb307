"""The wheel gives the Rust core's answers: every question of the golden files (written by
the core_answers example from the example cases and rule fixtures), with the record given as
a dict, as str and as bytes, and every case of the history files through validate_file."""

import json

import escalint

ENGINE = escalint.Engine()


def ask(engine, entry, record, proposal):
    question, now = entry["question"], entry["now"]
    if question == "validate":
        return engine.validate(record, now=now)
    if question == "next_steps":
        return engine.next_steps(record, now=now)
    return engine.can_close(record, proposal, now=now)


def as_object(text):
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def test_every_answer_equals_the_core_for_text_and_bytes(golden):
    for entry in golden:
        text = entry["record"]
        proposal = entry["proposal"]
        assert ask(ENGINE, entry, text, proposal) == entry["answer"], (entry["source"], entry["question"])
        assert ask(ENGINE, entry, text.encode(), proposal.encode() if proposal else None) == entry["answer"]


def test_every_answer_equals_the_core_for_dicts(golden):
    checked = 0
    for entry in golden:
        record = as_object(entry["record"])
        if record is None:
            continue
        proposal = as_object(entry["proposal"]) if entry["proposal"] else None
        assert ask(ENGINE, entry, record, proposal) == entry["answer"], (entry["source"], entry["question"])
        checked += 1
    assert checked > 0


def test_module_functions_use_the_embedded_policy(golden):
    for entry in golden:
        record = entry["record"]
        if entry["question"] == "validate":
            assert escalint.validate(record, now=entry["now"]) == entry["answer"]
        elif entry["question"] == "next_steps":
            assert escalint.next_steps(record, now=entry["now"]) == entry["answer"]
        else:
            assert escalint.can_close(record, entry["proposal"], now=entry["now"]) == entry["answer"]


def test_validate_many_equals_one_by_one(golden):
    entries = [e for e in golden if e["question"] == "validate" and e["now"] == golden[0]["now"]]
    records = [as_object(e["record"]) or e["record"] for e in entries]
    assert escalint.validate_many(records, now=entries[0]["now"]) == [e["answer"] for e in entries]
    # Any iterable will do, and long enough to span several batches.
    many = (records[i % len(records)] for i in range(5000))
    reports = escalint.validate_many(many, now=entries[0]["now"])
    assert reports == [entries[i % len(entries)]["answer"] for i in range(5000)]


def test_validate_file_equals_the_core_stream(golden_dir):
    for name in ("history.jsonl", "history.json"):
        with open(golden_dir / f"{name}.answers.jsonl", encoding="utf-8") as f:
            expected = [json.loads(line) for line in f]
        got = list(ENGINE.validate_file(golden_dir / name, now="2026-11-22T12:00:00-05:00"))
        assert got == expected, name
    # The JSON Lines history has malformed lines: each is a REC001 report naming its line.
    jsonl = list(escalint.validate_file(str(golden_dir / "history.jsonl"), now="2026-11-22T12:00:00-05:00"))
    broken = [r for r in jsonl if r["id"] == "" and r["violations"][0]["rule"] == "REC001"]
    assert broken and all(r["violations"][0]["message"].startswith("line ") for r in broken)
