"""The peer of the whole-run benchmark: what an analyst would otherwise write.

pydantic v2 models of the escalation record plus plain-Python checks of a rule subset:
the closing taxonomy (CL001, CL003-CL006), the FMS form fields (RS005) and timeliness
(TM001 same local day, TM002 24 h gaps). Taxonomies come from the same policy file the engine
embeds. Reads JSON Lines, one case per line, single process; prints counts.

    python benches/peer/pydantic_peer.py history.jsonl
"""
from __future__ import annotations

import json
import re
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal, Optional
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, ValidationError

POLICY = json.loads((Path(__file__).resolve().parents[2] / "core/policy/default.json").read_text())


def key(text: str) -> str:
    text = re.sub(r"['\u2019\u2018`]", "", text)
    return "_".join(re.findall(r"[^\W_]+", text.lower()))


def keys(entry: dict) -> set[str]:
    out = {key(entry.get("label", ""))} if entry.get("label") else set()
    if entry.get("code"):
        out.add(key(entry["code"]))
    out.update(key(a) for a in entry.get("aliases", []))
    return out


CLOSER_ROLES = set().union(*(keys(e) for e in POLICY["closer_roles"]))
PARTIES = {}
for p in POLICY["responsibility"]:
    reasons = {}
    for r in p["reasons"]:
        for k in keys(r):
            reasons[k] = r.get("damage_claims_only", False)
    for k in keys(p):
        PARTIES[k] = reasons
AGENT_ACTIONS = {"call", "email", "note", "update", "reschedule_offered", "callback_set", "status_changed",
                 "work_started", "rescheduled", "exception_opened", "ticket_converted", "transfer_attempt",
                 "voicemail_transfer", "flagged_for_review"}


class Loose(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Customer(Loose):
    first_name: Optional[str] = None
    last_name: Optional[str] = None
    phone: Optional[str] = None
    zip: Optional[str] = None


class Servicer(Loose):
    a_number: Optional[str] = None
    name: Optional[str] = None


class Order(Loose):
    id: Optional[str] = None
    status: Optional[str] = None
    scheduled_for: Optional[str] = None
    servicer: Optional[Servicer] = None
    selling_store: Optional[str] = None
    missed_appointments: int = 0
    completed_at: Optional[datetime] = None


class Form(Loose):
    escalation_for: Optional[str] = None
    installer_a_number: Optional[str] = None
    escalator_first_name: Optional[str] = None
    escalator_last_name: Optional[str] = None
    escalator_phone: Optional[str] = None
    escalator_title: Optional[str] = None
    ownership: Optional[str] = None
    type: Optional[str] = None
    preferred_date: Optional[str] = None
    reschedule_reason: Optional[str] = None
    damage_claim: bool = False
    notes: Optional[str] = None


class Event(Loose):
    at: datetime
    type: str
    by: Optional[str] = None
    documented: bool = True
    party: Optional[str] = None
    outcome: Optional[str] = None
    direction: Optional[str] = None


class ClosedBy(Loose):
    agent_id: Optional[str] = None
    role: Optional[str] = None


class Closing(Loose):
    closed_at: Optional[datetime] = None
    closed_by: Optional[ClosedBy] = None
    basis: Optional[str] = None
    resolved_by: Optional[str] = None
    final_responsibility: Optional[str] = None
    reason: Optional[str] = None
    notes: Optional[str] = None


class Case(Loose):
    schema_version: int = 1
    id: str
    procedure: Literal["field_management_support", "installs_escalation", "area_manager_exception", "leadership_request"]
    opened_at: Optional[datetime] = None
    timezone: Optional[str] = None
    priority: str = "normal"
    customer: Optional[Customer] = None
    order: Optional[Order] = None
    escalation: Optional[Form] = None
    events: list[Event] = []
    closing: Optional[Closing] = None
    extra: Optional[dict[str, Any]] = None


def check_closing(case: Case, out: list) -> None:
    c = case.closing
    if c is None:
        return
    if c.closed_by is None or c.closed_by.role is None or key(c.closed_by.role) not in CLOSER_ROLES:
        out.append(("CL001", "/closing/closed_by/role"))
    if c.resolved_by is None or key(c.resolved_by) != "installs_inc":
        out.append(("CL003", "/closing/resolved_by"))
    reasons = PARTIES.get(key(c.final_responsibility or ""))
    if reasons is None:
        out.append(("CL004", "/closing/final_responsibility"))
    elif c.reason is None or key(c.reason) not in reasons:
        out.append(("CL005", "/closing/reason"))
    elif reasons[key(c.reason)] and not (case.escalation and case.escalation.damage_claim):
        out.append(("CL006", "/closing/reason"))


def digits(s: Optional[str]) -> str:
    return "".join(ch for ch in (s or "") if ch.isdigit())


def check_form(case: Case, out: list) -> None:
    f, cu, o = case.escalation, case.customer, case.order
    if f is None:
        return
    cu = cu or Customer()
    a_number = o.servicer.a_number if o and o.servicer else None
    expected = [
        ("escalation_for", key(f.escalation_for or "") == "installs_inc"),
        ("installer_a_number", f.installer_a_number == a_number),
        ("escalator_first_name", (f.escalator_first_name or "").lower() == (cu.first_name or "").lower()),
        ("escalator_last_name", (f.escalator_last_name or "").lower() == (cu.last_name or "").lower()),
        ("escalator_phone", digits(f.escalator_phone) == digits(cu.phone)),
        ("escalator_title", key(f.escalator_title or "") == "customer"),
        ("ownership", key(f.ownership or "") == "install_support"),
        ("type", key(f.type or "") == "field_management_support"),
    ]
    out.extend(("RS005", f"/escalation/{name}") for name, ok in expected if not ok)


def check_timeliness(case: Case, now: datetime, out: list) -> None:
    if case.opened_at is None:
        return
    zone = ZoneInfo(case.timezone) if case.timezone else case.opened_at.tzinfo
    opened_day = case.opened_at.astimezone(zone).date()
    actions = sorted(e.at for e in case.events if e.type in AGENT_ACTIONS and e.at >= case.opened_at)
    if not any(a.astimezone(zone).date() == opened_day for a in actions):
        out.append(("TM001", ""))
    end = case.closing.closed_at if case.closing and case.closing.closed_at else now
    last = case.opened_at
    for a in actions + [end]:
        if a - last > timedelta(hours=24):
            out.append(("TM002", ""))
        last = max(last, a)


def main() -> int:
    now = datetime.fromisoformat("2026-11-25T12:00:00-05:00")
    cases = valid = unreadable = 0
    per_rule: dict[str, int] = {}
    with open(sys.argv[1], "rb") as f:
        for line in f:
            cases += 1
            try:
                case = Case.model_validate_json(line)
            except ValidationError:
                unreadable += 1
                continue
            out: list = []
            if case.procedure in ("field_management_support", "installs_escalation"):
                check_closing(case, out)
                check_timeliness(case, now, out)
            if case.procedure == "field_management_support":
                check_form(case, out)
            for rule, _ in out:
                per_rule[rule] = per_rule.get(rule, 0) + 1
            valid += not out
    print(f"{cases} lines, {valid} without findings, {unreadable} unreadable; {dict(sorted(per_rule.items()))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
