"""Type stubs of escalint (the Python surface: docs/python.md)."""

import os
from datetime import datetime
from typing import Any, Dict, Iterable, Iterator, List, Literal, Optional, Sequence, TypedDict, Union

__version__: str

#: A case: a dict, or JSON text (str, bytes or bytearray).
Record = Union[Dict[str, Any], str, bytes, bytearray]
#: ``now``: an aware datetime or RFC 3339 text with an offset; None: the closing time of a
#: closed case, else the current time.
Now = Union[datetime, str, None]
#: A proposed closing (docs/format.md, Closing): a dict or JSON text.
Proposal = Union[Dict[str, Any], str, bytes]
#: A policy: a dict, a list of policy dicts (several versions), JSON text, or a path.
PolicySource = Union[Dict[str, Any], List[Dict[str, Any]], str, bytes, "os.PathLike[str]"]

# ---- the shapes of the answers (docs/format.md, The reports), for type checkers and editors ---


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
    """One thing the agent should do: an action name (docs/format.md, next_steps), its
    deadline (RFC 3339 text, or None), the rule it serves, why, and for some actions the party
    or the options.
    ``overdue`` is present (True) when the deadline is at or before ``now``."""

    overdue: bool
    party: str
    options: List[str]


class NextStepsReport(TypedDict):
    """The answer of ``next_steps``: the case state and the steps, most urgent first;
    ``violations`` holds only the record problems (REC) that stop planning."""

    id: str
    state: Optional[Literal["not_opened", "open", "waiting", "ready_to_close", "closed"]]
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


class PolicyError(ValueError):
    """A policy was refused when the engine was built (malformed JSON, a missing or wrong
    field, duplicate labels, two versions with one effective date). The message names it."""

class ReportIterator(Iterator[ValidationReport]):
    """The reports of ``validate_file``, one per case, in file order."""

    def __iter__(self) -> "ReportIterator": ...
    def __next__(self) -> ValidationReport: ...

class Engine:
    """An escalint rules engine: the embedded policy (``Engine()``) or yours
    (``Engine(policy=...)``: a dict, a list of versions, JSON text or a path; a malformed
    policy raises ``PolicyError``). Immutable: share one engine between threads."""

    def __init__(
        self,
        policy: Optional[PolicySource] = None,
        select: Optional[Sequence[str]] = None,
        ignore: Optional[Sequence[str]] = None,
    ) -> None:
        """``select`` / ``ignore``: rule ids or prefixes (``["CL"]``, ``["TM00", "CL007"]``);
        only the selected rules' findings are reported, the most specific entry deciding (the
        record rules REC run unless ignored). An unknown entry raises ValueError."""
    @property
    def policy_versions(self) -> List[str]:
        """The policy versions this engine holds, oldest first."""
    @property
    def rules_not_run(self) -> List[str]:
        """The rules this engine does not run: families (``"TM"``) when none of them runs,
        else ids; empty when every rule runs."""
    def validate(self, record: Record, now: Now = None) -> ValidationReport:
        """Check a case against the procedures. A record that is not a case (bad JSON,
        missing fields, wrong types) is a report with REC violations, not an exception.
        Raises TypeError for an argument of the wrong type, ValueError for a naive or
        malformed ``now``."""
    def next_steps(self, record: Record, now: Now = None) -> NextStepsReport:
        """What the agent must do next, and by when."""
    def can_close(self, record: Record, proposal: Optional[Proposal] = None, now: Now = None) -> CanCloseReport:
        """May the case be closed with ``proposal`` (or, when None, the record's own
        ``closing``)? ``now`` defaults to the closing's time, else the current time."""
    def validate_many(self, records: Iterable[Record], now: Now = None) -> List[ValidationReport]:
        """Validate many records on every core (the GIL is released); reports in input
        order. Ctrl-C is honoured between batches. Python's cyclic garbage collector is
        paused during the call (and restored after it)."""
    def validate_file(self, path: Union[str, "os.PathLike[str]"], now: Now = None) -> ReportIterator:
        """Validate every case of a JSON Lines or JSON array file, lazily and in constant
        memory; a line that is not a case is reported as REC001 with its line number.
        Raises OSError at once if the file cannot be opened."""

def validate(record: Record, now: Now = None) -> ValidationReport:
    """``Engine.validate`` with the embedded policy."""
def next_steps(record: Record, now: Now = None) -> NextStepsReport:
    """``Engine.next_steps`` with the embedded policy."""
def can_close(record: Record, proposal: Optional[Proposal] = None, now: Now = None) -> CanCloseReport:
    """``Engine.can_close`` with the embedded policy."""
def validate_many(records: Iterable[Record], now: Now = None) -> List[ValidationReport]:
    """``Engine.validate_many`` with the embedded policy."""
def validate_file(path: Union[str, "os.PathLike[str]"], now: Now = None) -> ReportIterator:
    """``Engine.validate_file`` with the embedded policy."""
def rules() -> List[RuleInfo]:
    """The rule catalogue, sorted by id."""
def policy() -> Dict[str, Any]:
    """The embedded policy document (a fresh copy)."""
def summarize(
    reports_or_path: Union[str, "os.PathLike[str]", Iterable[Any]],
    by: Sequence[str] = ("procedure", "rule"),
    *,
    now: Now = None,
    top: int = 20,
    engine: Optional[Engine] = None,
) -> Dict[str, Any]:
    """Breakdowns (as ``escalint validate --by``) of a file or of cases/reports: ``{"totals":
    {...}, dimension: DataFrame (or list of dicts without pandas)}``, bounded in memory."""

class MappingWarning(UserWarning):
    """A cell ``read_table`` could not map (named by file, line and column), or events whose
    case is not in the table; the case is yielded without that field."""

class TableIterator:
    def __iter__(self) -> "TableIterator": ...
    def __next__(self) -> Dict[str, Any]: ...

def read_table(
    source: Union[str, "os.PathLike[str]", Any],
    mapping: Union[str, "os.PathLike[str]", Dict[str, Any]],
    events: Union[None, str, "os.PathLike[str]", Any] = None,
) -> TableIterator:
    """The cases of a table export, one dict per row, read lazily through a declared mapping
    (docs/exports.md). ``source`` and ``events``: a CSV path or a pandas DataFrame;
    ``mapping``: the path of its TOML file or a dict of the same tables. A bad mapping or a
    mapped column missing from a header raises ValueError; a cell that cannot be mapped is a
    ``MappingWarning``."""
