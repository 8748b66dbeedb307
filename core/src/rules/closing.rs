//! Closing Escalations (seed 002): who may close, on what basis, and with which
//! responsibility and reason.

use crate::catalogue::RuleInfo;
use crate::codes::{Basis, CallOutcome, Direction, Party};
use crate::policy::ReasonRef;
use crate::record::short;
use crate::record::{Closing, EventKind};
use crate::report::Violation;
use crate::rule;

use super::Ctx;

rule!(CL001, Error, FmsAndInstalls,
    title: "the closer's role may not close escalations",
    sop: "Closing Escalations, who can close",
    source: "Installs / CRST Home Solutions: a. TRA and Field Management; b. Resolution Care Phone 2 (Client Services); c. Resolution Care Back Office team; d. Resolution Care Supervisors and Team Leads.",
    explanation: "The closer's role (closing.closed_by.role) must be one of the policy's closer roles: TRA and Field Management; Resolution Care Phone 2 (Client Services); Resolution Care Back Office; Resolution Care Supervisors and Team Leads. Roles are matched by code or label (case, dashes and spacing folded); any other role — a homeowner support agent, a Market Manager — may not close, and the hint names the closest allowed role. A missing role is REC002.");
rule!(CL002, Error, All,
    title: "no valid closing basis",
    sop: "Closing Escalations, when to close",
    source: "When the issue has been resolved by a member of CRST Home Solutions' team. We can also close escalations when there is not contact after the third attempt to contact the customer or when there is no longer an issue for our team to resolve.",
    explanation: "The procedure allows three grounds: resolved by our team, no contact after the third attempt, or no longer an issue. `no_contact` is checked against the history: at least `thresholds.no_contact_attempts` (3) failed outbound attempts to reach the customer since the customer was last reached, up to the closing time. An attempt is an outbound customer call that did not reach them (no answer, voicemail, busy, wrong number) or an email to the customer; a call that reached them, or any inbound call from them, starts the count again. `resolved` and `no_longer_an_issue` rest on the closer's judgement (for FMS, FMS032 separately requires the job to be complete). The basis is judged in every procedure: the Area Manager and leadership procedures name no closing basis of their own, and an experienced support lead reads \"no contact after the third attempt\" the same way whatever the procedure, so their closings need the same 3 failed attempts (the rest of Closing Escalations — who closes, Resolved By, responsibility and reason — is the Installs closing screen and applies to FMS and installs only).");
rule!(CL003, Error, FmsAndInstalls,
    title: "\"Resolved By\" is not INSTALLS Inc",
    sop: "Closing Escalations, step 3a",
    source: "Resolved By: Always select INSTALLS Inc for every escalation that you are closing out.",
    explanation: "Resolved By must be INSTALLS Inc on every escalation (the procedure says \"always\"); the policy's `resolved_by` lists the accepted spellings (\"Installs Inc.\", \"INSTALLS inc\", installs_inc). Empty counts as wrong.");
rule!(CL004, Error, FmsAndInstalls,
    title: "final responsibility is not one of client, customer, installation company, INSTALLS inc",
    sop: "Closing Escalations, step 3b",
    source: "Final Responsibility: ... Your choices for this field are: client, customer, installation company, or INSTALLS inc.",
    explanation: "Final Responsibility must be one of the policy's four parties: client, customer, installation company, INSTALLS inc (labels accepted, e.g. \"Installation Company\"). Empty or anything else is reported, with the closest party as the hint.");
rule!(CL005, Error, FmsAndInstalls,
    title: "the reason is not a reason of that party",
    sop: "Closing Escalations, step 3c",
    source: "Final Responsibility Reason: Choose the escalation reason that best matched the cause of the customer's issue. (Index 1: the reasons of each party.)",
    explanation: "The reason must be listed under the chosen party in Index 1. A reason listed under another party is reported with that party named (\"it is a customer reason\") and the hint `final_responsibility: <that party>`; \"Opened in error\" belongs to both client and INSTALLS inc, \"Product Issue\" to client and installation company. A reason that no party lists is reported with the closest reason as the hint — never guessed. \"Technician - Unprofessional - Did Not Follow Procedure\", shown on the procedure's closing-screen example, is accepted as an installation-company reason (documented in the policy).");
rule!(CL006, Error, FmsAndInstalls,
    title: "a \"Damage Claims Only\" reason on an escalation that is not a damage claim",
    sop: "Closing Escalations, Index 1 (Damage Claims Only reasons)",
    source: "Installs, INC. denied – Damage Claims Only; Installs Paid Direct – Damage Claims Only; … Case Dismissed – Damage Claims Only",
    explanation: "Reasons marked \"– Damage Claims Only\" (three customer reasons, five INSTALLS inc reasons) may only close an escalation whose form marks it as a damage claim (escalation.damage_claim: true). The flag lives in the policy (`damage_claims_only`).");
