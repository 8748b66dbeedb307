//! Customer Refuses to Reschedule (seed 001): what must have happened before a Field
//! Management Support escalation is opened, and how its form is filled in.

use crate::catalogue::RuleInfo;
use crate::report::Violation;
use crate::rule;

use super::Ctx;

const SOP: &str = "Customer Refuses to Reschedule";

rule!(RS001, Warning, FieldManagementSupport,
    title: "opened without a trigger: the job was not scheduled for the local day of opening or the next day, and this is not the 2nd missed appointment",
    sop: "Customer Refuses to Reschedule, when to escalate",
    source: "If a job is scheduled for today or tomorrow (same day or next day) and when asked to reschedule, the customer refuses to accept a reschedule date. If this is the 2nd missed appointment.",
    explanation: "TODO");
rule!(RS002, Error, FieldManagementSupport,
    title: "no refused reschedule offer at or before opening (dates must be offered first)",
    sop: "Customer Refuses to Reschedule, steps 2-3",
    source: "Speak with the customer attempt to reschedule for any of the available dates... If the customer cannot/will not accept any of the available dates, advise the customer that we will look for alternate coverage.",
    explanation: "TODO");
rule!(RS003, Error, FieldManagementSupport,
    title: "no call-back time set at or before opening",
    sop: "Customer Refuses to Reschedule, step 3a",
    source: "Agents are required to set a call back time with the customer.",
    explanation: "TODO");
rule!(RS004, Error, FieldManagementSupport,
    title: "job status not changed to Prescheduled – Rejected at or before opening",
    sop: "Customer Refuses to Reschedule, step 4",
    source: "Change the job status to \"Prescheduled – Rejected.\"",
    explanation: "TODO");
rule!(RS005, Error, FieldManagementSupport,
    title: "escalation form field wrong",
    sop: "Customer Refuses to Reschedule, step 5",
    source: "Escalation for: \"Installs Inc.\"; Installer's A#: Enter servicer's A number; Escalator's First Name / Last Name / Phone Number: the customer's; Escalator Title: \"Customer\"; Ownership: \"Install Support\"; Escalation Type: \"Field Management Support\".",
    explanation: "TODO");
rule!(RS006, Error, FieldManagementSupport,
    title: "notes lack the customer's preferred date or the reason for the reschedule",
    sop: "Customer Refuses to Reschedule, step 5 (Notes)",
    source: "Notes: Describe the customer's preferred schedule date, why the order needs to be rescheduled, and any compensation requests.",
    explanation: "TODO");
rule!(RS007, Warning, FieldManagementSupport,
    title: "no reschedule reason determined before the dates were offered",
    sop: "Customer Refuses to Reschedule, step 1",
    source: "If you have not already done so, determine why the order is being reschedule and when is the next soonest, date the order can be performed.",
    explanation: "TODO");

pub static RULES: &[&RuleInfo] = &[&RS001, &RS002, &RS003, &RS004, &RS005, &RS006, &RS007];

pub fn check(_ctx: &Ctx, _out: &mut Vec<Violation>) {
    let _ = SOP;
}
