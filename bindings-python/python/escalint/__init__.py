"""escalint: check home-services escalation cases against the procedures.

Three questions about one escalation case (a dict, or JSON text as str or bytes):

* ``validate(record, now=None)`` -- does the case follow the procedures? (violations with
  stable rule ids)
* ``next_steps(record, now=None)`` -- what must the agent do next, and by when?
* ``can_close(record, proposal=None, now=None)`` -- may it be closed now, by this person,
  with these values?

For many cases: ``validate_many(records)`` (every core) and ``validate_file(path)`` (JSON
Lines or a JSON array, streamed). The module-level functions use an engine with the embedded
policy; ``Engine(policy=...)`` uses yours. Answers are plain dicts and lists, ready for
``pandas.json_normalize``.

    >>> import escalint
    >>> report = escalint.validate({"id": "ESC-1", "procedure": "leadership_request",
    ...                             "opened_at": "2026-11-20T09:15:00-05:00"})
    >>> report["valid"], [v["rule"] for v in report["violations"]][:1]
    (False, ['LD001'])
"""

from typing import List, Literal, Optional, TypedDict

from ._escalint import (
    Engine,
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
)

# ---- the shapes of the answers (CONTRACT §3), for type checkers and editors -----------------


class _ViolationRequired(TypedDict):
    rule: str
    severity: Literal["error", "warning"]
    path: str
    message: str
    sop: str


class Violation(_ViolationRequired, total=False):
    """One finding: the rule, where in the record (a JSON Pointer, "" for the whole case),
    what is wrong, which procedure says so, and an optional hint."""

    hint: str


class ValidationReport(TypedDict):
    """The answer of ``validate``: ``valid`` is False when a violation has severity error.
    Violations are sorted by rule, then path."""

    id: str
    valid: bool
    policy_version: str
    violations: List[Violation]


class _StepRequired(TypedDict):
    action: str
    due_by: Optional[str]
    rule: str
    why: str


class Step(_StepRequired, total=False):
    """One thing the agent should do: an action name (CONTRACT §5), its deadline (RFC 3339
    text, or None), the rule it serves, why, and for some actions the party or the options."""

    party: str
    options: List[str]


class NextStepsReport(TypedDict):
    """The answer of ``next_steps``: the case state and the steps, most urgent first;
    ``violations`` holds only the record problems (REC) that stop planning."""

    id: str
    state: Literal["not_opened", "open", "waiting", "ready_to_close", "closed"]
    policy_version: str
    steps: List[Step]
    violations: List[Violation]


class CanCloseReport(TypedDict):
    """The answer of ``can_close``: ``allowed`` is False when a violation has severity error."""

    id: str
    allowed: bool
    policy_version: str
    violations: List[Violation]


class RuleInfo(TypedDict):
    """A rule of the catalogue (``rules()``)."""

    id: str
    severity: Literal["error", "warning"]
    scope: str
    title: str
    sop: str
    source: str
    explanation: str


__all__ = [
    "CanCloseReport",
    "Engine",
    "NextStepsReport",
    "PolicyError",
    "ReportIterator",
    "RuleInfo",
    "Step",
    "ValidationReport",
    "Violation",
    "__version__",
    "can_close",
    "next_steps",
    "policy",
    "rules",
    "validate",
    "validate_file",
    "validate_many",
]