rule!(CL007, Warning, FmsAndInstalls,
    title: "no closing notes",
    sop: "Closing Escalations, closing screen (Add Closing Notes)",
    source: "Add Closing Notes: Enter your comment here...",
    explanation: "The closing screen asks for closing notes; a closing without notes (missing or blank) leaves the next reader without the story, so it is a warning rather than an error — the procedure's steps do not make the notes mandatory.");

pub static RULES: &[&RuleInfo] = &[&CL001, &CL002, &CL003, &CL004, &CL005, &CL006, &CL007];

/// The closing rules, for the record's closing or a proposal.
pub fn check_closing(ctx: &Ctx, closing: &Closing, out: &mut Vec<Violation>) {
    closer_may_close(ctx, closing, out);
    basis_is_supported(ctx, closing, out);
    resolved_by_installs(ctx, closing, out);
    let party = responsibility_is_known(ctx, closing, out);
    // Where the reason is listed (Index 1), for the two rules about the reason.
    let listed = closing.reason.as_deref().map_or(&[][..], |r| ctx.policy.reason_refs(r));
    reason_belongs_to_party(ctx, closing, party, listed, out);
    damage_reason_needs_damage_claim(ctx, closing, listed, out);
    closing_notes_written(closing, out);
}

/// CL001: only the four closer groups may close (Who can close escalation tickets?).
fn closer_may_close(ctx: &Ctx, closing: &Closing, out: &mut Vec<Violation>) {
    // A missing role is REC002 (reported by the reader); nothing to judge.
    let Some(role) = closing.closed_by.as_ref().and_then(|by| by.role.as_deref()) else { return };
    if ctx.policy.closer_roles.find(role).is_some() {
        return;
    }
    let allowed: Vec<&str> = ctx.policy.closer_roles.entries().iter().map(|e| e.label.as_str()).collect();
    let mut v = Violation::new(
        &CL001,
        "/closing/closed_by/role",
        format!("role \"{}\" may not close escalations; only {} may", short(role), allowed.join("; ")),
    );
    if let Some(closest) = ctx.policy.closer_roles.closest(role) {
        v = v.with_hint(format!("role: {}", closest.code));
    }
    out.push(v);
}

/// The customer-contact history that a `no_contact` closing rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ContactAttempts {
    /// Failed outbound attempts (calls not reaching the customer, emails) since the customer
    /// was last reached.
    pub failed_since_last_reach: u32,
    /// Whether the customer was ever reached.
    pub ever_reached: bool,
}

/// Count failed attempts to contact the customer since they were last reached, up to `until`.
pub fn contact_attempts(ctx: &Ctx, until: &crate::time::Timestamp) -> ContactAttempts {
    let mut attempts = ContactAttempts::default();
    for e in ctx.events().iter().filter(|e| e.at <= *until) {
        match &e.kind {
            EventKind::Call { party: Some(Party::Customer), outcome, direction } => {
                let reached = *direction == Direction::Inbound || *outcome == Some(CallOutcome::Reached);
                if reached {
                    attempts = ContactAttempts { failed_since_last_reach: 0, ever_reached: true };
                } else {
                    attempts.failed_since_last_reach += 1;
                }
            }
            EventKind::Email { party: Some(Party::Customer) } => attempts.failed_since_last_reach += 1,
            _ => {}
        }
    }
    attempts
}

/// CL002: "no contact after the third attempt" needs three failed attempts since the
/// customer was last reached; `resolved` and `no_longer_an_issue` rest on the agent's word
/// (FMS032 separately requires the FMS job to be complete).
pub fn basis_is_supported(ctx: &Ctx, closing: &Closing, out: &mut Vec<Violation>) {
    if closing.basis != Some(Basis::NoContact) {
        return;
    }
    let until = closing.closed_at.unwrap_or(ctx.now);
    let needed = ctx.policy.thresholds().no_contact_attempts;
    let attempts = contact_attempts(ctx, &until);
    if attempts.failed_since_last_reach < needed {
        let since = if attempts.ever_reached {
            "since the customer was last reached"
        } else {
            "and the customer was never reached"
        };
        out.push(
            Violation::new(
                &CL002,
                "/closing/basis",
                format!(
                    "basis no_contact needs {needed} failed contact attempts; there were only {} failed contact attempts {since} (up to {})",
                    attempts.failed_since_last_reach,
                    ctx.fmt(&until),
                ),
            )
            .with_hint(format!("make {} more attempt(s) to reach the customer, or close as resolved / no_longer_an_issue", needed - attempts.failed_since_last_reach)),
        );
    }
}

