"""Every function of the Python surface (docs/python.md) and every error it raises."""

import copy
import datetime
import json
import pathlib

import pytest

import escalint

NOW = "2026-11-20T12:00:00-05:00"
EST = datetime.timezone(datetime.timedelta(hours=-5))
LEADERSHIP = {"id": "ESC-LD-1", "procedure": "leadership_request", "opened_at": "2026-11-20T09:15:00-05:00"}
PROPOSAL = {
    "closed_at": "2026-11-22T16:40:00-05:00",
    "closed_by": {"agent_id": "ag-311", "role": "resolution_care_back_office"},
    "basis": "resolved",
    "resolved_by": "INSTALLS Inc",
    "final_responsibility": "installation_company",
    "reason": "Technician-No-Call No-Show",
    "notes": "done",
}


def check_violation_shape(v):
    assert set(v) - {"hint"} == {"rule", "severity", "path", "message", "sop"}
    assert v["severity"] in ("error", "warning")
    assert all(isinstance(v[k], str) for k in v)


# ---- module surface -------------------------------------------------------------------------


def test_version_and_exports():
    assert isinstance(escalint.__version__, str) and escalint.__version__.count(".") == 2
    for name in ("Engine", "PolicyError", "validate", "next_steps", "can_close", "validate_many", "validate_file", "rules", "policy"):
        assert hasattr(escalint, name), name
        assert getattr(escalint, name).__doc__, f"{name} has no docstring"
    for method in ("validate", "next_steps", "can_close", "validate_many", "validate_file"):
        assert getattr(escalint.Engine, method).__doc__, method


def test_policy_error_is_a_value_error():
    assert issubclass(escalint.PolicyError, ValueError)


def test_rules_catalogue():
    rules = escalint.rules()
    ids = [r["id"] for r in rules]
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    for needed in ("REC001", "RS001", "FMS032", "CL005", "TM002", "AM008", "LD009"):
        assert needed in ids
    for r in rules:
        assert set(r) == {"id", "severity", "scope", "title", "sop", "source", "explanation"}
        assert r["severity"] in ("error", "warning") and r["title"] and r["sop"]


def test_policy_is_a_fresh_dict_that_builds_an_engine():
    p = escalint.policy()
    assert isinstance(p, dict) and p["version"] and "thresholds" in p and "limits" in p
    p["version"] = "mutated"
    assert escalint.policy()["version"] != "mutated"
    assert escalint.Engine(policy=p).policy_versions == ["mutated"]


# ---- validate / next_steps / can_close ----------------------------------------------------


def test_validate_shape_and_input_forms(contract_example):
    r = escalint.validate(contract_example, now=NOW)
    assert list(r) == ["id", "valid", "policy_version", "violations"]
    assert r["id"] == "ESC-2026-000123" and isinstance(r["valid"], bool)
    for v in r["violations"]:
        check_violation_shape(v)
    text = json.dumps(contract_example)
    assert escalint.validate(text, now=NOW) == r
    assert escalint.validate(text.encode(), now=NOW) == r
    assert escalint.validate(bytearray(text.encode()), now=NOW) == r


def test_validate_reports_violations(contract_example):
    r = escalint.validate(LEADERSHIP, now="2026-11-22T12:00:00-05:00")
    assert r["valid"] is False
    assert "LD001" in [v["rule"] for v in r["violations"]]
    rules = [(v["rule"], v["path"]) for v in r["violations"]]
    assert rules == sorted(rules)


def test_validate_does_not_change_the_record(contract_example):
    before = copy.deepcopy(contract_example)
    escalint.validate(contract_example, now=NOW)
    escalint.can_close(contract_example, PROPOSAL, now=NOW)
    assert contract_example == before


def test_next_steps_shape(contract_example):
    r = escalint.next_steps(contract_example, now=NOW)
    assert list(r) == ["id", "state", "policy_version", "steps", "violations"]
    assert r["state"] in ("not_opened", "open", "waiting", "ready_to_close", "closed")
    not_opened = {k: v for k, v in contract_example.items() if k != "opened_at"}
    r = escalint.next_steps(not_opened, now=NOW)
    for s in r["steps"]:
        assert {"action", "due_by", "rule", "why"} <= set(s) <= {"action", "due_by", "overdue", "rule", "why", "party", "options"}
        assert s["due_by"] is None or isinstance(s["due_by"], str)


