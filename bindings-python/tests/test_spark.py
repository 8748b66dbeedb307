"""escalint.spark on a local Spark (local[2]): the example history judged through mapInArrow
gives the CLI's counts and the Arrow path's answers.

Needs pyspark and a Java runtime (scripts/test-python.sh installs both); run alone without
them these tests are skipped, unless ESCALINT_REQUIRE_SPARK=1 (set by the script) says they
must run.
"""

import collections
import json
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

import escalint

ROOT = pathlib.Path(__file__).resolve().parents[2]
HISTORY = ROOT / "examples" / "history.jsonl"
NOW = "2026-11-22T12:00:00-05:00"
REQUIRED = os.environ.get("ESCALINT_REQUIRE_SPARK") == "1"

if not REQUIRED:
    pytest.importorskip("pyspark")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("no Java runtime for Spark", allow_module_level=True)

import pyarrow as pa  # noqa: E402  (pyspark's Arrow functions need it too)
from pyspark.sql import SparkSession  # noqa: E402
from pyspark.sql import functions as F  # noqa: E402

from escalint import spark as esc  # noqa: E402


@pytest.fixture(scope="module")
def spark():
    # The workers run this interpreter, where the wheel under test is installed.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("escalint-tests")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def cli_reports():
    """The CLI's `--format jsonl` reports for the example history."""
    run = subprocess.run(
        ["cargo", "run", "-q", "-p", "escalint-cli", "--", "validate", "--format", "jsonl", "--now", NOW, str(HISTORY)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode in (0, 1), run.stderr  # 1: some case is invalid
    reports = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(reports) == len(HISTORY.read_text(encoding="utf-8").splitlines())
    return reports


def history(spark):
    # Two partitions, so both cores (and two Python workers) take part.
    return spark.read.text(str(HISTORY)).repartition(2)


def rows(df):
    return [r.asDict(recursive=True) for r in df.collect()]


def test_validate_counts_equal_the_cli(spark, cli_reports):
    reports = esc.validate(history(spark), column="value", now=NOW)
    assert reports.schema == spark.createDataFrame([], esc.VALIDATION_SCHEMA).schema
    counts = reports.agg(F.count("*").alias("cases"), F.sum(F.col("valid").cast("int")).alias("valid")).first()
    assert counts["cases"] == len(cli_reports)
    assert counts["valid"] == sum(r["valid"] for r in cli_reports)

    per_rule = {r["rule"]: r["count"] for r in esc.violations(history(spark), column="value", now=NOW)
                .groupBy("rule").count().collect()}
    expected = collections.Counter(v["rule"] for r in cli_reports for v in r["violations"])
    assert per_rule == dict(expected) and per_rule


def test_reports_equal_the_cli_field_by_field(spark, cli_reports, dict_answers):
    got = {r["id"]: r for r in rows(esc.validate(history(spark), column="value", now=NOW)) if r["id"]}
    for report in cli_reports:
        if not report["id"]:
            continue  # a line that is not a case: its message names the file's line (see docs/spark.md)
        # The CLI adds where it read the case (file and line), which Spark does not know.
        report = {k: v for k, v in report.items() if k != "source"}
        assert dict_answers([got[report["id"]]]) == [report]


def test_next_steps_and_can_close(spark, golden, dict_answers):
    """The core's own answers (rule fixtures and examples, with steps of every kind), through Spark."""
    for question in ("next_steps", "can_close"):
        entries = [e for e in golden if e["question"] == question and e["now"] == NOW]
        assert entries, question
        data = [(e["record"], e.get("proposal")) for e in entries]
        df = spark.createDataFrame(data, "case string, proposal string").coalesce(1)
        if question == "next_steps":
            got = rows(esc.next_steps(df, now=NOW))
        else:
            # A null proposal: the case's own closing is judged.
            got = rows(esc.can_close(df, proposal_column="proposal", now=NOW))
        dict_answers(got)
        assert got == [e["answer"] for e in entries], question
    assert any(e["answer"]["steps"] for e in golden if e["question"] == "next_steps")
    proposal = '{"closed_at": "2026-11-22T12:00:00-05:00", "basis": "resolved"}'
    df = spark.read.text(str(HISTORY)).withColumn("proposal", F.lit(proposal))
    closed = esc.can_close(df, column="value", proposal_column="proposal", now=NOW).collect()
    assert len(closed) == df.count()


def test_a_policy_travels_as_text(spark):
    policy = escalint.policy()
    policy["version"] = "spark-test"
    df = spark.read.text(str(HISTORY)).limit(20)
    versions = {r["policy_version"] for r in esc.validate(df, column="value", policy=policy).collect()}
    assert versions == {"spark-test"}
    with pytest.raises(escalint.PolicyError):
        esc.validate(df, column="value", policy={"version": 3})
    with pytest.raises(KeyError, match="'values': the DataFrame has no such column \\(did you mean 'value'\\?\\)"):
        esc.validate(df, column="values")
    with pytest.raises(TypeError, match="expected one case per row as JSON text"):
        esc.validate(df.withColumn("n", F.lit(1)), column="n")
    with pytest.raises(ValueError, match="naive"):
        from datetime import datetime

        esc.validate(df, column="value", now=datetime(2026, 11, 22))
