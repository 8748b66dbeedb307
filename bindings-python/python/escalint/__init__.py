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

__all__ = [
    "Engine",
    "PolicyError",
    "ReportIterator",
    "__version__",
    "can_close",
    "next_steps",
    "policy",
    "rules",
    "validate",
    "validate_file",
    "validate_many",
]
