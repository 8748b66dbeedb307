//! The answers (docs/format.md, The reports): the same shapes from Rust, C, Python and the command line.

use serde::Serialize;

use crate::catalogue::RuleInfo;
use crate::time::{format_timestamp, Timestamp};

/// How bad a violation is. `valid` is false as soon as one `error` is present.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The case does not follow the procedures.
    Error,
    /// Worth a look; the case is still valid.
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One finding: which rule, where in the record, what is wrong, which procedure says so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// The rule's id, e.g. `CL003`.
    pub rule: &'static str,
    /// The rule's severity.
    pub severity: Severity,
    /// A JSON Pointer into the record (`/events/3/outcome`), or `""` for the whole case.
    pub path: String,
    /// What is wrong, in the case's own terms.
    pub message: String,
    /// Where in the procedures the rule comes from.
    pub sop: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// The closest valid value, or what to do, when there is one.
    pub hint: Option<String>,
}

impl Violation {
    /// A finding of `rule` at `path` (a JSON Pointer), with the rule's severity and citation.
    pub fn new(rule: &'static RuleInfo, path: impl Into<String>, message: impl Into<String>) -> Self {
        Violation {
            rule: rule.id,
            severity: rule.severity,
            path: path.into(),
            message: message.into(),
            sop: rule.sop,
            hint: None,
        }
    }

    /// The finding with a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// Sort violations by rule, then path (docs/format.md, The reports), then message so equal inputs give equal
/// bytes; exact duplicates are dropped.
pub fn sort_violations(violations: &mut Vec<Violation>) {
    violations
        .sort_by(|a, b| a.rule.cmp(b.rule).then_with(|| a.path.cmp(&b.path)).then_with(|| a.message.cmp(&b.message)));
    violations.dedup();
}

/// `true` when no violation is an error.
pub fn no_errors(violations: &[Violation]) -> bool {
    violations.iter().all(|v| v.severity != Severity::Error)
}

/// The answer of `validate`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValidationReport {
    /// The case's id.
    pub id: String,
    /// `true` when no finding is an error.
    pub valid: bool,
    /// The policy version the case was judged by.
    pub policy_version: String,
    /// The findings, sorted by rule, path and message.
    pub violations: Vec<Violation>,
}

/// Where a case stands, for `next_steps`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseState {
    /// FMS only: the reschedule conversation is under way; the escalation is not open yet.
    NotOpened,
    /// Something is due now (or overdue).
    Open,
    /// Nothing is due until a time passes or someone replies.
    Waiting,
    /// Every precondition of closing holds; `close_escalation` is offered.
    ReadyToClose,
    /// The record carries a closing.
    Closed,
}

impl CaseState {
    /// The state's code, as serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseState::NotOpened => "not_opened",
            CaseState::Open => "open",
            CaseState::Waiting => "waiting",
            CaseState::ReadyToClose => "ready_to_close",
            CaseState::Closed => "closed",
        }
    }
}

