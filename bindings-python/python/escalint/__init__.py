"""escalint: check home-services escalation cases against the procedures.

Three questions about one escalation case (a dict, or JSON text as str or bytes):

* ``validate(record, now=None)`` -- does the case follow the procedures? (violations with
  stable rule ids)
* ``next_steps(record, now=None)`` -- what must the agent do next, and by when?
* ``can_close(record, proposal=None, now=None)`` -- may it be closed now, by this person,
  with these values?

For many cases: ``validate_many(records)`` (every core) and ``validate_file(path)`` (JSON
Lines or a JSON array, streamed). For Arrow data (pyarrow, polars, pandas, DuckDB):
``validate_arrow(data, column="case")`` returns a pyarrow Table, ``explode_violations`` one row
per violation; ``escalint.spark`` runs the same on Apache Spark. The module-level functions use an engine with the embedded
policy; ``Engine(policy=...)`` uses yours. Answers are plain dicts and lists, ready for
``pandas.json_normalize``.

    >>> import escalint
    >>> report = escalint.validate({"id": "ESC-1", "procedure": "leadership_request",
    ...                             "opened_at": "2026-11-20T09:15:00-05:00"})
    >>> report["valid"], [v["rule"] for v in report["violations"]][:1]
    (False, ['LD001'])
"""

import json as _json
import os as _os
# typing under a private name: `dir(escalint)` lists the package's own names only.
import typing as _t

from ._escalint import (
    Engine,
    MappingWarning,
    PolicyError,
    ReportIterator,
    __version__,
    can_close,
    next_steps,
    policy,
    rules,
    validate,
    validate_file,
    validate_many,
    _summarizer,
    read_table,
)
from ._arrow import can_close_arrow, explode_violations, next_steps_arrow, validate_arrow

# ---- the shapes of the answers (docs/format.md, The reports), for type checkers and editors


class _ViolationRequired(_t.TypedDict):
    rule: str
    severity: _t.Literal["error", "warning"]
    path: str
    message: str
    sop: str


class Violation(_ViolationRequired, total=False):
    """One finding: the rule, where in the record (a JSON Pointer, "" for the whole case),
    what is wrong, which procedure says so, and an optional hint."""

    hint: str


class ValidationReport(_t.TypedDict):
    """The answer of ``validate``: ``valid`` is False when a violation has severity error.
    Violations are sorted by rule, then path."""

    id: str
    valid: bool
    policy_version: str
    violations: _t.List[Violation]


class _StepRequired(_t.TypedDict):
    action: str
    due_by: _t.Optional[str]
    rule: str
    why: str


class Step(_StepRequired, total=False):
    """One thing the agent should do: an action name (docs/format.md), its deadline (RFC 3339
    text, or None), the rule it serves, why, and for some actions the party or the options.
    ``overdue`` is present (True) when the deadline is at or before ``now``."""

    overdue: bool
    party: str
    options: _t.List[str]


class NextStepsReport(_t.TypedDict):
    """The answer of ``next_steps``: the case state and the steps, most urgent first;
    ``violations`` holds only the record problems (REC) that stop planning."""

    id: str
    state: _t.Optional[_t.Literal["not_opened", "open", "waiting", "ready_to_close", "closed"]]
    policy_version: str
    steps: _t.List[Step]
    violations: _t.List[Violation]


class CanCloseReport(_t.TypedDict):
    """The answer of ``can_close``: ``allowed`` is False when a violation has severity error."""

    id: str
    allowed: bool
    policy_version: str
    violations: _t.List[Violation]


class RuleInfo(_t.TypedDict):
    """A rule of the catalogue (``rules()``)."""

    id: str
    severity: _t.Literal["error", "warning"]
    scope: str
    title: str
    sop: str
    source: str
    explanation: str


# ---- summarize: breakdowns with denominators ------------------------------------------------

_BATCH = 4096


def _json_default(value: _t.Any) -> _t.Any:
    # datetime/date values of dict records, written as the record format wants them.
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not a JSON value")


def summarize(
    reports_or_path: _t.Union[str, "_os.PathLike[str]", _t.Iterable[_t.Any]],
    by: _t.Sequence[str] = ("procedure", "rule"),
    *,
    now: _t.Any = None,
    top: int = 20,
    engine: _t.Optional[Engine] = None,
) -> _t.Dict[str, _t.Any]:
    """Breakdowns of a history, as ``escalint validate --by`` prints them.

    ``reports_or_path``: a file path (JSON Lines or a JSON array, streamed and judged on every
    core), or an iterable of cases (dicts, or JSON text as str/bytes) or of reports returned
    by ``validate``/``validate_file``. Reports carry no servicer, region, closer or date: from
    reports only the totals and ``rule`` are meaningful (the other keys are ``(none)``).

    ``by``: any of month, week, procedure, rule, servicer, region, closer, responsibility,
    reason. Returns ``{"totals": {...}, dimension: table, ...}`` where each table is a pandas
    DataFrame when pandas is installed, else a list of dicts, with the columns key, cases,
    with_errors, warnings_only, violations, error_rate, top_rules. At most ``top`` keys per
    dimension are listed (months and weeks: all), the rest as one ``(other)`` row; memory is
    bounded whatever the input.
    """
    if isinstance(by, str):
        by = [part for part in by.split(",") if part.strip()]
    if top < 1:
        raise ValueError("top must be at least 1")
    summary = _summarizer(list(by), now, engine)
    if isinstance(reports_or_path, (str, _os.PathLike)):
        summary.add_file(_os.fspath(reports_or_path))
    else:
        texts: _t.List[_t.Union[str, bytes]] = []
        reports: _t.List[str] = []
        for item in reports_or_path:
            if isinstance(item, dict) and "violations" in item and "valid" in item and "policy_version" in item:
                reports.append(_json.dumps(item))
            elif isinstance(item, (str, bytes, bytearray)):
                texts.append(bytes(item) if isinstance(item, bytearray) else item)
            else:
                texts.append(_json.dumps(item, default=_json_default))
            if len(texts) >= _BATCH:
                summary.add_texts(texts)
                texts = []
            if len(reports) >= _BATCH:
                summary.add_reports(reports)
                reports = []
        summary.add_texts(texts)
        summary.add_reports(reports)
    tables = _json.loads(summary.tables(top))
    out: _t.Dict[str, _t.Any] = {"totals": {k: v for k, v in tables.items() if k != "breakdowns"}}
    try:
        import pandas as _pd
    except ImportError:
        _pd = None
    for table in tables["breakdowns"]:
        rows = [
            {
                "key": r["key"],
                "cases": r["cases"],
                "with_errors": r["with_errors"],
                "warnings_only": r["warnings_only"],
                "violations": r["violations"],
                "error_rate": r["error_rate"],
                "top_rules": " ".join(f"{t['rule']}:{t['count']}" for t in r["top_rules"]),
            }
            for r in table["rows"]
        ]
        out[table["dimension"]] = _pd.DataFrame(rows, columns=list(rows[0]) if rows else None) if _pd else rows
    return out


__all__ = [
    "CanCloseReport",
    "Engine",
    "MappingWarning",
    "NextStepsReport",
    "PolicyError",
    "ReportIterator",
    "RuleInfo",
    "Step",
    "ValidationReport",
    "Violation",
    "__version__",
    "can_close",
    "can_close_arrow",
    "explode_violations",
    "next_steps",
    "next_steps_arrow",
    "policy",
    "read_table",
    "rules",
    "summarize",
    "validate",
    "validate_arrow",
    "validate_file",
    "validate_many",
]