def test_can_close_with_and_without_proposal(contract_example):
    without = escalint.can_close(contract_example, now=NOW)
    assert list(without) == ["id", "allowed", "policy_version", "violations"]
    assert without["allowed"] is False  # no closing to judge
    assert any(v["rule"] == "REC002" and v["path"] == "/closing" for v in without["violations"])
    with_dict = escalint.can_close(contract_example, PROPOSAL, now=NOW)
    assert with_dict == escalint.can_close(contract_example, json.dumps(PROPOSAL), now=NOW)
    assert with_dict == escalint.can_close(json.dumps(contract_example), PROPOSAL, now=NOW)
    assert with_dict == escalint.can_close(contract_example, proposal=json.dumps(PROPOSAL).encode(), now=NOW)
    # A closer whose role may not close escalations is refused.
    refused = escalint.can_close(contract_example, dict(PROPOSAL, closed_by={"agent_id": "x", "role": "Janitor"}), now=NOW)
    assert refused["allowed"] is False
    assert any(v["path"].startswith("/closing/closed_by") for v in refused["violations"])
    broken = escalint.can_close(contract_example, "{not json", now=NOW)
    assert broken["allowed"] is False and broken["violations"][0]["path"] == "/closing"


def test_unreadable_records_are_reports_not_exceptions():
    for text in ("{not json", "[1, 2]", "", "null", b"\xff\xfe", '"a string"'):
        r = escalint.validate(text)
        assert r["valid"] is False and r["violations"][0]["rule"] == "REC001", text
        assert escalint.next_steps(text)["violations"][0]["rule"] == "REC001"
        assert escalint.can_close(text)["allowed"] is False


def test_missing_and_wrong_fields_are_reports():
    r = escalint.validate({"procedure": "leadership_request"}, now=NOW)
    assert any(v["rule"] == "REC002" and v["path"] == "/id" for v in r["violations"])
    r = escalint.validate({"id": 7, "procedure": "nonsense", "opened_at": "yesterday"}, now=NOW)
    assert {v["rule"] for v in r["violations"]} >= {"REC003"}


def test_deep_dicts_and_cycles_are_rec006_like_deep_text():
    deep = {"id": "x"}
    inner = deep
    for _ in range(40):
        inner["n"] = {}
        inner = inner["n"]
    text_report = escalint.validate(json.dumps(deep))
    assert escalint.validate(deep) == text_report
    assert text_report["violations"][0]["rule"] == "REC006"
    cyclic = {"id": "loop"}
    cyclic["self"] = cyclic
    assert escalint.validate(cyclic)["violations"][0]["rule"] == "REC006"
    assert escalint.next_steps(cyclic)["violations"][0]["rule"] == "REC006"
    assert escalint.can_close(cyclic)["allowed"] is False


def test_python_values_in_records():
    # datetime values become ISO text; NaN (pandas' missing value) becomes null; tuples are lists.
    record = dict(LEADERSHIP, opened_at=datetime.datetime(2026, 11, 20, 9, 15, tzinfo=EST), channel=float("nan"))
    record["events"] = ({"at": "2026-11-20T09:20:00-05:00", "type": "follow_up_offered", "accepted": False},)
    as_text = dict(LEADERSHIP, channel=None, events=[record["events"][0]])
    assert escalint.validate(record, now=NOW) == escalint.validate(as_text, now=NOW)
    naive = dict(LEADERSHIP, opened_at=datetime.datetime(2026, 11, 20, 9, 15))
    r = escalint.validate(naive, now=NOW)
    assert any(v["rule"] == "REC003" and v["path"] == "/opened_at" for v in r["violations"])


# ---- now -----------------------------------------------------------------------------------