macro_rules! actions {
    ($($(#[$doc:meta])* $variant:ident = $name:literal,)*) => {
        /// What a step asks the agent to do: the action names of the contract.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Action {
            $($(#[$doc])* $variant,)*
        }

        impl Action {
            /// Every action, in the contract's order.
            pub const ALL: &'static [Action] = &[$(Action::$variant,)*];

            /// The action's name, as reports write it (`call_customer_back`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Action::$variant => $name,)*
                }
            }
        }
    };
}

actions! {
    // The reschedule conversation of a Field Management Support case (not opened yet).
    /// Find out why the order is rescheduled.
    DetermineRescheduleReason = "determine_reschedule_reason",
    /// Offer the customer the available dates.
    OfferRescheduleDates = "offer_reschedule_dates",
    /// Agree a call-back time with the customer.
    SetCallbackTime = "set_callback_time",
    /// Set the job status to Prescheduled – Rejected.
    SetStatusPrescheduledRejected = "set_status_prescheduled_rejected",
    /// Open the FMS escalation.
    OpenFmsEscalation = "open_fms_escalation",
    // A working Field Management Support case.
    /// Look the Market Manager up.
    LookupMarketManager = "lookup_market_manager",
    /// Call the assigned servicer.
    CallAssignedServicer = "call_assigned_servicer",
    /// Email the Market Manager.
    EmailMarketManager = "email_market_manager",
    /// Call the Market Manager (where FMS011 allows it).
    CallMarketManager = "call_market_manager",
    /// Call a StoreFile provider (`party` names which).
    CallProvider = "call_provider",
    /// Reach out to the Market Manager.
    ContactMarketManager = "contact_market_manager",
    /// Call the customer with a progress update.
    CallCustomerUpdate = "call_customer_update",
    /// Call the customer back.
    CallCustomerBack = "call_customer_back",
    /// Offer the customer an alternate date.
    OfferAlternateDate = "offer_alternate_date",
    /// Reschedule the job and book it.
    RescheduleAndBook = "reschedule_and_book",
    /// Wait until the job is completed.
    WaitForJobCompletion = "wait_for_job_completion",
    // Installs timeliness.
    /// Act on a new escalation the day it opens.
    FirstTouch = "first_touch",
    /// Update the escalation.
    UpdateEscalation = "update_escalation",
    // Closing.
    /// Close the escalation (`options`: the allowed bases).
    CloseEscalation = "close_escalation",
    // The Area Manager Escalation Process.
    /// Call the service pro.
    CallServicePro = "call_service_pro",
    /// Leave a message and a note on the service job.
    LeaveMessageAndNote = "leave_message_and_note",
    /// Wait for the customer's call-back.
    WaitForCustomerCallback = "wait_for_customer_callback",
    /// Call the service pro again.
    CallServiceProAgain = "call_service_pro_again",
    /// Leave a second voice message.
    LeaveSecondVoicemail = "leave_second_voicemail",
    /// Send a Public with Email note.
    SendPublicWithEmailNote = "send_public_with_email_note",
    /// Open the exception to the Area Manager.
    OpenAreaManagerException = "open_area_manager_exception",
    /// The admin team's review email to the Area Manager.
    AdminReviewEmailAreaManager = "admin_review_email_area_manager",
    // An escalation to leadership.
    /// Offer the customer a follow-up.
    OfferFollowUp = "offer_follow_up",
    /// Convert the interaction to an EBH ticket.
    ConvertToEbhTicket = "convert_to_ebh_ticket",
    /// Contact the customer with an update.
    UpdateCustomer = "update_customer",
    /// Warm transfer to a Resolution Specialist.
    WarmTransferResolutionSpecialist = "warm_transfer_resolution_specialist",
    /// Warm transfer to a Team Supervisor.
    WarmTransferTeamSupervisor = "warm_transfer_team_supervisor",
    /// Complete the transfer to voicemail.
    TransferToVoicemail = "transfer_to_voicemail",
    // Every procedure.
    /// Flag the sensitive issues for review.
    FlagForReview = "flag_for_review",
}

impl Action {
    /// A step that waits on someone else (`wait_for_*`) rather than asking the agent to act.
    pub fn is_wait(self) -> bool {
        matches!(self, Action::WaitForJobCompletion | Action::WaitForCustomerCallback)
    }
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Action {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Serialize for Action {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One thing the agent should do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// What to do.
    pub action: Action,
    /// The deadline, in the case's local offset; `None` when no procedure sets one.
    #[serde(serialize_with = "serialize_due_by")]
    pub due_by: Option<Timestamp>,
    /// The deadline is at or before `now`: the step is late (`"overdue": true`, left out
    /// otherwise), so an agent's screen can highlight it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub overdue: bool,
    /// The rule this step serves (doing it keeps that rule from firing).
    #[serde(serialize_with = "serialize_rule_id")]
    pub rule: &'static RuleInfo,
    /// Why, in the procedure's words.
    pub why: String,
    /// Whom to contact, when the step is about a party.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub party: Option<String>,
    /// The choices the step offers (closing bases, dates, qualifiers, exception codes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<String>>,
}

impl Step {
    /// A step: what to do, the rule it serves, its deadline (in the case's local offset:
    /// see `Ctx::local`), why, and the party it concerns. The one way steps are made.
    pub(crate) fn new(
        action: Action,
        rule: &'static RuleInfo,
        due_by: Option<Timestamp>,
        why: String,
        party: Option<&str>,
    ) -> Self {
        Step { action, due_by, overdue: false, rule, why, party: party.map(str::to_string), options: None }
    }

    /// The step with the choices it offers.
    pub(crate) fn with_options(mut self, options: Option<Vec<String>>) -> Self {
        self.options = options;
        self
    }

    /// The deadline as reports write it: RFC 3339 in the case's local offset.
    pub fn due_by_text(&self) -> Option<String> {
        self.due_by.as_ref().map(format_timestamp)
    }
}

fn serialize_due_by<S: serde::Serializer>(due_by: &Option<Timestamp>, serializer: S) -> Result<S::Ok, S::Error> {
    match due_by {
        Some(t) => serializer.serialize_str(&format_timestamp(t)),
        None => serializer.serialize_none(),
    }
}

fn serialize_rule_id<S: serde::Serializer>(rule: &&'static RuleInfo, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(rule.id)
}

/// The answer of `next_steps`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NextStepsReport {
    /// The case's id.
    pub id: String,
    /// Where the case stands; `None` (`null`) when it could not be read: no plan is
    /// presented for a case the engine could not read.
    pub state: Option<CaseState>,
    /// The policy version the plan follows.
    pub policy_version: String,
    /// What to do, in order.
    pub steps: Vec<Step>,
    /// Only record problems (REC*) that stop planning.
    pub violations: Vec<Violation>,
}

/// The answer of `can_close`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CanCloseReport {
    /// The case's id.
    pub id: String,
    /// `true` when nothing stops the closing.
    pub allowed: bool,
    /// The policy version the closing was judged by.
    pub policy_version: String,
    /// What stops the closing (errors) or deserves a look (warnings).
    pub violations: Vec<Violation>,
}

/// The three answers, as the engine builds them for a case it could not read.
pub(crate) trait Answer {
    /// The answer for an unreadable case: `violations` (sorted) are why.
    fn unreadable(id: String, policy_version: String, violations: Vec<Violation>) -> Self;
}

impl Answer for ValidationReport {
    fn unreadable(id: String, policy_version: String, violations: Vec<Violation>) -> Self {
        ValidationReport { id, valid: false, policy_version, violations }
    }
}

impl Answer for NextStepsReport {
    fn unreadable(id: String, policy_version: String, violations: Vec<Violation>) -> Self {
        NextStepsReport { id, state: None, policy_version, steps: Vec::new(), violations }
    }
}

impl Answer for CanCloseReport {
    fn unreadable(id: String, policy_version: String, violations: Vec<Violation>) -> Self {
        CanCloseReport { id, allowed: false, policy_version, violations }
    }
}

macro_rules! to_json {
    ($($t:ty),*) => {$(
        impl $t {
            /// The report as compact JSON text (deterministic: fields in contract order).
            pub fn to_json(&self) -> String {
                serde_json::to_string(self).expect("reports serialize")
            }
        }
    )*};
}
to_json!(ValidationReport, NextStepsReport, CanCloseReport);
