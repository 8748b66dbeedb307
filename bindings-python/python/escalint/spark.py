"""escalint on Apache Spark: the three questions over a DataFrame column of cases.

    >>> from escalint import spark as esc
    >>> history = spark.read.text("history.jsonl")          # one case per line, column "value"
    >>> reports = esc.validate(history, column="value")
    >>> esc.violations(history, column="value").groupBy("rule").count().show()

Each function is one ``mapInArrow``: Spark hands every Python worker whole Arrow batches of
the column, and the worker answers them with ``Engine.validate_arrow`` (or ``next_steps_arrow``,
``can_close_arrow``) on one engine, built once per worker process from the policy's JSON text
(the text is what travels to the executors, not a pickled engine). The answers have the
schema of the Arrow answers (``VALIDATION_SCHEMA`` and the others below). The escalint wheel
and pyarrow must be installed on every executor: see docs/spark.md.
"""

import difflib
import json
import os
from datetime import datetime
from typing import Any, Dict, Iterator, Optional, Union

import escalint

VIOLATION = "struct<rule:string,severity:string,path:string,message:string,sop:string,hint:string>"
STEP = "struct<action:string,due_by:string,overdue:boolean,rule:string,why:string,party:string,options:array<string>>"
#: The columns of ``validate``: one row per case.
VALIDATION_SCHEMA = f"id string, valid boolean, policy_version string, violations array<{VIOLATION}>"
#: The columns of ``next_steps``.
NEXT_STEPS_SCHEMA = (
    f"id string, state string, policy_version string, steps array<{STEP}>, violations array<{VIOLATION}>"
)
#: The columns of ``can_close``.
CAN_CLOSE_SCHEMA = f"id string, allowed boolean, policy_version string, violations array<{VIOLATION}>"

PolicySource = Union[None, str, bytes, Dict[str, Any], list, "os.PathLike[str]"]
Now = Union[None, str, datetime]

# One engine per policy text in each Python worker (workers are reused between tasks).
_ENGINES: Dict[Optional[str], escalint.Engine] = {}


def _engine(policy_text: Optional[str]) -> escalint.Engine:
    engine = _ENGINES.get(policy_text)
    if engine is None:
        engine = escalint.Engine(policy=policy_text)
        _ENGINES[policy_text] = engine
    return engine


def _policy_text(policy: PolicySource) -> Optional[str]:
    """The policy as JSON text, checked here on the driver (a bad one raises PolicyError now,
    not in every task)."""
    if policy is None:
        return None
    if isinstance(policy, (dict, list)):
        text = json.dumps(policy)
    elif isinstance(policy, bytes):
        text = policy.decode("utf-8")
    elif isinstance(policy, str):
        text = policy
    elif isinstance(policy, os.PathLike):
        with open(policy, encoding="utf-8") as f:
            text = f.read()
    else:
        raise TypeError(
            f"policy must be None, a dict, a list of dicts, JSON text or a path; got {type(policy).__name__}"
        )
    escalint.Engine(policy=text)
    return text


def _now_text(now: Now) -> Optional[str]:
    """``now`` as RFC 3339 text, checked on the driver."""
    if now is None:
        return None
    if isinstance(now, datetime):
        if now.utcoffset() is None:
            raise ValueError(f"now: the datetime {now} is naive (no tzinfo); give an aware datetime")
        now = now.isoformat()
    if not isinstance(now, str):
        raise TypeError(f"now must be an aware datetime, RFC 3339 text or None; got {type(now).__name__}")
    escalint.validate("{}", now=now)  # raises ValueError for text that is not a timestamp
    return now


def _text_column(df, column: str, role: str) -> None:
    from pyspark.sql.types import BinaryType, StringType

    fields = {f.name: f for f in df.schema.fields}
    if column not in fields:
        close = difflib.get_close_matches(column, list(fields), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise KeyError(
            f"{role}={column!r}: the DataFrame has no such column{hint}; its columns are: {', '.join(fields)}"
        )
    if not isinstance(fields[column].dataType, (StringType, BinaryType)):
        raise TypeError(
            f"{role}={column!r} has type {fields[column].dataType.simpleString()}; expected one case per row as "
            "JSON text (string or binary); a struct column can be turned into JSON with pyspark.sql.functions.to_json"
        )


def _answers(df, question: str, schema: str, column: str, proposal_column: Optional[str], now: Now, policy):
    _text_column(df, column, "column")
    columns = [column]
    if proposal_column is not None:
        _text_column(df, proposal_column, "proposal_column")
        columns.append(proposal_column)
    policy_text, now_text = _policy_text(policy), _now_text(now)
    options = {"column": column, "now": now_text}
    if proposal_column is not None:
        options["proposal_column"] = proposal_column

    # Captures only texts: this closure is what Spark pickles and sends to the executors.
    def answer(batches: Iterator[Any]) -> Iterator[Any]:
        ask = getattr(_engine(policy_text), question)
        for batch in batches:
            yield from ask(batch, **options).to_batches()

    return df.select(*columns).mapInArrow(answer, schema)


def validate(df, column: str = "case", now: Now = None, policy: PolicySource = None):
    """Validate every case of ``df[column]`` (JSON text, string or binary): a DataFrame with
    ``VALIDATION_SCHEMA`` (``id, valid, policy_version, violations``), one row per case.

    ``now``: an aware datetime or RFC 3339 text (default: each case's closing time, else the
    current time). ``policy``: as ``escalint.Engine(policy=...)`` takes it (None: the embedded
    policy); it is checked here, and sent to the executors as JSON text.
    """
    return _answers(df, "validate_arrow", VALIDATION_SCHEMA, column, None, now, policy)


def violations(df, column: str = "case", now: Now = None, policy: PolicySource = None):
    """One row per violation of ``validate``: ``id, rule, severity, path, message, sop, hint``."""
    from pyspark.sql import functions as F

    reports = validate(df, column=column, now=now, policy=policy)
    return reports.select("id", F.explode("violations").alias("v")).select("id", "v.*")


def next_steps(df, column: str = "case", now: Now = None, policy: PolicySource = None):
    """What the agent must do next for every case of ``df[column]``: a DataFrame with
    ``NEXT_STEPS_SCHEMA`` (``id, state, policy_version, steps, violations``)."""
    return _answers(df, "next_steps_arrow", NEXT_STEPS_SCHEMA, column, None, now, policy)


def can_close(
    df,
    column: str = "case",
    proposal_column: Optional[str] = None,
    now: Now = None,
    policy: PolicySource = None,
):
    """May each case of ``df[column]`` be closed? A DataFrame with ``CAN_CLOSE_SCHEMA``
    (``id, allowed, policy_version, violations``). ``proposal_column``: proposed closings as JSON
    text (a null row, or None for the whole call: each case's own ``closing`` is judged)."""
    return _answers(df, "can_close_arrow", CAN_CLOSE_SCHEMA, column, proposal_column, now, policy)


__all__ = [
    "CAN_CLOSE_SCHEMA",
    "NEXT_STEPS_SCHEMA",
    "VALIDATION_SCHEMA",
    "can_close",
    "next_steps",
    "validate",
    "violations",
]