def test_now_forms_agree():
    as_text = escalint.validate(LEADERSHIP, now="2026-11-22T12:00:00-05:00")
    as_datetime = escalint.validate(LEADERSHIP, now=datetime.datetime(2026, 11, 22, 12, tzinfo=EST))
    as_utc = escalint.validate(LEADERSHIP, now=datetime.datetime(2026, 11, 22, 17, tzinfo=datetime.timezone.utc))
    assert as_text["violations"] == as_datetime["violations"]
    assert [v["rule"] for v in as_text["violations"]] == [v["rule"] for v in as_utc["violations"]]
    try:
        from zoneinfo import ZoneInfo
    except ImportError:  # Python 3.8
        return
    zoned = datetime.datetime(2026, 11, 22, 12, tzinfo=ZoneInfo("America/New_York"))
    assert escalint.validate(LEADERSHIP, now=zoned)["violations"] == as_text["violations"]


def test_naive_now_is_a_value_error():
    for call in (escalint.validate, escalint.next_steps, escalint.can_close):
        with pytest.raises(ValueError, match="naive"):
            call(LEADERSHIP, now=datetime.datetime(2026, 11, 22, 12))


def test_bad_now_text_is_a_value_error():
    for bad in ("2026-11-22 12:00", "2026-11-22T12:00:00", "tomorrow", ""):
        with pytest.raises(ValueError, match="now"):
            escalint.validate(LEADERSHIP, now=bad)


def test_wrong_now_type_is_a_type_error():
    for bad in (1700000000, 3.5, datetime.date(2026, 11, 22), ["2026-11-22T12:00:00Z"]):
        with pytest.raises(TypeError, match="now"):
            escalint.validate(LEADERSHIP, now=bad)


# ---- argument errors -------------------------------------------------------------------------


def test_wrong_record_type_is_a_type_error():
    for bad in (5, None, [LEADERSHIP], 3.0, object()):
        with pytest.raises(TypeError, match="record must be a dict"):
            escalint.validate(bad)
        with pytest.raises(TypeError):
            escalint.next_steps(bad)
        with pytest.raises(TypeError):
            escalint.can_close(bad)


def test_unconvertible_values_name_their_path():
    with pytest.raises(TypeError, match=r"/events/0/at: .*set"):
        escalint.validate(dict(LEADERSHIP, events=[{"at": {1, 2}, "type": "call"}]))
    with pytest.raises(TypeError, match="key"):
        escalint.validate({1: "x", "id": "a"})
    with pytest.raises(ValueError, match="/x"):
        escalint.validate(dict(LEADERSHIP, x=float("inf")))


def test_wrong_proposal_type_is_a_type_error():
    with pytest.raises(TypeError, match="proposal"):
        escalint.can_close(LEADERSHIP, 42)


# ---- Engine and policies -------------------------------------------------------------------


def test_engine_default_and_custom_policy(tmp_path):
    default = escalint.Engine()
    assert default.policy_versions == [escalint.policy()["version"]]
    assert "Engine" in repr(default)
    p = escalint.policy()
    p["thresholds"]["follow_up_hours"] = 48
    p["version"] = "lenient"
    from_dict = escalint.Engine(policy=p)
    from_text = escalint.Engine(policy=json.dumps(p))
    from_bytes = escalint.Engine(policy=json.dumps(p).encode())
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(p))
    from_path = escalint.Engine(policy=path)
    case = dict(LEADERSHIP, events=[{"at": "2026-11-20T09:20:00-05:00", "type": "follow_up_offered", "accepted": True}])
    now = "2026-11-21T12:00:00-05:00"
    strict_rules = [v["rule"] for v in default.validate(case, now=now)["violations"]]
    assert "LD003" in strict_rules  # no update within 1 day
    for engine in (from_dict, from_text, from_bytes, from_path):
        r = engine.validate(case, now=now)
        assert r["policy_version"] == "lenient"
        assert "LD003" not in [v["rule"] for v in r["violations"]]


def test_several_policy_versions():
    old, new = escalint.policy(), escalint.policy()
    old.update(version="old", effective_from="2016-01-01")
    new.update(version="new", effective_from="2024-01-01")
    engine = escalint.Engine(policy=[new, old])
    assert engine.policy_versions == ["old", "new"]
    assert engine.validate(dict(LEADERSHIP, opened_at="2020-01-01T10:00:00Z"))["policy_version"] == "old"
    assert engine.validate(LEADERSHIP, now=NOW)["policy_version"] == "new"