/// CL003: "Always select INSTALLS Inc".
fn resolved_by_installs(ctx: &Ctx, closing: &Closing, out: &mut Vec<Violation>) {
    let expected = ctx.policy.resolved_by.entries().first().map_or("", |e| e.label.as_str());
    match closing.resolved_by.as_deref() {
        Some(value) if ctx.policy.resolved_by.find(value).is_some() => {}
        Some(value) => out.push(
            Violation::new(
                &CL003,
                "/closing/resolved_by",
                format!("Resolved By is \"{}\"; every escalation is closed as resolved by {expected}", short(value)),
            )
            .with_hint(format!("resolved_by: {expected}")),
        ),
        None => out.push(
            Violation::new(
                &CL003,
                "/closing/resolved_by",
                format!("Resolved By is empty; every escalation is closed as resolved by {expected}"),
            )
            .with_hint(format!("resolved_by: {expected}")),
        ),
    }
}

/// CL004: the final responsibility is one of the policy's parties. Returns its position.
fn responsibility_is_known(ctx: &Ctx, closing: &Closing, out: &mut Vec<Violation>) -> Option<usize> {
    let parties = || ctx.policy.parties.iter().map(|p| p.code.as_str()).collect::<Vec<_>>().join(", ");
    match closing.final_responsibility.as_deref() {
        Some(value) => match ctx.policy.party_set.position(value) {
            Some(i) => Some(i),
            None => {
                let mut v = Violation::new(
                    &CL004,
                    "/closing/final_responsibility",
                    format!("final responsibility \"{}\" is not one of {}", short(value), parties()),
                );
                if let Some(c) = ctx.policy.party_set.closest(value) {
                    v = v.with_hint(format!("final_responsibility: {}", c.code));
                }
                out.push(v);
                None
            }
        },
        None => {
            out.push(Violation::new(
                &CL004,
                "/closing/final_responsibility",
                format!("final responsibility is empty; expected one of {}", parties()),
            ));
            None
        }
    }
}

/// CL005: the reason is listed under the chosen party (Index 1). A reason listed under
/// another party names that party; an unknown one gets the closest reason as a hint.
fn reason_belongs_to_party(
    ctx: &Ctx,
    closing: &Closing,
    party: Option<usize>,
    refs: &[ReasonRef],
    out: &mut Vec<Violation>,
) {
    const PATH: &str = "/closing/reason";
    let Some(reason) = closing.reason.as_deref().filter(|r| !r.trim().is_empty()) else {
        let mut v = Violation::new(&CL005, PATH, "final responsibility reason is empty");
        if let Some(p) = party {
            v = v.with_hint(format!(
                "one of the {} reasons, e.g. {}",
                ctx.policy.parties[p].code,
                ctx.policy.parties[p].reasons.entries()[0].code
            ));
        }
        out.push(v);
        return;
    };
    if refs.is_empty() {
        let mut v = Violation::new(
            &CL005,
            PATH,
            format!("reason \"{}\" is not a final responsibility reason of any party", short(reason)),
        );
        // Prefer the closest reason of the chosen party; else the closest overall.
        let hint = party
            .and_then(|p| ctx.policy.parties[p].reasons.closest(reason).map(|r| r.code.clone()))
            .or_else(|| ctx.policy.closest_reason(reason).map(|(_, r)| r.to_string()));
        if let Some(h) = hint {
            v = v.with_hint(format!("reason: {h}"));
        }
        out.push(v);
        return;
    }
    let Some(p) = party else { return };
    if refs.iter().any(|r| r.party == p) {
        return;
    }
    let owners: Vec<&str> = refs.iter().map(|r| ctx.policy.parties[r.party].code.as_str()).collect();
    out.push(
        Violation::new(
            &CL005,
            PATH,
            format!(
                "reason \"{}\" is not a reason of party {}; it is {} {} reason",
                short(reason),
                ctx.policy.parties[p].code,
                if owners[0].starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" },
                owners.join(" and ")
            ),
        )
        .with_hint(format!("final_responsibility: {}", owners[0])),
    );
}

/// CL006: the "– Damage Claims Only" reasons are for damage-claim escalations.
fn damage_reason_needs_damage_claim(ctx: &Ctx, closing: &Closing, refs: &[ReasonRef], out: &mut Vec<Violation>) {
    let Some(reason) = closing.reason.as_deref() else { return };
    let damage_claim = ctx.record.escalation.as_ref().is_some_and(|e| e.damage_claim);
    if damage_claim {
        return;
    }
    let damage_only = refs.iter().any(|r| ctx.policy.parties[r.party].damage_claims_only[r.reason]);
    if damage_only {
        out.push(
            Violation::new(
                &CL006,
                "/closing/reason",
                format!("reason \"{}\" is for damage claims only, but this escalation is not a damage claim", short(reason)),
            )
            .with_hint("choose a reason without \"Damage Claims Only\", or mark the escalation as a damage claim (escalation.damage_claim: true)"),
        );
    }
}

/// CL007: the closing screen asks for closing notes; a closing without them explains nothing.
fn closing_notes_written(closing: &Closing, out: &mut Vec<Violation>) {
    if closing.notes.as_deref().is_none_or(|n| n.trim().is_empty()) {
        out.push(Violation::new(&CL007, "/closing/notes", "the closing has no notes; say how the issue was resolved"));
    }
}
