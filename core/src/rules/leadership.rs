//! Escalation to leadership for irate customers (seed 004), and the sensitive-issue
//! qualifiers that warrant additional review in any procedure.

use crate::catalogue::RuleInfo;
use crate::record::Closing;
use crate::report::Violation;
use crate::rule;

use super::Ctx;

rule!(LD001, Error, LeadershipRequest,
    title: "the customer was not offered a review with an update within 1 day",
    sop: "Escalation to leadership, Step 2",
    source: "Ask the customer if they would allow us the opportunity to review the concern further and contact them with an update within 1 day.",
    explanation: "TODO");
rule!(LD002, Error, LeadershipRequest,
    title: "follow-up accepted on a phone or chat interaction that was not converted from CXOne to an EBH ticket",
    sop: "Escalation to leadership, Step 2 (customer agrees to wait)",
    source: "Reminder: For phone calls/chats, first convert the CXOne interaction to an EBH Ticket",
    explanation: "TODO");
rule!(LD003, Error, LeadershipRequest,
    title: "follow-up accepted but no update to the customer within 1 day",
    sop: "Escalation to leadership, Step 2",
    source: "...contact them with an update within 1 day",
    explanation: "TODO");
rule!(LD004, Error, LeadershipRequest,
    title: "follow-up refused but no warm transfer to a Resolution Specialist was attempted",
    sop: "Escalation to leadership, Step 2 (customer refuses to wait)",
    source: "Attempt to warm transfer the customer to a Resolution Specialist",
    explanation: "TODO");
rule!(LD005, Error, LeadershipRequest,
    title: "Resolution Specialist not available within 30 seconds, and no transfer to a Team Supervisor was attempted",
    sop: "Escalation to leadership, Steps 2-3",
    source: "Is a Resolution Specialist available within 30 seconds? If no: Go to Step 3. Attempt to warm transfer the customer to a Team Supervisor.",
    explanation: "TODO");
rule!(LD006, Error, LeadershipRequest,
    title: "Team Supervisor not available within 30 seconds, and the customer was not transferred to voicemail",
    sop: "Escalation to leadership, Step 3",
    source: "Is a Team Supervisor available within 30 seconds? If no, complete the transfer for customer to leave a voicemail. Stop.",
    explanation: "TODO");
rule!(LD007, Warning, LeadershipRequest,
    title: "a transfer attempt waited longer than 30 seconds",
    sop: "Escalation to leadership, Steps 2-3",
    source: "Is a Resolution Specialist available within 30 seconds? ... Is a Team Supervisor available within 30 seconds?",
    explanation: "TODO");
rule!(LD008, Error, LeadershipRequest,
    title: "Team Supervisor tried before a Resolution Specialist",
    sop: "Escalation to leadership, Steps 2-3",
    source: "Attempt to warm transfer the customer to a Resolution Specialist ... If no: Go to Step 3 (Team Supervisor).",
    explanation: "TODO");
rule!(LD009, Error, All,
    title: "sensitive qualifiers present but the case was never flagged for review",
    sop: "Escalation to leadership, Sensitive Issues that Warrant Additional Review",
    source: "Retained or contacted a lawyer/legal counsel; Fraudulent claims; Illegal actions; Agreement violations; Falsified records; Mischaracterization; Nonregistered company; Slander; Better Business Bureau complaint; Social media complaint; Unlicensed contractor; Foreclosure notice; Lien requests from creditors against installers or homeowners; Customer privacy concerns",
    explanation: "TODO");

pub static RULES: &[&RuleInfo] = &[&LD001, &LD002, &LD003, &LD004, &LD005, &LD006, &LD007, &LD008, &LD009];

pub fn check(ctx: &Ctx, out: &mut Vec<Violation>) {
    if let Some(closing) = &ctx.record.closing {
        check_closing(ctx, closing, out);
    }
}

/// LD009, for every procedure.
pub fn check_sensitive(_ctx: &Ctx, _out: &mut Vec<Violation>) {}

/// Closing preconditions of a leadership request (the process must have run its course).
pub fn check_closing(_ctx: &Ctx, _closing: &Closing, _out: &mut Vec<Violation>) {}
