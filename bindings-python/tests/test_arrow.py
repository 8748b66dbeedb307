"""The Arrow path: validate_arrow / next_steps_arrow / can_close_arrow on pyarrow, polars and
pandas data, equal to the dict answers; explode_violations; clear errors for bad input."""

import itertools
import json
import pathlib

import pytest

import escalint

pa = pytest.importorskip("pyarrow")

ROOT = pathlib.Path(__file__).resolve().parents[2]
HISTORY = ROOT / "examples" / "history.jsonl"
NOW = "2026-11-22T12:00:00-05:00"
ENGINE = escalint.Engine()


def history_lines():
    return HISTORY.read_text(encoding="utf-8").splitlines()


@pytest.fixture
def as_dicts(dict_answers):
    """A table's rows as the dict answers write them (conftest.dict_answers)."""
    return lambda table: dict_answers(table.to_pylist())


def test_history_equals_validate_many_report_by_report(as_dicts):
    lines = history_lines()
    for now in (None, NOW):
        table = ENGINE.validate_arrow(pa.table({"case": lines}), now=now)
        assert table.num_rows == len(lines)
        assert as_dicts(table) == ENGINE.validate_many(lines, now=now)


def test_answer_schema():
    table = escalint.validate_arrow(pa.table({"case": history_lines()[:3]}))
    violation = pa.struct(
        [pa.field(n, pa.string(), nullable=False) for n in ("rule", "severity", "path", "message", "sop")]
        + [pa.field("hint", pa.string())]
    )
    assert table.schema.names == ["id", "valid", "policy_version", "violations"]
    assert table.schema.field("valid").type == pa.bool_()
    assert table.schema.field("violations").type == pa.list_(pa.field("item", violation, nullable=False))


def test_golden_answers_of_every_question(golden, as_dicts):
    """Every question the core answered (rule fixtures, examples), asked through Arrow in one
    table per (question, now): the same answers."""
    key = lambda e: (e["question"], e["now"] or "")
    for (question, now), group in itertools.groupby(sorted(golden, key=key), key=key):
        group = list(group)
        data = pa.table(
            {"case": [e["record"] for e in group], "proposal": [e.get("proposal") for e in group]}
        )
        now = now or None
        if question == "validate":
            got = ENGINE.validate_arrow(data, now=now)
        elif question == "next_steps":
            got = ENGINE.next_steps_arrow(data, now=now)
        else:
            got = ENGINE.can_close_arrow(data, proposal_column="proposal", now=now)
        assert as_dicts(got) == [e["answer"] for e in group], (question, now)


def test_polars_through_the_capsule_interface(as_dicts):
    pl = pytest.importorskip("polars")
    lines = history_lines()
    frame = pl.DataFrame({"n": range(len(lines)), "case": lines})
    # polars hands strings over as string_view.
    assert "__arrow_c_stream__" in dir(frame)
    table = ENGINE.validate_arrow(frame, now=NOW)
    assert as_dicts(table) == ENGINE.validate_many(lines, now=NOW)
    # Back into polars through the same interface, and counted there.
    flat = pl.from_arrow(escalint.explode_violations(table))
    counts = dict(flat.group_by("rule").len().iter_rows())
    expected = {}
    for report in ENGINE.validate_many(lines, now=NOW):
        for v in report["violations"]:
            expected[v["rule"]] = expected.get(v["rule"], 0) + 1
    assert counts == expected


def test_pandas_through_the_capsule_interface(as_dicts):
    pd = pytest.importorskip("pandas")
    lines = history_lines()[:300]
    frame = pd.DataFrame({"case": lines})
    if not hasattr(frame, "__arrow_c_stream__"):
        pytest.skip("this pandas has no Arrow PyCapsule interface (pandas >= 2.2 has)")
    assert as_dicts(ENGINE.validate_arrow(frame, now=NOW)) == ENGINE.validate_many(lines, now=NOW)


@pytest.mark.parametrize(
    "make",
    [
        lambda xs: pa.array(xs, pa.string()),
        lambda xs: pa.array(xs, pa.large_string()),
        lambda xs: pa.array(xs, pa.string_view()),
        lambda xs: pa.array([x.encode() for x in xs], pa.binary()),
        lambda xs: pa.array([x.encode() for x in xs], pa.large_binary()),
        lambda xs: pa.array(xs, pa.string()).dictionary_encode(),
    ],
    ids=["string", "large_string", "string_view", "binary", "large_binary", "dictionary"],
)
def test_every_text_type(make, as_dicts):
    lines = history_lines()[:50]
    table = pa.table({"case": make(lines)})
    assert as_dicts(ENGINE.validate_arrow(table, now=NOW)) == ENGINE.validate_many(lines, now=NOW)


def test_batches_streams_and_record_batches():
    lines = history_lines()
    whole = ENGINE.validate_arrow(pa.table({"case": lines}), now=NOW)
    # A table of many chunks, a RecordBatch, a RecordBatchReader: the same answers in order.
    chunked = pa.Table.from_batches(pa.table({"case": lines}).to_batches(max_chunksize=333))
    assert ENGINE.validate_arrow(chunked, now=NOW).equals(whole)
    batch = pa.RecordBatch.from_pydict({"case": lines})
    assert ENGINE.validate_arrow(batch, now=NOW).equals(whole)
    reader = pa.RecordBatchReader.from_batches(chunked.schema, chunked.to_batches())
    assert ENGINE.validate_arrow(reader, now=NOW).equals(whole)
    empty = ENGINE.validate_arrow(pa.table({"case": pa.array([], pa.string())}))
    assert empty.num_rows == 0 and empty.schema == whole.schema