def test_bad_policies_raise_policy_error():
    good = escalint.policy()
    missing = {k: v for k, v in good.items() if k != "thresholds"}
    zero = copy.deepcopy(good)
    zero["thresholds"]["update_interval_hours"] = 0
    dup_old, dup_new = copy.deepcopy(good), copy.deepcopy(good)
    dup_new["version"] = "other"
    for bad in ("{not json", "{}", "[]", b"\xff", missing, zero, [dup_old, dup_new], {"policies": []}):
        with pytest.raises(escalint.PolicyError) as caught:
            escalint.Engine(policy=bad)
        assert str(caught.value), bad
    with pytest.raises(ValueError):  # PolicyError is a ValueError
        escalint.Engine(policy="{}")


def test_wrong_policy_type_and_missing_file():
    with pytest.raises(TypeError, match="policy"):
        escalint.Engine(policy=42)
    with pytest.raises(FileNotFoundError):
        escalint.Engine(policy=pathlib.Path("/nonexistent/policy.json"))


# ---- validate_many ---------------------------------------------------------------------------


def test_validate_many_forms_and_order(contract_example):
    records = [contract_example, json.dumps(LEADERSHIP), b"{broken", LEADERSHIP]
    reports = escalint.validate_many(records, now=NOW)
    assert [r["id"] for r in reports] == ["ESC-2026-000123", "ESC-LD-1", "", "ESC-LD-1"]
    assert reports == [escalint.validate(r, now=NOW) for r in records]
    assert escalint.validate_many([]) == []
    assert escalint.validate_many(iter(records), now=NOW) == reports
    assert escalint.Engine().validate_many(tuple(records), now=NOW) == reports


def test_validate_many_dicts_of_every_shape_across_batches(contract_example):
    # validate_many converts a batch's exact dicts into one arena that is reset and reused
    # for later batches; a tree read after its arena was reused would answer wrongly here.
    records = []
    for i in range(1300):
        r = copy.deepcopy(contract_example)
        r["id"] = f"ESC-\u00fc-{i}-" + "x" * (i % 37)
        r["events"] = r["events"][: i % (len(r["events"]) + 1)]
        if i % 5 == 0:
            r["extra"] = {"k\u00e9y": [1, 2.5, None, True, "\u00e9" * (i % 9), {"deep": ["a", ("b", 3)]}]}
        if i % 7 == 0:  # a datetime: this record takes the converting path, in the same batch
            r["opened_at"] = datetime.datetime(2026, 11, 20, 9, 15, tzinfo=EST)
        if i % 11 == 0:
            r = json.dumps(r, default=str)  # text among the dicts
        records.append(r)
    reports = escalint.validate_many(records, now=NOW)
    assert reports == [escalint.validate(r, now=NOW) for r in records]
    assert [r["id"] for r in reports[:3]] == ["ESC-\u00fc-0-", "ESC-\u00fc-1-x", "ESC-\u00fc-2-xx"]
    assert len({json.dumps(r, sort_keys=True) for r in reports}) > 50


def test_a_dict_reads_as_its_json_text_does(contract_example):
    # A dict is walked into the engine's tree (in the thread's arena for one call, copied into
    # a batch's arena by validate_many); its JSON text is parsed by the engine itself. Random
    # values planted at random places must give the same answers all three ways.
    import random

    rng = random.Random(20261127)

    def scalar():
        return rng.choice([None, True, False, 0, -7, 2**40, 2**70, 1.5, -0.0, "", "x", "\u00e9t\u00e9", "a\"b\\c\n", "2026-11-20T09:15:00-05:00", "2026-02-30"])

    def value(depth=0):
        roll = rng.random()
        if depth < 4 and roll < 0.15:
            return {rng.choice(["k", "\u00fc", "", "at", "type"]) + str(i): value(depth + 1) for i in range(rng.randint(0, 4))}
        if depth < 4 and roll < 0.3:
            items = [value(depth + 1) for _ in range(rng.randint(0, 4))]
            return tuple(items) if rng.random() < 0.3 else items
        return scalar()

    def plant(node, depth=0):
        # Replace a random member or item somewhere below `node`, or add one.
        if isinstance(node, dict) and node:
            key = rng.choice(list(node))
            if depth < 3 and isinstance(node[key], (dict, list)) and rng.random() < 0.6:
                plant(node[key], depth + 1)
            else:
                node[key if rng.random() < 0.7 else "extra_" + str(rng.randint(0, 9))] = value()
        elif isinstance(node, list) and node:
            i = rng.randrange(len(node))
            if depth < 3 and isinstance(node[i], (dict, list)) and rng.random() < 0.6:
                plant(node[i], depth + 1)
            else:
                node[i] = value()

    records = []
    for _ in range(600):
        r = copy.deepcopy(contract_example)
        for _ in range(rng.randint(1, 4)):
            plant(r)
        records.append(r)
    texts = [json.dumps(r) for r in records]
    as_texts = escalint.validate_many(texts, now=NOW)
    assert escalint.validate_many(records, now=NOW) == as_texts
    assert [escalint.validate(r, now=NOW) for r in records] == as_texts
    assert sum(not r["valid"] for r in as_texts) > 100  # the planted values do break rules


