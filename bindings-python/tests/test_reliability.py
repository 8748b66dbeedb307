"""Issue 18's Python classes: lone surrogates are bad input, not exceptions; any tzinfo for
`now`; validate_file lets other threads run and Ctrl-C through while it waits on a file."""

import datetime
import json
import os
import signal
import threading
import time
import zoneinfo

import pytest

import escalint

CASE = {"id": "ESC-R-1", "procedure": "installs_escalation", "opened_at": "2026-11-20T09:15:00-05:00"}


def rec001(report):
    return [v for v in report["violations"] if v["rule"] == "REC001"]


@pytest.mark.parametrize(
    "record, path",
    [
        (dict(CASE, notes="ok \udfff then"), "/notes"),
        (dict(CASE, events=[{"at": "2026-11-20T09:20:00-05:00", "type": "update", "by": "\udc80"}]), "/events/0/by"),
        (dict(CASE, escalation={"\ud83d": 1}), "/escalation"),
    ],
)
def test_a_lone_surrogate_in_a_dict_is_a_rec001_naming_its_path(record, path):
    for report in [escalint.validate(record), escalint.validate_many([record, CASE])[0]]:
        found = rec001(report)
        assert found and found[0]["path"] == path, report
        assert "lone surrogate" in found[0]["message"]
    assert rec001(escalint.next_steps(record))[0]["path"] == path
    closing = escalint.can_close(record)
    assert closing["allowed"] is False and rec001(closing)[0]["path"] == path
    # The other records of a batch are judged as ever.
    now = "2026-11-21T12:00:00-05:00"
    assert escalint.validate_many([record, CASE], now=now)[1] == escalint.validate(CASE, now=now)


@pytest.mark.parametrize(
    "tail, path",
    [
        (', "notes": "\udbff"}', "/notes"),
        (', "events": [{"type": "update"}, {"type": "note", "text": "a \udc01 b"}]}', "/events/1/text"),
        (', "escalation": {"ok": 1, "x\ud834": 2}}', "/escalation"),
    ],
)
def test_a_lone_surrogate_in_json_text_is_a_rec001_naming_its_path(tail, path):
    text = json.dumps(CASE, ensure_ascii=False)[:-1] + tail
    for report in [escalint.validate(text), escalint.validate_many([text, CASE])[0], escalint.next_steps(text)]:
        found = rec001(report)
        assert found and found[0]["path"] == path, report
        assert found[0]["message"].startswith(f"at {path}: the text holds a lone surrogate"), found
    closing = escalint.can_close(text)
    assert closing["allowed"] is False and rec001(closing)[0]["path"] == path


def test_a_lone_surrogate_in_text_that_is_not_json_either_names_its_line_and_column():
    text = '{"id": "ESC-1", "notes": "\ud800" "procedure"}'
    found = rec001(escalint.validate(text))
    assert found and "column" in found[0]["message"], found


@pytest.mark.parametrize(
    "now",
    [
        datetime.datetime(2026, 11, 21, 9, 0, 0, tzinfo=datetime.timezone(datetime.timedelta(seconds=-17))),
        datetime.datetime(2026, 11, 21, 9, 0, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=5, seconds=59))),
        datetime.datetime(1850, 3, 1, 12, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Amsterdam")),
    ],
)
def test_now_with_a_seconds_offset_is_the_same_instant(now):
    utc = now.astimezone(datetime.timezone.utc)
    assert escalint.next_steps(CASE, now=now) == escalint.next_steps(CASE, now=utc)
    assert escalint.validate(CASE, now=now) == escalint.validate(CASE, now=utc)


def test_now_with_a_fraction_of_a_second_offset_is_refused_naming_it():
    odd = datetime.timezone(datetime.timedelta(seconds=3, microseconds=250))
    with pytest.raises(ValueError, match="offset 0:00:03.000250"):
        escalint.validate(CASE, now=datetime.datetime(2026, 11, 21, tzinfo=odd))


class Interrupted(Exception):
    pass


def interrupt_after(seconds):
    def handler(signum, frame):
        raise Interrupted()

    previous = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    return previous


def test_a_fifo_without_writer_lets_other_threads_run_and_ctrl_c_through(tmp_path):
    fifo = tmp_path / "history.jsonl"
    os.mkfifo(fifo)
    ticks = []
    stop = threading.Event()

    def ticker():
        while not stop.is_set():
            ticks.append(1)
            time.sleep(0.01)

    thread = threading.Thread(target=ticker)
    thread.start()
    previous = interrupt_after(0.5)
    try:
        started = time.monotonic()
        with pytest.raises(Interrupted):
            next(escalint.validate_file(fifo))
        assert time.monotonic() - started < 5
    finally:
        signal.signal(signal.SIGALRM, previous)
        stop.set()
        thread.join()
        # Let the thread still opening the FIFO finish.
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    assert len(ticks) > 10, "the other thread did not run while validate_file waited"


def test_dev_zero_is_interruptible_and_stops_reading():
    previous = interrupt_after(0.5)
    try:
        started = time.monotonic()
        with pytest.raises(Interrupted):
            for _ in escalint.validate_file("/dev/zero"):
                pass
        assert time.monotonic() - started < 5
    finally:
        signal.signal(signal.SIGALRM, previous)


def test_a_fifo_with_a_writer_is_read_to_its_end(tmp_path):
    fifo = tmp_path / "history.jsonl"
    os.mkfifo(fifo)
    lines = [json.dumps(dict(CASE, id=f"F-{i}")) for i in range(300)]

    def writer():
        with open(fifo, "w") as out:
            out.write("\n".join(lines) + "\n")

    thread = threading.Thread(target=writer)
    thread.start()
    ids = [r["id"] for r in escalint.validate_file(fifo)]
    thread.join()
    assert ids == [f"F-{i}" for i in range(300)]