def test_a_null_row_is_a_report_that_names_its_row(as_dicts):
    lines = history_lines()[:5]
    chunks = [pa.array(lines[:2]), pa.array([lines[2], None, lines[3]])]
    table = pa.table({"case": pa.chunked_array(chunks)})
    rows = as_dicts(ENGINE.validate_arrow(table, now=NOW))
    assert len(rows) == 5
    assert rows[3]["valid"] is False and rows[3]["id"] == ""
    assert [v["rule"] for v in rows[3]["violations"]] == ["REC001"]
    # Numbered over the whole input, not within its chunk.
    assert rows[3]["violations"][0]["message"] == 'row 3 of column "case" is null; expected a case as JSON text'
    assert rows[4] == ENGINE.validate(lines[3], now=NOW)


def test_explode_violations():
    lines = history_lines()
    reports = ENGINE.validate_arrow(pa.table({"case": lines}))
    flat = escalint.explode_violations(reports)
    assert flat.column_names == ["id", "rule", "severity", "path", "message", "sop", "hint"]
    expected = [
        (r["id"], v["rule"], v["path"]) for r in ENGINE.validate_many(lines) for v in r["violations"]
    ]
    assert list(zip(*(flat.column(c).to_pylist() for c in ("id", "rule", "path")))) == expected
    assert len(expected) > 0
    # Answers without violations, and the violations of next_steps' answers.
    assert escalint.explode_violations(ENGINE.validate_arrow(pa.table({"case": lines[:0]}))).num_rows == 0
    assert escalint.explode_violations(ENGINE.next_steps_arrow(pa.table({"case": ["{"]}))).num_rows == 1
    with pytest.raises(KeyError, match="no column 'violations'"):
        escalint.explode_violations(pa.table({"id": ["a"]}))


def test_bad_input_is_a_clear_error():
    table = pa.table({"n": [1], "case": ["{}"]})
    with pytest.raises(KeyError, match=r'column="cases": the data has no such column \(did you mean "case"\?\); its columns are: n, case'):
        ENGINE.validate_arrow(table, column="cases")
    with pytest.raises(TypeError, match=r'column="n" has Arrow type Int64; expected one case per row as JSON text'):
        ENGINE.validate_arrow(table, column="n")
    with pytest.raises(TypeError, match="struct column can be turned into JSON"):
        ENGINE.validate_arrow(pa.table({"case": [{"id": "ESC-1"}]}))
    with pytest.raises(TypeError, match="data must be Arrow data.*got list.*validate_many"):
        ENGINE.validate_arrow(["{}"])
    with pytest.raises(ValueError, match="now"):
        ENGINE.validate_arrow(table, now="yesterday")
    with pytest.raises(KeyError, match='proposal_column="closing"'):
        ENGINE.can_close_arrow(table, proposal_column="closing")


def test_a_policy_of_your_own(as_dicts):
    policy = escalint.policy()
    policy["version"] = "arrow-test"
    engine = escalint.Engine(policy=policy)
    table = engine.validate_arrow(pa.table({"case": history_lines()[:10]}))
    assert set(table.column("policy_version").to_pylist()) == {"arrow-test"}
    assert json.dumps(as_dicts(table)) == json.dumps(engine.validate_many(history_lines()[:10]))


def test_a_json_lines_file_read_as_docs_arrow_md_shows(tmp_path, as_dicts):
    """The recipe of docs/arrow.md: pyarrow's CSV reader, one field per line, whole or streamed;
    a blank line and a line that is not UTF-8 stay reports."""
    csv = pytest.importorskip("pyarrow.csv")
    lines = history_lines()[:400]
    path = tmp_path / "history.jsonl"
    path.write_bytes(("\n".join(lines[:200]) + "\n\n").encode() + b'{"id": "\xff"}\n' + ("\n".join(lines[200:]) + "\n").encode())

    def read_jsonl(path, stream=False):
        read = csv.open_csv if stream else csv.read_csv
        return read(
            path,
            read_options=csv.ReadOptions(column_names=["case"], block_size=8 << 10),
            parse_options=csv.ParseOptions(
                delimiter="\x1f", quote_char=False, escape_char=False, double_quote=False, ignore_empty_lines=False
            ),
            convert_options=csv.ConvertOptions(column_types={"case": pa.binary()}),
        )

    expected = ENGINE.validate_many(lines[:200] + [b"", b'{"id": "\xff"}'] + lines[200:], now=NOW)
    for stream in (False, True):
        got = as_dicts(ENGINE.validate_arrow(read_jsonl(path, stream), now=NOW))
        assert got == expected
        assert [v["rule"] for v in got[200]["violations"]] == ["REC001"]
        assert got[201]["violations"][0]["rule"] == "REC001"