def test_validate_many_errors():
    with pytest.raises(TypeError, match="iterable"):
        escalint.validate_many(5)
    with pytest.raises(TypeError, match="validate"):
        escalint.validate_many(LEADERSHIP)  # one record, not a batch
    with pytest.raises(TypeError, match="validate"):
        escalint.validate_many(json.dumps(LEADERSHIP))
    with pytest.raises(TypeError, match=r"records\[2\]"):
        escalint.validate_many([LEADERSHIP, LEADERSHIP, 7])
    with pytest.raises(ValueError, match="naive"):
        escalint.validate_many([LEADERSHIP], now=datetime.datetime(2026, 1, 1))

    def failing():
        yield LEADERSHIP
        raise RuntimeError("source broke")

    with pytest.raises(RuntimeError, match="source broke"):
        escalint.validate_many(failing())


def test_validate_many_leaves_the_garbage_collector_as_it_found_it():
    import gc

    observed = []

    def records():
        observed.append(gc.isenabled())  # paused while the batch is built
        yield LEADERSHIP
        raise RuntimeError("source broke")

    assert gc.isenabled()
    assert len(escalint.validate_many([LEADERSHIP] * 3000, now=NOW)) == 3000
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        escalint.validate_many(records())
    assert observed == [False] and gc.isenabled()
    gc.disable()
    try:
        escalint.validate_many([LEADERSHIP], now=NOW)
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()


# ---- validate_file ---------------------------------------------------------------------------


def test_validate_file_json_lines_and_array(tmp_path, contract_example):
    lines = [json.dumps(contract_example), "", json.dumps(LEADERSHIP), "{oops", "[1]"]
    jsonl = tmp_path / "history.jsonl"
    jsonl.write_text("\n".join(lines) + "\n")
    reports = list(escalint.validate_file(jsonl, now=NOW))
    assert [r["id"] for r in reports] == ["ESC-2026-000123", "", "ESC-LD-1", "", ""]
    assert reports[0] == escalint.validate(contract_example, now=NOW)
    # Every line is reported, a blank one too (as by the command line).
    assert reports[1]["violations"][0]["message"] == "line 2: the line is blank; expected one JSON object per line"
    assert reports[3]["violations"][0]["rule"] == "REC001"
    assert reports[3]["violations"][0]["message"].startswith("line 4, column 2:")
    assert reports[4]["violations"][0]["message"].startswith("line 5: ")

    array = tmp_path / "history.json"
    array.write_text(json.dumps([contract_example, LEADERSHIP], indent=2))
    it = escalint.Engine().validate_file(str(array), now=NOW)
    assert iter(it) is it
    assert [r["id"] for r in it] == ["ESC-2026-000123", "ESC-LD-1"]
    assert list(it) == []

    pretty_single = tmp_path / "case.json"
    pretty_single.write_text(json.dumps(contract_example, indent=2))
    assert list(escalint.validate_file(pretty_single, now=NOW)) == [reports[0]]

    broken_array = tmp_path / "broken.json"
    broken_array.write_text(json.dumps([LEADERSHIP])[:-1])
    got = list(escalint.validate_file(broken_array, now=NOW))
    assert got[0]["id"] == "ESC-LD-1"
    assert "not closed" in got[1]["violations"][0]["message"]

    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    assert list(escalint.validate_file(empty)) == []


def test_validate_file_keeps_every_line_in_order_across_batches(tmp_path):
    # 2,000 lines are several of validate_file's batches; report N must be line N's.
    lines = []
    for n in range(1, 2001):
        if n % 97 == 0:
            lines.append("")
        elif n % 89 == 0:
            lines.append('{"id": "broken')
        else:
            lines.append(json.dumps({**LEADERSHIP, "id": f"C-{n}"}))
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(lines) + "\n")
    reports = list(escalint.validate_file(path, now=NOW))
    assert len(reports) == 2000
    for n, report in enumerate(reports, start=1):
        if n % 97 == 0 or n % 89 == 0:
            assert report["id"] == ""
            assert report["violations"][0]["rule"] == "REC001"
            assert report["violations"][0]["message"].startswith(f"line {n}")
        else:
            assert report["id"] == f"C-{n}"
    assert reports[2] == escalint.validate({**LEADERSHIP, "id": "C-3"}, now=NOW)


def test_validate_file_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        escalint.validate_file(tmp_path / "missing.jsonl")
    with pytest.raises(IsADirectoryError):
        escalint.validate_file(tmp_path)
    with pytest.raises(TypeError, match="path"):
        escalint.validate_file(42)
    with pytest.raises(ValueError, match="naive"):
        escalint.validate_file(tmp_path, now=datetime.datetime(2026, 1, 1))


# ---- records read in place and converted ----------------------------------------------------


class Text(str):
    pass


class Number(int):
    pass


def test_records_of_every_python_form_agree_with_their_json_text():
    # Exact builtin types are read in place; subclasses, datetimes and big ints are converted
    # one by one. Both roads must give what the JSON text of the same record gives.
    import collections

    event = {"at": "2026-11-20T09:20:00-05:00", "type": "follow_up_offered", "accepted": False, "n": 3, "x": 0.5}
    plain = dict(LEADERSHIP, events=[event], big=2**70, neg=-(2**63), flag=True, none=None)
    text = json.dumps(plain)
    expected = escalint.validate(text, now=NOW)
    for form in (
        plain,
        dict(plain, id=Text(plain["id"])),
        dict(plain, events=[dict(event, n=Number(3))]),
        dict(plain, events=(dict(event),)),
        collections.OrderedDict(plain),
        {Text(k): v for k, v in plain.items()},
        text.encode(),
    ):
        assert escalint.validate(form, now=NOW) == expected
        assert escalint.next_steps(form, now=NOW) == escalint.next_steps(text, now=NOW)
        assert escalint.can_close(form, PROPOSAL, now=NOW) == escalint.can_close(text, PROPOSAL, now=NOW)
        assert escalint.validate_many([form], now=NOW) == [expected]


def test_a_large_text_record_is_parsed_like_a_small_one():
    # Texts over 64 KiB are parsed with the GIL released; the answer is the same.
    large = dict(LEADERSHIP, notes="n" * 100_000)
    assert escalint.validate(json.dumps(large), now=NOW) == escalint.validate(large, now=NOW)


def test_a_datetime_whose_isoformat_changes_the_record():
    # Python code run while a record is converted (here: isoformat) may change the record;
    # the answer is then for some state of it, and nothing crashes or reads freed memory.
    record = dict(LEADERSHIP, notes="x" * 1000, events=[{"at": "2026-11-20T09:20:00-05:00", "type": "call"}])

    class Meddling(datetime.datetime):
        def isoformat(self, *args, **kwargs):
            record["notes"] = "y" * 1000
            record["events"] = None
            return super().isoformat(*args, **kwargs)

    record["opened_at"] = Meddling(2026, 11, 20, 9, 15, tzinfo=EST)
    for _ in range(50):
        report = escalint.validate(record, now=NOW)
        assert report["id"] == LEADERSHIP["id"]
        record["notes"], record["events"] = "x" * 1000, [{"at": "2026-11-20T09:20:00-05:00", "type": "call"}]
