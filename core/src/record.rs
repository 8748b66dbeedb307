//! The escalation case (docs/format.md) and its reading from JSON.
//!
//! Reading never stops at the first problem: every missing field, wrong type, bad date and
//! unknown code becomes a REC violation with its JSON Pointer, and the rest of the record is
//! still read so the procedure rules can judge what is there. A rule whose inputs are missing
//! skips itself; the missing input is its own REC002.

use std::borrow::Cow;
use std::sync::OnceLock;

use chrono::{NaiveDate, NaiveDateTime};
use chrono_tz::Tz;
use serde_json::Value;

use crate::json::{with_arena, Arena, Json, Object};

use crate::catalogue::{RuleInfo, Scope};
use crate::codes::*;
use crate::labels::key;
use crate::policy::Limits;
use crate::report::{Severity, Violation};
use crate::time::{parse_date, parse_timestamp, Timestamp, Zone};

/// The record rule for a text that is not a JSON object.
pub static REC001: RuleInfo = RuleInfo {
    id: "REC001",
    severity: Severity::Error,
    scope: Scope::All,
    title: "input is not a JSON object",
    sop: "docs/format.md, The record",
    source: "One JSON object per case.",
    explanation: "The text is not JSON (a syntax error, reported with its line and column), or its top level is not an object. Nothing else can be judged.",
};
/// The record rule for a missing required field.
pub static REC002: RuleInfo = RuleInfo {
    id: "REC002",
    severity: Severity::Error,
    scope: Scope::All,
    title: "a required field is missing",
    sop: "docs/format.md, Top-level fields",
    source: "id and procedure always; opened_at except for field_management_support; customer for FMS; order for FMS, installs and Area Manager cases; escalation for FMS and installs cases.",
    explanation: "A field the procedure needs is absent or null. Rules that depend on it are skipped rather than guessed.",
};
/// The record rule for a wrong type, an unparseable time or an unknown code.
pub static REC003: RuleInfo = RuleInfo {
    id: "REC003",
    severity: Severity::Error,
    scope: Scope::All,
    title: "a value has the wrong type, an unparseable timestamp/date, or an unknown code",
    sop: "docs/format.md, Values: timestamps, dates and codes",
    source: "Every enumerated value has a canonical snake_case code, and is also accepted as its human label... A value that matches nothing is reported (never guessed), with the closest known value as a hint.",
    explanation: "Timestamps must be RFC 3339 with an offset, dates YYYY-MM-DD, time zones IANA names. Codes are compared after folding case, dashes, slashes, spacing and a trailing period; an unknown one is reported with the closest known code as the hint.",
};
/// The record rule for contradicting timestamps.
pub static REC004: RuleInfo = RuleInfo {
    id: "REC004",
    severity: Severity::Error,
    scope: Scope::All,
    title: "timestamps contradict each other",
    sop: "docs/format.md, Record rules",
    source: "timestamps contradict each other (closed before opened, …)",
    explanation: "The case was closed before it was opened, or a call-back was agreed for a time earlier than the moment it was agreed. Events before opened_at are not contradictions: the reschedule steps of an FMS case and the first calls of other procedures precede the escalation.",
};
/// The record rule for an unsupported `schema_version`.
pub static REC005: RuleInfo = RuleInfo {
    id: "REC005",
    severity: Severity::Error,
    scope: Scope::All,
    title: "unsupported schema_version",
    sop: "docs/format.md, Top-level fields (schema_version)",
    source: "schema_version: int, default 1; any other value: REC005",
    explanation: "Only version 1 of the record format exists. A newer export must not be judged by rules written for another shape.",
};
/// The record rule for an input over the limits.
pub static REC006: RuleInfo = RuleInfo {
    id: "REC006",
    severity: Severity::Error,
    scope: Scope::All,
    title: "input over the limits (size, nesting depth, events per case, string length)",
    sop: "docs/format.md, Limits; policy `limits`",
    source: "input over the limits (size, nesting depth, events per case — documented, policy-tunable)",
    explanation: "Limits protect every caller from hostile or broken exports; they are checked before the work they protect. The defaults are in the policy's `limits` section.",
};

/// The record rules (REC), as the catalogue lists them.
pub static RULES: &[&RuleInfo] = &[&REC001, &REC002, &REC003, &REC004, &REC005, &REC006, &crate::keys::REC007];

/// A text field of a record. Most are short (names, phones, codes, roles) and held inline,
/// without an allocation of their own: a record has a dozen or more of them, and allocating
/// each was a third of the allocations made while reading a case.
pub type Text = compact_str::CompactString;

/// The customer, as the order knows them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Customer {
    /// The customer's first name.
    pub first_name: Option<Text>,
    /// Their last name.
    pub last_name: Option<Text>,
    /// Their phone number.
    pub phone: Option<Text>,
    /// Their ZIP code (the Market Manager look-up's key).
    pub zip: Option<Text>,
}

#[derive(Debug, Clone, Default, PartialEq)]
/// The servicer (installer or service pro) assigned to the job.
pub struct Servicer {
    /// The servicer's A-number.
    pub a_number: Option<Text>,
    /// The servicer's name.
    pub name: Option<Text>,
}

/// The job the escalation is about.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Order {
    /// The order's id.
    pub id: Option<Text>,
    /// The order status as written; checked against the policy's statuses (REC003).
    pub status: Option<Text>,
    /// The date the job was scheduled for.
    pub scheduled_for: Option<NaiveDate>,
    /// The servicer assigned to the job.
    pub servicer: Option<Servicer>,
    /// The store that sold the job.
    pub selling_store: Option<Text>,
    /// How many appointments were missed (0 when not given).
    pub missed_appointments: u32,
    /// When the job was completed, if it was.
    pub completed_at: Option<Timestamp>,
}

/// The escalation form as the agent filled it in.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EscalationForm {
    /// Who the escalation is for.
    pub escalation_for: Option<Text>,
    /// The installer's A-number.
    pub installer_a_number: Option<Text>,
    /// The escalator's first name.
    pub escalator_first_name: Option<Text>,
    /// The escalator's last name.
    pub escalator_last_name: Option<Text>,
    /// The escalator's phone number.
    pub escalator_phone: Option<Text>,
    /// The escalator's title.
    pub escalator_title: Option<Text>,
    /// Who owns the escalation.
    pub ownership: Option<Text>,
    /// The type of escalation.
    pub escalation_type: Option<Text>,
    /// The date the customer prefers.
    pub preferred_date: Option<NaiveDate>,
    /// Why the job must be rescheduled.
    pub reschedule_reason: Option<Text>,
    /// What compensation the customer asks for, if any.
    pub compensation_request: Option<Text>,
    /// Whether the escalation is a damage claim (CL006).
    pub damage_claim: bool,
    /// The form's notes.
    pub notes: Option<Text>,
}

/// The "Zip to Market Manager to Region" look-up.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum MarketManagerLookup {
    /// The record has no `market_manager`: the look-up was not done (FMS001).
    #[default]
    NotDone,
    /// Done; there is no Market Manager for the customer's area.
    NoManager,
    /// Done; this Market Manager covers the area.
    Manager {
        /// The manager's name.
        name: Text,
        /// Their email address, when the look-up gave one.
        email: Option<Text>,
        /// The region they cover.
        region: Option<Text>,
    },
}

#[derive(Debug, Clone, Default, PartialEq)]
/// The selling store's providers, by rank.
pub struct StoreProviders {
    /// The primary provider.
    pub primary: Option<Text>,
    /// The secondary provider.
    pub secondary: Option<Text>,
    /// The tertiary provider.
    pub tertiary: Option<Text>,
}

/// What happened, with the fields of its type.
#[derive(Debug, Clone, PartialEq)]
pub enum EventKind {
    /// `call`: a phone call; `voicemail`: a message was left.
    Call {
        /// Who was called, or who called.
        party: Option<Party>,
        /// How the call went.
        outcome: Option<CallOutcome>,
        /// Outbound or inbound.
        direction: Direction,
    },
    /// `email`: an email was sent.
    Email {
        /// To whom.
        party: Option<Party>,
    },
    /// `note`: a note on the job.
    Note {
        /// Who can see the note.
        visibility: Option<NoteVisibility>,
        /// What the note is on: the order or the service job.
        on: NoteTarget,
    },
    /// `update`: the escalation ticket was updated.
    Update,
    /// `reschedule_reason_determined`: the reason for the reschedule was found.
    RescheduleReasonDetermined {
        /// The reason.
        reason: Option<Text>,
        /// The next date the servicer is available.
        next_available_date: Option<NaiveDate>,
    },
    /// `reschedule_offered`: dates were offered to the customer.
    RescheduleOffered {
        /// The dates offered.
        dates: Vec<NaiveDate>,
        /// The date accepted; `None`: the offer was refused.
        accepted_date: Option<NaiveDate>,
        /// The party offering.
        source: Party,
    },
    /// `callback_set`: a call-back time was agreed with the customer.
    CallbackSet {
        /// The time agreed.
        callback_at: Option<Timestamp>,
    },
    /// `status_changed`: the job's status changed.
    StatusChanged {
        /// The new status, as written.
        to: Option<Text>,
    },
    /// `work_started`: an agent started working the escalation.
    WorkStarted,
    /// `coverage_found`: a provider or the Market Manager can cover the job.
    CoverageFound {
        /// Who can cover it.
        party: Option<Party>,
        /// On what date.
        date: Option<NaiveDate>,
    },
    /// `market_manager_response`: the Market Manager answered.
    MarketManagerResponse {
        /// Whether they found coverage.
        coverage_found: Option<bool>,
    },
    /// `rescheduled`: the job was rebooked.
    Rescheduled {
        /// The new date.
        date: Option<NaiveDate>,
        /// Who will do the job.
        party: Option<Party>,
    },
    /// `job_completed`: the job was done.
    JobCompleted,
    /// `code` is the exception legend code as written; AM006 judges it against the policy.
    ExceptionOpened {
        /// The exception legend code.
        code: Option<Text>,
        /// Whom the exception is directed to.
        directed_to: Option<Party>,
        /// `false`: a risk to the customer or service pro.
        risk: bool,
    },
    /// `admin_review`: the admin team reviewed the case.
    AdminReview {
        /// Whether they emailed the Area Manager.
        emailed_area_manager: bool,
    },
    /// `follow_up_offered`: the customer was offered a review with an update within a day.
    FollowUpOffered {
        /// Whether the customer accepted.
        accepted: Option<bool>,
    },
    /// `ticket_converted`: the interaction became a ticket.
    TicketConverted {
        /// The system it came from.
        from: Option<Text>,
        /// The system it became a ticket in.
        to: Option<Text>,
    },
    /// `transfer_attempt`: a warm transfer was tried.
    TransferAttempt {
        /// To whom.
        target: Option<TransferTarget>,
        /// How long the agent waited, in seconds.
        waited_seconds: Option<f64>,
        /// Whether the target was available.
        available: Option<bool>,
        /// Whether the target accepted the transfer.
        accepted: Option<bool>,
    },
    /// `voicemail_transfer`: the customer was transferred to leave a voicemail.
    VoicemailTransfer,
    /// `flagged_for_review`: the case was sent for the review sensitive issues need.
    FlaggedForReview {
        /// The qualifiers, as written.
        qualifiers: Vec<Text>,
    },
}

/// One event of the case history.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Position in the input `events` array, for JSON Pointers (`/events/{index}`).
    pub index: usize,
    /// When it happened.
    pub at: Timestamp,
    /// The agent who did it.
    pub by: Option<Text>,
    /// `false`: the contact happened but was not written into the order's history.
    pub documented: bool,
    /// What happened, with the fields of its type.
    pub kind: EventKind,
}

impl Event {
    /// The event's type (its code).
    pub fn event_type(&self) -> EventType {
        match &self.kind {
            EventKind::Call { .. } => EventType::Call,
            EventKind::Email { .. } => EventType::Email,
            EventKind::Note { .. } => EventType::Note,
            EventKind::Update => EventType::Update,
            EventKind::RescheduleReasonDetermined { .. } => EventType::RescheduleReasonDetermined,
            EventKind::RescheduleOffered { .. } => EventType::RescheduleOffered,
            EventKind::CallbackSet { .. } => EventType::CallbackSet,
            EventKind::StatusChanged { .. } => EventType::StatusChanged,
            EventKind::WorkStarted => EventType::WorkStarted,
            EventKind::CoverageFound { .. } => EventType::CoverageFound,
            EventKind::MarketManagerResponse { .. } => EventType::MarketManagerResponse,
            EventKind::Rescheduled { .. } => EventType::Rescheduled,
            EventKind::JobCompleted => EventType::JobCompleted,
            EventKind::ExceptionOpened { .. } => EventType::ExceptionOpened,
            EventKind::AdminReview { .. } => EventType::AdminReview,
            EventKind::FollowUpOffered { .. } => EventType::FollowUpOffered,
            EventKind::TicketConverted { .. } => EventType::TicketConverted,
            EventKind::TransferAttempt { .. } => EventType::TransferAttempt,
            EventKind::VoicemailTransfer => EventType::VoicemailTransfer,
            EventKind::FlaggedForReview { .. } => EventType::FlaggedForReview,
        }
    }

    /// JSON Pointer of this event, or of one of its fields when `field` is not empty.
    pub fn path(&self, field: &str) -> String {
        if field.is_empty() {
            format!("/events/{}", self.index)
        } else {
            format!("/events/{}/{}", self.index, field)
        }
    }

    /// Whether the event is an agent action: what counts as working a case (TM001, TM002).
    pub fn is_agent_action(&self) -> bool {
        self.event_type().is_agent_action()
    }

    /// A phone call to or from `party`, with its outcome and direction.
    pub fn as_call(&self) -> Option<(Option<Party>, Option<CallOutcome>, Direction)> {
        match &self.kind {
            EventKind::Call { party, outcome, direction } => Some((*party, *outcome, *direction)),
            _ => None,
        }
    }
}

/// Who closed the case.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClosedBy {
    /// The closer's agent id.
    pub agent_id: Option<Text>,
    /// The closer's role as written; CL001 judges it against the policy.
    pub role: Option<Text>,
}

/// A closing, the record's own or one proposed to `can_close` (docs/format.md, Closing). Taxonomy
/// fields keep the text as written: the closing rules (CL003–CL005) judge and explain them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Closing {
    /// When the case was (or is to be) closed.
    pub closed_at: Option<Timestamp>,
    /// Who closed it.
    pub closed_by: Option<ClosedBy>,
    /// The escalation's id, as the closer wrote it.
    pub escalation_id: Option<Text>,
    /// Resolved, no contact, or no longer an issue.
    pub basis: Option<Basis>,
    /// Who resolved the case, as written (CL003).
    pub resolved_by: Option<Text>,
    /// The final-responsibility party, as written (CL004).
    pub final_responsibility: Option<Text>,
    /// The final-responsibility reason, as written (CL005).
    pub reason: Option<Text>,
    /// The closer's notes.
    pub notes: Option<Text>,
}

/// One escalation case.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The record format's version (1, the only one).
    pub schema_version: i64,
    /// The case's id.
    pub id: String,
    /// The procedure the case follows; `None` when it could not be read.
    pub procedure: Option<Procedure>,
    /// When the escalation was opened.
    pub opened_at: Option<Timestamp>,
    /// The case's IANA time zone, for local days.
    pub timezone: Option<Tz>,
    /// How the case came in.
    pub channel: Option<Channel>,
    /// The case's priority.
    pub priority: Priority,
    /// The customer.
    pub customer: Option<Customer>,
    /// The job the escalation is about.
    pub order: Option<Order>,
    /// The escalation form.
    pub escalation: Option<EscalationForm>,
    /// The Market Manager look-up and its answer.
    pub market_manager: MarketManagerLookup,
    /// The selling store's providers.
    pub store_providers: Option<StoreProviders>,
    /// Qualifiers as written; checked against the policy's list (REC003).
    pub sensitive_qualifiers: Vec<Text>,
    /// In time order (stable: equal times keep input order).
    pub events: Vec<Event>,
    /// The record's own closing, when the case is closed.
    pub closing: Option<Closing>,
}

impl Record {
    /// An empty case of a procedure, for building records in code.
    pub fn new(id: impl Into<String>, procedure: Procedure) -> Self {
        Record {
            schema_version: 1,
            id: id.into(),
            procedure: Some(procedure),
            opened_at: None,
            timezone: None,
            channel: None,
            priority: Priority::Normal,
            customer: None,
            order: None,
            escalation: None,
            market_manager: MarketManagerLookup::NotDone,
            store_providers: None,
            sensitive_qualifiers: Vec::new(),
            events: Vec::new(),
            closing: None,
        }
    }

    /// The zone for local dates: `timezone` when given, else the offset of `opened_at`,
    /// else UTC.
    pub fn zone(&self) -> Zone {
        match (self.timezone, self.opened_at) {
            (Some(tz), _) => Zone::Iana(tz),
            (None, Some(opened)) => Zone::Fixed(*opened.offset()),
            (None, None) => Zone::Fixed(chrono::FixedOffset::east_opt(0).expect("UTC")),
        }
    }

    /// Put events in time order (stable). Call after editing `events` by hand.
    pub fn sort_events(&mut self) {
        self.events.sort_by_key(|e| e.at);
    }
}

/// A record read from JSON, with every problem found while reading it.
#[derive(Debug, Clone)]
pub struct ParsedRecord {
    /// Boxed: a record is about a kilobyte, and a parsed record is handed on several times.
    pub record: Box<Record>,
    /// REC violations found while reading (wrong types, unknown codes, missing fields, …).
    pub problems: Vec<Violation>,
}

/// Why a text could not be read as a record at all.
#[derive(Debug, Clone)]
pub struct Unreadable {
    /// The case id, when it could still be found.
    pub id: String,
    /// Why (REC001, REC005 or REC006, placed in the input).
    pub problems: Vec<Violation>,
}

/// Check the size of a JSON text before parsing it: an oversized record is never parsed.
pub(crate) fn check_text_limits(text: &[u8], limits: &Limits) -> Result<(), Violation> {
    if text.len() > limits.max_record_bytes {
        return Err(Violation::new(
            &REC006,
            "",
            format!(
                "the record is {} bytes; the limit is {} bytes (policy limits.max_record_bytes)",
                text.len(),
                limits.max_record_bytes
            ),
        ));
    }
    Ok(())
}

fn too_deep(limits: &Limits) -> Violation {
    Violation::new(
        &REC006,
        "",
        format!("the record nests deeper than {} levels (policy limits.max_depth)", limits.max_depth),
    )
}

/// Parse JSON text into a tree, within the limits. Errors are REC001 / REC006.
pub(crate) fn parse_json<'t>(text: &'t [u8], limits: &Limits) -> Result<Json<'t>, Violation> {
    parse_json_with(text, limits, Json::parse_bytes)
}

/// [`parse_json`], with the tree's containers in `arena`.
pub(crate) fn parse_json_in<'t>(text: &'t [u8], limits: &Limits, arena: &'t Arena) -> Result<Json<'t>, Violation> {
    parse_json_with(text, limits, |text| Json::parse_in(text, arena))
}

fn parse_json_with<'t>(
    text: &'t [u8],
    limits: &Limits,
    parse: impl FnOnce(&'t [u8]) -> serde_json::Result<Json<'t>>,
) -> Result<Json<'t>, Violation> {
    check_text_limits(text, limits)?;
    let text = text.strip_prefix("\u{feff}".as_bytes()).unwrap_or(text);
    let value = parse(text).map_err(|e| {
        if e.to_string().starts_with("recursion limit exceeded") {
            return too_deep(limits);
        }
        let what = if e.is_eof() { "the JSON text ends too early" } else { "the text is not valid JSON" };
        Violation::new(&REC001, "", format!("{what}: {e}"))
            .with_hint("one JSON object per case, e.g. {\"id\": \"ESC-1\", \"procedure\": \"installs_escalation\", …}")
    })?;
    if value.depth() > limits.max_depth {
        return Err(too_deep(limits));
    }
    if value.as_object().is_none() {
        return Err(not_an_object(&value));
    }
    Ok(value)
}

/// Read a record from JSON text.
pub(crate) fn read_record_text(text: &[u8], limits: &Limits) -> Result<ParsedRecord, Unreadable> {
    // The tree lives only while the record is read (the record owns its texts).
    with_arena(|arena| {
        let value =
            parse_json_in(text, limits, arena).map_err(|v| Unreadable { id: String::new(), problems: vec![v] })?;
        read_record_json(&value, limits)
    })
}

/// Read a record from a `serde_json::Value`.
pub(crate) fn read_record(value: &Value, limits: &Limits) -> Result<ParsedRecord, Unreadable> {
    read_record_json(&Json::from_value(value), limits)
}

/// Read a record from a parsed JSON tree.
pub(crate) fn read_record_json(value: &Json<'_>, limits: &Limits) -> Result<ParsedRecord, Unreadable> {
    let Some(obj) = value.as_object() else {
        return Err(Unreadable { id: String::new(), problems: vec![not_an_object(value)] });
    };
    if value.depth() > limits.max_depth {
        return Err(Unreadable { id: String::new(), problems: vec![too_deep(limits)] });
    }
    let mut reader = Reader { problems: Vec::new(), limits, naive_times: Vec::new() };
    let id = match present(obj, "id") {
        Some(Json::String(s)) => s.to_string(),
        Some(other) => {
            reader.wrong_type("/id", "a string", other);
            scalar_text(other)
        }
        None => String::new(),
    };
    if let Some(Json::Array(events)) = present(obj, "events") {
        if events.len() > limits.max_events {
            return Err(Unreadable {
                id,
                problems: vec![Violation::new(
                    &REC006,
                    "/events",
                    format!(
                        "the case has {} events; the limit is {} (policy limits.max_events)",
                        events.len(),
                        limits.max_events
                    ),
                )],
            });
        }
    }
    let record = reader.record(obj, id);
    crate::keys::check(obj, &mut reader.problems);
    Ok(ParsedRecord { record: Box::new(record), problems: reader.problems })
}

/// REC001 for a top level that is not an object (the same from text and from a value).
fn not_an_object(value: &Json<'_>) -> Violation {
    Violation::new(&REC001, "", format!("the top level is {}, not an object", json_type(value)))
        .with_hint("wrap the case in {…}; a file of cases is JSON Lines or a JSON array")
}

fn json_type(value: &Json<'_>) -> &'static str {
    value.type_name()
}

fn scalar_text(value: &Json<'_>) -> String {
    match value {
        Json::String(s) => s.to_string(),
        Json::Number(n) => n.to_string(),
        Json::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

/// A number where a string was expected, as its text (rare: out of line).
#[cold]
#[inline(never)]
fn number_text(n: &serde_json::Number) -> Text {
    compact_str::ToCompactString::to_compact_string(n)
}

/// A key's value, with `null` read as absent.
fn present<'v>(obj: &'v Object<'v>, key: &str) -> Option<&'v Json<'v>> {
    obj.get(key).filter(|v| !v.is_null())
}

/// A value quoted in a message, cut to 80 characters.
pub(crate) fn short(text: &str) -> String {
    const MAX: usize = 80;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        let cut: String = text.chars().take(MAX).collect();
        format!("{cut}…")
    }
}

struct Reader<'l> {
    problems: Vec<Violation>,
    limits: &'l Limits,
    /// Timestamps written without an offset (REC003), by their finding's index: once the
    /// case's zone is read, each finding's hint gives the timestamp to write.
    naive_times: Vec<(usize, NaiveDateTime)>,
}

// The finding makers are cold and kept out of line: a record is read through small hot
// functions (`string`, `timestamp`, …) run ~20 times a case, and with the messages' formatting
// inlined each of them saved and restored a dozen registers on every call.
impl Reader<'_> {
    #[cold]
    #[inline(never)]
    fn wrong_type(&mut self, path: &str, expected: &str, got: &Json<'_>) {
        self.problems.push(Violation::new(&REC003, path, format!("{path} is {}; expected {expected}", json_type(got))));
    }

    #[cold]
    #[inline(never)]
    fn missing(&mut self, path: &str, why: &str) {
        self.problems.push(Violation::new(&REC002, path, format!("{path} is missing; {why}")));
    }

    fn string(&mut self, obj: &Object<'_>, field: &str, base: &str) -> Option<Text> {
        match present(obj, field)? {
            Json::String(s) => {
                if s.len() > self.limits.max_string_bytes {
                    self.too_long(base, field, s.len());
                }
                Some(Text::from(s.as_ref()))
            }
            // Exports often write ids and zips as numbers; the value is clear, so take it.
            Json::Number(n) => Some(number_text(n)),
            other => {
                self.wrong_field_type(base, field, "a string", other);
                None
            }
        }
    }

    #[cold]
    #[inline(never)]
    fn too_long(&mut self, base: &str, field: &str, len: usize) {
        self.problems.push(Violation::new(
            &REC006,
            format!("{base}/{field}"),
            format!(
                "{base}/{field} is {len} bytes long; the limit is {} (policy limits.max_string_bytes)",
                self.limits.max_string_bytes
            ),
        ));
    }

    /// [`Reader::wrong_type`] at `{base}/{field}`.
    #[cold]
    #[inline(never)]
    fn wrong_field_type(&mut self, base: &str, field: &str, expected: &str, got: &Json<'_>) {
        self.wrong_type(&format!("{base}/{field}"), expected, got);
    }

    fn boolean(&mut self, obj: &Object<'_>, field: &str, base: &str) -> Option<bool> {
        match present(obj, field)? {
            Json::Bool(b) => Some(*b),
            other => {
                self.wrong_field_type(base, field, "true or false", other);
                None
            }
        }
    }

    fn timestamp(&mut self, obj: &Object<'_>, field: &str, base: &str) -> Option<Timestamp> {
        match present(obj, field)? {
            Json::String(s) => match parse_timestamp(s) {
                Ok(t) => Some(t),
                Err(message) => {
                    self.unreadable_field(base, field, message);
                    if let Some(naive) = crate::time::parse_naive(s) {
                        self.naive_times.push((self.problems.len() - 1, naive));
                    }
                    None
                }
            },
            other => {
                self.wrong_field_type(base, field, "an RFC 3339 timestamp string", other);
                None
            }
        }
    }

    /// REC003 for a value of the right type that does not read (a bad date or time).
    #[cold]
    #[inline(never)]
    fn unreadable(&mut self, path: &str, message: String) {
        self.problems.push(Violation::new(&REC003, path, format!("{path}: {message}")));
    }

    /// [`Reader::unreadable`] at `{base}/{field}` (the path built out of line, as in
    /// [`Reader::wrong_field_type`]).
    #[cold]
    #[inline(never)]
    fn unreadable_field(&mut self, base: &str, field: &str, message: String) {
        self.unreadable(&format!("{base}/{field}"), message);
    }

    /// A date; `path` names it in a finding (built only then: dates are read for every case).
    fn date(&mut self, value: &Json<'_>, path: impl Fn() -> String) -> Option<NaiveDate> {
        match value {
            Json::String(s) => match parse_date(s) {
                Ok(d) => Some(d),
                Err(message) => {
                    self.unreadable(&path(), message);
                    None
                }
            },
            other => {
                self.wrong_type(&path(), "a date string YYYY-MM-DD", other);
                None
            }
        }
    }

    fn date_field(&mut self, obj: &Object<'_>, field: &str, base: &str) -> Option<NaiveDate> {
        let value = present(obj, field)?;
        self.date(value, || format!("{base}/{field}"))
    }

    fn object<'v>(&mut self, obj: &'v Object<'v>, field: &str, base: &str) -> Option<&'v Object<'v>> {
        match present(obj, field)? {
            Json::Object(o) => Some(o),
            other => {
                self.wrong_field_type(base, field, "an object", other);
                None
            }
        }
    }

    /// A closed-vocabulary code: unknown values are REC003 with the closest code as hint.
    fn code<T>(
        &mut self,
        obj: &Object<'_>,
        field: &str,
        base: &str,
        parse: fn(&str) -> Option<T>,
        closest: fn(&str) -> Option<&'static str>,
    ) -> Option<T> {
        match present(obj, field)? {
            Json::String(s) => {
                let parsed = parse(s);
                if parsed.is_none() {
                    self.unknown_code(&format!("{base}/{field}"), field, s, closest(s));
                }
                parsed
            }
            other => {
                self.wrong_field_type(base, field, "a code string", other);
                None
            }
        }
    }

    #[cold]
    #[inline(never)]
    fn unknown_code(&mut self, path: &str, field: &str, text: &str, closest: Option<&str>) {
        let mut v = Violation::new(&REC003, path, format!("{path}: \"{}\" is not a known {field}", short(text)));
        if let Some(c) = closest {
            v = v.with_hint(format!("{field}: {c}"));
        }
        self.problems.push(v);
    }

    fn record(&mut self, obj: &Object<'_>, id: String) -> Record {
        let schema_version = match present(obj, "schema_version") {
            None => 1,
            Some(Json::Number(n)) if n.as_i64().is_some() => n.as_i64().unwrap_or(1),
            Some(other) => {
                self.wrong_type("/schema_version", "an integer", other);
                1
            }
        };
        if schema_version != 1 {
            self.problems.push(
                Violation::new(
                    &REC005,
                    "/schema_version",
                    format!("schema_version {schema_version} is not supported; this engine reads version 1"),
                )
                .with_hint("schema_version: 1"),
            );
        }
        if present(obj, "id").is_none() {
            self.missing("/id", "every case needs its id");
        }
        let procedure = self.code(obj, "procedure", "", Procedure::parse, Procedure::closest);
        if procedure.is_none() && present(obj, "procedure").is_none() {
            self.missing("/procedure", "expected one of field_management_support, installs_escalation, area_manager_exception, leadership_request");
        }
        let opened_at = self.timestamp(obj, "opened_at", "");
        let timezone = match present(obj, "timezone") {
            None => None,
            Some(Json::String(s)) => match s.trim().parse::<Tz>() {
                Ok(tz) => Some(tz),
                Err(_) => {
                    let closest = closest_zone(s);
                    let mut v = Violation::new(
                        &REC003,
                        "/timezone",
                        format!("/timezone: \"{}\" is not an IANA time zone name", short(s)),
                    );
                    if let Some(c) = closest {
                        v = v.with_hint(format!("timezone: {c}"));
                    }
                    self.problems.push(v);
                    None
                }
            },
            Some(other) => {
                self.wrong_type("/timezone", "an IANA time zone name", other);
                None
            }
        };
        let channel = self.code(obj, "channel", "", Channel::parse, Channel::closest);
        let priority = self.code(obj, "priority", "", Priority::parse, Priority::closest).unwrap_or(Priority::Normal);
        let customer = self.object(obj, "customer", "").map(|c| Customer {
            first_name: self.string(c, "first_name", "/customer"),
            last_name: self.string(c, "last_name", "/customer"),
            phone: self.string(c, "phone", "/customer"),
            zip: self.string(c, "zip", "/customer"),
        });
        let order = self.object(obj, "order", "").map(|o| self.order(o));
        let escalation = self.object(obj, "escalation", "").map(|e| self.escalation(e));
        let market_manager = match obj.get("market_manager") {
            None | Some(Json::Null) => MarketManagerLookup::NotDone,
            Some(Json::Object(m)) => match self.string(m, "name", "/market_manager") {
                None => MarketManagerLookup::NoManager,
                Some(name) if name.trim().is_empty() => MarketManagerLookup::NoManager,
                Some(name) => MarketManagerLookup::Manager {
                    name,
                    email: self.string(m, "email", "/market_manager"),
                    region: self.string(m, "region", "/market_manager"),
                },
            },
            Some(other) => {
                self.wrong_type(
                    "/market_manager",
                    "an object ({\"name\": null} when the look-up found no Market Manager)",
                    other,
                );
                MarketManagerLookup::NotDone
            }
        };
        let store_providers = self.object(obj, "store_providers", "").map(|p| StoreProviders {
            primary: self.string(p, "primary", "/store_providers"),
            secondary: self.string(p, "secondary", "/store_providers"),
            tertiary: self.string(p, "tertiary", "/store_providers"),
        });
        let sensitive_qualifiers = self.string_list(obj, "sensitive_qualifiers", "");
        let events = self.events(obj);
        let closing = self.object(obj, "closing", "").map(|c| self.closing(c, "/closing"));

        let record = Record {
            schema_version,
            id,
            procedure,
            opened_at,
            timezone,
            channel,
            priority,
            customer,
            order,
            escalation,
            market_manager,
            store_providers,
            sensitive_qualifiers,
            events,
            closing,
        };
        self.required(obj, &record);
        if !self.naive_times.is_empty() {
            self.hint_offsets(&record);
        }
        record
    }

    /// Each timestamp written without an offset gets the one to write, in the case's zone
    /// (`timezone`, else the offset of `opened_at`; neither known, no hint).
    #[cold]
    #[inline(never)]
    fn hint_offsets(&mut self, record: &Record) {
        let zone = match (record.timezone, record.opened_at) {
            (Some(tz), _) => Zone::Iana(tz),
            (None, Some(opened)) => Zone::Fixed(*opened.offset()),
            (None, None) => return,
        };
        for (index, naive) in std::mem::take(&mut self.naive_times) {
            let problem = &mut self.problems[index];
            let field = problem.path.rsplit('/').next().unwrap_or_default();
            problem.hint = Some(crate::time::offset_hint(&zone, naive, field));
        }
    }

    fn string_list(&mut self, obj: &Object<'_>, field: &str, base: &str) -> Vec<Text> {
        let path = || format!("{base}/{field}");
        match present(obj, field) {
            None => Vec::new(),
            Some(Json::Array(items)) => items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| match item {
                    Json::String(s) => Some(Text::from(s.as_ref())),
                    other => {
                        self.wrong_type(&format!("{}/{i}", path()), "a string", other);
                        None
                    }
                })
                .collect(),
            Some(other) => {
                self.wrong_type(&path(), "a list of strings", other);
                Vec::new()
            }
        }
    }

    /// Which fields each procedure needs (docs/format.md, Top-level fields).
    fn required(&mut self, obj: &Object<'_>, record: &Record) {
        let Some(procedure) = record.procedure else { return };
        let needs = procedure.sop().requirements();
        let (needs_opened, needs_customer, needs_order, needs_escalation) =
            (needs.opened_at, needs.customer, needs.order, needs.escalation);
        let name = procedure.code();
        for (field, needed) in [
            ("opened_at", needs_opened),
            ("customer", needs_customer),
            ("order", needs_order),
            ("escalation", needs_escalation),
        ] {
            if needed && present(obj, field).is_none() {
                let article = if name.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
                self.missing(&format!("/{field}"), &format!("{article} {name} case needs it"));
            }
        }
        if needs_order {
            if let Some(order) = &record.order {
                if order.id.is_none() {
                    self.missing("/order/id", "the order id ties the escalation to its job");
                }
            }
        }
        if needs.customer {
            if let Some(customer) = &record.customer {
                for (field, value) in [
                    ("first_name", &customer.first_name),
                    ("last_name", &customer.last_name),
                    ("phone", &customer.phone),
                ] {
                    if value.is_none() {
                        self.missing(
                            &format!("/customer/{field}"),
                            "the escalation form is checked against the customer's name and phone",
                        );
                    }
                }
            }
        }
        if needs.servicer_a_number {
            if let Some(order) = &record.order {
                if order.servicer.as_ref().and_then(|s| s.a_number.as_ref()).is_none() {
                    self.missing(
                        "/order/servicer/a_number",
                        "the installer's A# on the form is checked against the order's servicer",
                    );
                }
            }
        }
        if let Some(closing) = &record.closing {
            if closing.closed_at.is_none() && !self.problems.iter().any(|p| p.path == "/closing/closed_at") {
                self.missing("/closing/closed_at", "a closing needs its time");
            }
            if closing.basis.is_none() && !self.problems.iter().any(|p| p.path == "/closing/basis") {
                self.missing("/closing/basis", "expected resolved, no_contact or no_longer_an_issue");
            }
            if closing.closed_by.as_ref().and_then(|c| c.role.as_ref()).is_none()
                && !self.problems.iter().any(|p| p.path.starts_with("/closing/closed_by"))
            {
                self.missing("/closing/closed_by/role", "who closed the case decides whether they may (CL001)");
            }
        }
    }

    fn order(&mut self, o: &Object<'_>) -> Order {
        const B: &str = "/order";
        let missed_appointments = match present(o, "missed_appointments") {
            None => 0,
            Some(Json::Number(n)) if n.as_u64().is_some() => u32::try_from(n.as_u64().unwrap_or(0)).unwrap_or(u32::MAX),
            Some(other) => {
                self.wrong_type("/order/missed_appointments", "a whole number ≥ 0", other);
                0
            }
        };
        Order {
            id: self.string(o, "id", B),
            status: self.string(o, "status", B),
            scheduled_for: self.date_field(o, "scheduled_for", B),
            servicer: self.object(o, "servicer", B).map(|s| Servicer {
                a_number: self.string(s, "a_number", "/order/servicer"),
                name: self.string(s, "name", "/order/servicer"),
            }),
            selling_store: self.string(o, "selling_store", B),
            missed_appointments,
            completed_at: self.timestamp(o, "completed_at", B),
        }
    }

    fn escalation(&mut self, e: &Object<'_>) -> EscalationForm {
        const B: &str = "/escalation";
        EscalationForm {
            escalation_for: self.string(e, "escalation_for", B),
            installer_a_number: self.string(e, "installer_a_number", B),
            escalator_first_name: self.string(e, "escalator_first_name", B),
            escalator_last_name: self.string(e, "escalator_last_name", B),
            escalator_phone: self.string(e, "escalator_phone", B),
            escalator_title: self.string(e, "escalator_title", B),
            ownership: self.string(e, "ownership", B),
            escalation_type: self.string(e, "type", B),
            preferred_date: self.date_field(e, "preferred_date", B),
            reschedule_reason: self.string(e, "reschedule_reason", B),
            compensation_request: self.string(e, "compensation_request", B),
            damage_claim: self.boolean(e, "damage_claim", B).unwrap_or(false),
            notes: self.string(e, "notes", B),
        }
    }

    /// Read a closing object (the record's own at `/closing`, or a proposal).
    fn closing(&mut self, c: &Object<'_>, base: &str) -> Closing {
        let closed_by = match present(c, "closed_by") {
            None => None,
            Some(Json::Object(by)) => {
                let by_base = [base, "/closed_by"].concat();
                Some(ClosedBy {
                    agent_id: self.string(by, "agent_id", &by_base),
                    role: self.string(by, "role", &by_base),
                })
            }
            // A bare string is read as the role: exports often flatten the object.
            Some(Json::String(role)) => Some(ClosedBy { agent_id: None, role: Some(Text::from(role.as_ref())) }),
            Some(other) => {
                self.wrong_type(&format!("{base}/closed_by"), "an object {\"agent_id\", \"role\"}", other);
                None
            }
        };
        Closing {
            closed_at: self.timestamp(c, "closed_at", base),
            closed_by,
            escalation_id: self.string(c, "escalation_id", base),
            basis: self.code(c, "basis", base, Basis::parse, Basis::closest),
            resolved_by: self.string(c, "resolved_by", base),
            final_responsibility: self.string(c, "final_responsibility", base),
            reason: self.string(c, "reason", base),
            notes: self.string(c, "notes", base),
        }
    }

    fn events(&mut self, obj: &Object<'_>) -> Vec<Event> {
        let items = match present(obj, "events") {
            None => return Vec::new(),
            Some(Json::Array(items)) => items,
            Some(other) => {
                self.wrong_type("/events", "a list of events", other);
                return Vec::new();
            }
        };
        let mut events = Vec::with_capacity(items.len());
        events.extend(items.iter().enumerate().filter_map(|(i, item)| self.event(i, item)));
        events.sort_by_key(|e| e.at);
        events
    }

    fn event(&mut self, index: usize, item: &Json<'_>) -> Option<Event> {
        let base = &*event_path(index);
        let Json::Object(e) = item else {
            self.wrong_type(base, "an event object", item);
            return None;
        };
        let at = self.timestamp(e, "at", base);
        // Looked up again only when there is no time (an unreadable one is already reported).
        if at.is_none() && present(e, "at").is_none() {
            self.missing(&format!("{base}/at"), "every event needs its time");
        }
        let event_type = self.code(e, "type", base, EventType::parse, EventType::closest);
        if event_type.is_none() && present(e, "type").is_none() {
            self.missing(&format!("{base}/type"), "every event needs its type");
        }
        let by = self.string(e, "by", base);
        let documented = self.boolean(e, "documented", base).unwrap_or(true);
        let b = base;
        let party = |r: &mut Self, field: &str| r.code(e, field, b, Party::parse, Party::closest);
        let kind = match event_type? {
            EventType::Call => EventKind::Call {
                party: party(self, "party"),
                outcome: self.code(e, "outcome", b, CallOutcome::parse, CallOutcome::closest),
                direction: self
                    .code(e, "direction", b, Direction::parse, Direction::closest)
                    .unwrap_or(Direction::Outbound),
            },
            EventType::Email => EventKind::Email { party: party(self, "party") },
            EventType::Note => EventKind::Note {
                visibility: self.code(e, "visibility", b, NoteVisibility::parse, NoteVisibility::closest),
                on: self.code(e, "on", b, NoteTarget::parse, NoteTarget::closest).unwrap_or(NoteTarget::Order),
            },
            EventType::Update => EventKind::Update,
            EventType::RescheduleReasonDetermined => EventKind::RescheduleReasonDetermined {
                reason: self.string(e, "reason", b),
                next_available_date: self.date_field(e, "next_available_date", b),
            },
            EventType::RescheduleOffered => {
                let dates = match present(e, "dates") {
                    None => Vec::new(),
                    Some(Json::Array(ds)) => {
                        ds.iter().enumerate().filter_map(|(i, d)| self.date(d, || format!("{b}/dates/{i}"))).collect()
                    }
                    Some(other) => {
                        self.wrong_type(&format!("{b}/dates"), "a list of dates", other);
                        Vec::new()
                    }
                };
                EventKind::RescheduleOffered {
                    dates,
                    accepted_date: self.date_field(e, "accepted_date", b),
                    source: party(self, "source").unwrap_or(Party::Servicer),
                }
            }
            EventType::CallbackSet => EventKind::CallbackSet { callback_at: self.timestamp(e, "callback_at", b) },
            EventType::StatusChanged => EventKind::StatusChanged { to: self.string(e, "to", b) },
            EventType::WorkStarted => EventKind::WorkStarted,
            EventType::CoverageFound => {
                EventKind::CoverageFound { party: party(self, "party"), date: self.date_field(e, "date", b) }
            }
            EventType::MarketManagerResponse => {
                EventKind::MarketManagerResponse { coverage_found: self.boolean(e, "coverage_found", b) }
            }
            EventType::Rescheduled => {
                EventKind::Rescheduled { date: self.date_field(e, "date", b), party: party(self, "party") }
            }
            EventType::JobCompleted => EventKind::JobCompleted,
            EventType::ExceptionOpened => EventKind::ExceptionOpened {
                code: self.string(e, "code", b),
                directed_to: party(self, "directed_to"),
                risk: self.boolean(e, "risk", b).unwrap_or(false),
            },
            EventType::AdminReview => EventKind::AdminReview {
                emailed_area_manager: self.boolean(e, "emailed_area_manager", b).unwrap_or(false),
            },
            EventType::FollowUpOffered => EventKind::FollowUpOffered { accepted: self.boolean(e, "accepted", b) },
            EventType::TicketConverted => {
                EventKind::TicketConverted { from: self.string(e, "from", b), to: self.string(e, "to", b) }
            }
            EventType::TransferAttempt => EventKind::TransferAttempt {
                target: self.code(e, "target", b, TransferTarget::parse, TransferTarget::closest),
                waited_seconds: match present(e, "waited_seconds") {
                    None => None,
                    Some(Json::Number(n)) if n.as_f64().is_some_and(|s| s >= 0.0) => n.as_f64(),
                    Some(other) => {
                        self.wrong_type(&format!("{b}/waited_seconds"), "a number of seconds ≥ 0", other);
                        None
                    }
                },
                available: self.boolean(e, "available", b),
                accepted: self.boolean(e, "accepted", b),
            },
            EventType::VoicemailTransfer => EventKind::VoicemailTransfer,
            EventType::FlaggedForReview => {
                EventKind::FlaggedForReview { qualifiers: self.string_list(e, "qualifiers", b) }
            }
        };
        Some(Event { index, at: at?, by, documented, kind })
    }
}

/// An event's path, `/events/N`. Every event needs one at hand and few findings use it, so
/// the paths of the first events are written once, not per event (formatting them was ~1.5%
/// of reading a case).
fn event_path(index: usize) -> Cow<'static, str> {
    const WRITTEN: usize = 256;
    static PATHS: OnceLock<Vec<String>> = OnceLock::new();
    match PATHS.get_or_init(|| (0..WRITTEN).map(|i| format!("/events/{i}")).collect()).get(index) {
        Some(path) => Cow::Borrowed(path),
        None => Cow::Owned(format!("/events/{index}")),
    }
}

/// Read a proposed closing (for `can_close`). Its paths are reported as `/closing/…`: the
/// proposal stands where the record's own closing would.
pub(crate) fn read_closing(value: &Json<'_>, limits: &Limits) -> Result<(Closing, Vec<Violation>), Violation> {
    let Some(obj) = value.as_object() else {
        return Err(Violation::new(
            &REC001,
            "/closing",
            format!("the proposed closing is {}, not an object", json_type(value)),
        ));
    };
    let mut reader = Reader { problems: Vec::new(), limits, naive_times: Vec::new() };
    let closing = reader.closing(obj, "/closing");
    Ok((closing, reader.problems))
}

fn closest_zone(text: &str) -> Option<&'static str> {
    let wanted = key(text);
    if wanted.is_empty() || wanted.len() > crate::labels::MAX_HINT_INPUT {
        return None;
    }
    // ~600 zone names: worth remembering the answer for a misspelling seen before.
    static ZONE_HINTS: crate::labels::HintMemo = crate::labels::HintMemo::fixed(1);
    let best = ZONE_HINTS.get_or_compute(&wanted, || {
        chrono_tz::TZ_VARIANTS
            .iter()
            .enumerate()
            .map(|(i, tz)| (strsim::normalized_damerau_levenshtein(&wanted, &key(tz.name())), tz.name(), i))
            .max_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal).then_with(|| b.1.cmp(a.1)))
            .map(|(_, _, i)| (i, 0))
    });
    best.map(|(i, _)| chrono_tz::TZ_VARIANTS[i].name())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_with(text: &str, limits: &Limits) -> Result<ParsedRecord, Unreadable> {
        read_record_text(text.as_bytes(), limits)
    }

    fn read(text: &str) -> ParsedRecord {
        read_with(text, &Limits::default()).unwrap_or_else(|u| panic!("unreadable: {:?}", u.problems))
    }

    /// The problems found reading `text`, as (rule, path) pairs in the order found.
    fn problems(text: &str) -> Vec<(&'static str, String)> {
        read(text).problems.into_iter().map(|v| (v.rule, v.path)).collect()
    }

    fn unreadable(text: &str, limits: &Limits) -> Unreadable {
        match read_with(text, limits) {
            Ok(parsed) => panic!("read, with problems {:?}", parsed.problems),
            Err(unreadable) => unreadable,
        }
    }

    /// The one problem of `text`, which must have exactly one.
    fn only_problem(text: &str) -> Violation {
        let mut found = read(text).problems;
        assert_eq!(found.len(), 1, "{found:?}");
        found.remove(0)
    }

    const LEADERSHIP: &str =
        r#""id": "ESC-1", "procedure": "leadership_request", "opened_at": "2026-11-20T09:15:00-05:00""#;

    fn leadership(more: &str) -> String {
        if more.is_empty() {
            format!("{{{LEADERSHIP}}}")
        } else {
            format!("{{{LEADERSHIP}, {more}}}")
        }
    }

    #[test]
    fn a_complete_case_reads_without_problems() {
        let parsed = read(&leadership(
            r#""timezone": "America/New_York", "events": [
                {"at": "2026-11-20T10:00:00-05:00", "type": "call", "party": "customer", "outcome": "reached"},
                {"at": "2026-11-20T09:30:00-05:00", "type": "note", "visibility": "internal", "by": "ag-1"}]"#,
        ));
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let record = parsed.record;
        assert_eq!((record.id.as_str(), record.procedure), ("ESC-1", Some(Procedure::LeadershipRequest)));
        assert_eq!(record.schema_version, 1);
        assert_eq!(record.timezone, Some(chrono_tz::America::New_York));
        // Events in time order: the note (09:30) before the call (10:00), each with its index.
        let order: Vec<_> = record.events.iter().map(|e| (e.index, e.event_type())).collect();
        assert_eq!(order, [(1, EventType::Note), (0, EventType::Call)]);
        assert_eq!(record.events[0].by.as_deref(), Some("ag-1"));
        assert_eq!(
            record.events[1].as_call(),
            Some((Some(Party::Customer), Some(CallOutcome::Reached), Direction::Outbound))
        );
    }

    #[test]
    fn each_procedure_requires_its_own_parts() {
        assert_eq!(
            problems(r#"{"id": "F-1", "procedure": "field_management_support"}"#),
            [("REC002", "/customer".to_string()), ("REC002", "/order".into()), ("REC002", "/escalation".into())]
        );
        assert_eq!(
            problems(r#"{"id": "I-1", "procedure": "installs_escalation"}"#),
            [("REC002", "/opened_at".to_string()), ("REC002", "/order".into()), ("REC002", "/escalation".into())]
        );
        assert_eq!(
            problems(r#"{"id": "A-1", "procedure": "area_manager_exception", "opened_at": "2026-11-20T09:15:00Z"}"#),
            [("REC002", "/order".to_string())]
        );
        let v = only_problem(r#"{"id": "L-1", "procedure": "leadership_request"}"#);
        assert_eq!((v.rule, v.path.as_str()), ("REC002", "/opened_at"));
        assert_eq!(v.message, "/opened_at is missing; a leadership_request case needs it");
        let v = only_problem(r#"{"id": "I-1", "procedure": "area_manager_exception", "order": {"id": "O-1"}}"#);
        assert_eq!(v.message, "/opened_at is missing; an area_manager_exception case needs it");
    }

    #[test]
    fn the_parts_of_a_part_are_required_too() {
        let text = r#"{"id": "F-1", "procedure": "field_management_support", "opened_at": "2026-11-20T09:15:00Z",
            "customer": {"first_name": "Ada"}, "order": {"servicer": {}}, "escalation": {}}"#;
        assert_eq!(
            problems(text),
            [
                ("REC002", "/order/id".to_string()),
                ("REC002", "/customer/last_name".into()),
                ("REC002", "/customer/phone".into()),
                ("REC002", "/order/servicer/a_number".into()),
            ]
        );
    }

    #[test]
    fn id_and_procedure_are_required_of_every_case() {
        let found = problems("{}");
        assert_eq!(found, [("REC002", "/id".to_string()), ("REC002", "/procedure".into())]);
        // An id that is not a string is still the case's id, and reported.
        let parsed = read(r#"{"id": 42, "procedure": "leadership_request", "opened_at": "2026-11-20T09:15:00Z"}"#);
        assert_eq!(parsed.record.id, "42");
        assert_eq!(parsed.problems[0].message, "/id is a number; expected a string");
    }

    #[test]
    fn an_unknown_code_is_reported_with_the_closest_known_one() {
        let v = only_problem(r#"{"id": "L-1", "procedure": "leadership_requst", "opened_at": "2026-11-20T09:15:00Z"}"#);
        assert_eq!((v.rule, v.path.as_str()), ("REC003", "/procedure"));
        assert!(v.hint.as_deref().is_some_and(|h| h.contains("leadership_request")), "{v:?}");

        let v = only_problem(&leadership(r#""events": [{"at": "2026-11-20T10:00:00Z", "type": "phone_call"}]"#));
        assert_eq!((v.rule, v.path.as_str()), ("REC003", "/events/0/type"));

        let v = only_problem(&leadership(r#""timezone": "America/New_Yrok""#));
        assert_eq!((v.rule, v.path.as_str()), ("REC003", "/timezone"));
        assert_eq!(v.message, "/timezone: \"America/New_Yrok\" is not an IANA time zone name");
        assert_eq!(v.hint.as_deref(), Some("timezone: America/New_York"));
    }

    #[test]
    fn codes_are_read_from_their_labels_and_spellings_too() {
        let parsed = read(
            r#"{"id": "L-1", "procedure": "Leadership Request", "opened_at": "2026-11-20T09:15:00Z",
            "priority": "highly-escalated"}"#,
        );
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        assert_eq!(parsed.record.procedure, Some(Procedure::LeadershipRequest));
        assert_eq!(parsed.record.priority, Priority::HighlyEscalated);
    }

    #[test]
    fn timestamps_keep_their_offsets() {
        let at =
            |text: &str| read(&format!(r#"{{"id": "L-1", "procedure": "leadership_request", "opened_at": "{text}"}}"#));
        let opened = at("2026-11-20T09:15:00-05:00").record.opened_at.unwrap();
        assert_eq!(opened.offset().local_minus_utc(), -5 * 3600);
        assert_eq!(opened.to_rfc3339(), "2026-11-20T09:15:00-05:00");
        let utc = at("2026-11-20T14:15:00Z").record.opened_at.unwrap();
        assert_eq!(utc, opened, "the same instant");
        assert_eq!(utc.offset().local_minus_utc(), 0);
        // Without a zone the case's local days are those of opened_at's offset.
        assert_eq!(
            at("2026-11-20T09:15:00+05:30").record.zone(),
            Zone::Fixed(chrono::FixedOffset::east_opt(19800).unwrap())
        );
    }

    #[test]
    fn a_timestamp_without_an_offset_is_refused_with_the_offset_of_the_case_zone() {
        // November in New York: -05:00; July: -04:00 (daylight saving time).
        for (local, offset) in [("2026-11-20T09:15:00", "-05:00"), ("2026-07-20T09:15:00", "-04:00")] {
            let text = leadership(&format!(
                r#""timezone": "America/New_York", "closing": {{"closed_at": "{local}", "basis": "resolved",
                    "closed_by": {{"role": "resolution_care_back_office"}}}}"#
            ));
            let parsed = read(&text);
            let v = &parsed.problems[0];
            assert_eq!((v.rule, v.path.as_str()), ("REC003", "/closing/closed_at"), "{:?}", parsed.problems);
            assert!(v.hint.as_deref().is_some_and(|h| h.contains(&format!("{local}{offset}"))), "{v:?}");
            // The closing is still read, without its time; no REC002 besides the REC003.
            assert_eq!(parsed.problems.len(), 1, "{:?}", parsed.problems);
            assert!(parsed.record.closing.as_ref().is_some_and(|c| c.closed_at.is_none()));
        }
        // Nothing to take an offset from: refused without a hint.
        let v = only_problem(r#"{"id": "L-1", "procedure": "leadership_request", "opened_at": "2026-11-20T09:15:00"}"#);
        assert_eq!((v.rule, v.path.as_str(), v.hint), ("REC003", "/opened_at", None));
    }

    #[test]
    fn dates_and_timestamps_that_do_not_read_are_reported_where_they_are() {
        let text = leadership(
            r#""events": [{"at": "yesterday", "type": "update"},
            {"at": "2026-11-20T10:00:00Z", "type": "rescheduled", "date": "2026-02-30"}]"#,
        );
        assert_eq!(problems(&text), [("REC003", "/events/0/at".to_string()), ("REC003", "/events/1/date".into())]);
    }

    #[test]
    fn a_null_is_a_missing_value() {
        // A required part that is null is missing.
        assert_eq!(
            problems(
                r#"{"id": "A-1", "procedure": "area_manager_exception", "opened_at": "2026-11-20T09:15:00Z", "order": null}"#
            ),
            [("REC002", "/order".to_string())]
        );
        // An optional one that is null is simply absent.
        let parsed = read(&leadership(r#""timezone": null, "channel": null, "market_manager": null, "closing": null"#));
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        assert_eq!(parsed.record.market_manager, MarketManagerLookup::NotDone);
        assert!(parsed.record.closing.is_none());
        // A look-up that found nobody is {"name": null}.
        assert_eq!(
            read(&leadership(r#""market_manager": {"name": null}"#)).record.market_manager,
            MarketManagerLookup::NoManager
        );
        // A closing's own required values, null.
        assert_eq!(
            problems(&leadership(r#""closing": {"closed_at": null, "basis": null, "closed_by": null}"#)),
            [
                ("REC002", "/closing/closed_at".to_string()),
                ("REC002", "/closing/basis".into()),
                ("REC002", "/closing/closed_by/role".into()),
            ]
        );
    }

    #[test]
    fn a_wrong_type_names_what_was_expected() {
        let v = only_problem(&leadership(r#""sensitive_qualifiers": "legal""#));
        assert_eq!((v.rule, v.path.as_str()), ("REC003", "/sensitive_qualifiers"));
        assert_eq!(v.message, "/sensitive_qualifiers is a string; expected a list of strings");
        let v = only_problem(&leadership(r#""sensitive_qualifiers": ["legal", 7]"#));
        assert_eq!(v.message, "/sensitive_qualifiers/1 is a number; expected a string");
        // Ids and zips written as numbers are taken as their text.
        let parsed = read(
            r#"{"id": "A-1", "procedure": "area_manager_exception", "opened_at": "2026-11-20T09:15:00Z", "order": {"id": 1234}}"#,
        );
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        assert_eq!(parsed.record.order.unwrap().id.as_deref(), Some("1234"));
    }

    #[test]
    fn only_schema_version_1_is_read() {
        let v = only_problem(&leadership(r#""schema_version": 2"#));
        assert_eq!((v.rule, v.path.as_str()), ("REC005", "/schema_version"));
        assert_eq!(v.message, "schema_version 2 is not supported; this engine reads version 1");
        assert!(problems(&leadership(r#""schema_version": 1"#)).is_empty());
    }

    #[test]
    fn a_text_that_is_not_an_object_is_unreadable() {
        let limits = Limits::default();
        let u = unreadable("[1, 2]", &limits);
        assert_eq!((u.problems.len(), u.problems[0].rule), (1, "REC001"));
        let u = unreadable(r#"{"id": "ESC-1", "#, &limits);
        assert!(u.problems[0].message.starts_with("the JSON text ends too early"), "{:?}", u.problems);
        let u = unreadable(r#"{"id": "ESC-1",, }"#, &limits);
        assert!(u.problems[0].message.starts_with("the text is not valid JSON"), "{:?}", u.problems);
        assert!(u.problems[0].message.contains("line 1 column"), "{:?}", u.problems);
    }

    #[test]
    fn limits_are_checked_before_the_work_they_protect() {
        let limits = Limits { max_record_bytes: 200, max_depth: 4, max_events: 2, max_string_bytes: 10 };
        // Size: the text is not parsed.
        let big = leadership(&format!(r#""notes": "{}""#, "x".repeat(200)));
        let u = unreadable(&big, &limits);
        assert_eq!((u.problems[0].rule, u.problems[0].path.as_str()), ("REC006", ""));
        assert!(u.problems[0].message.contains("the limit is 200 bytes"), "{:?}", u.problems);
        // Depth.
        let u = unreadable(r#"{"id": "D-1", "a": {"b": {"c": {"d": {"e": 1}}}}}"#, &limits);
        assert_eq!(u.problems[0].message, "the record nests deeper than 4 levels (policy limits.max_depth)");
        // Events: the case is not read, but its id is known.
        let events = r#"{"at": "2026-11-20T10:00:00Z", "type": "update"}"#;
        let u = unreadable(&format!(r#"{{"id": "E-1", "events": [{events}, {events}, {events}]}}"#), &limits);
        assert_eq!(u.id, "E-1");
        assert_eq!((u.problems[0].rule, u.problems[0].path.as_str()), ("REC006", "/events"));
        assert_eq!(u.problems[0].message, "the case has 3 events; the limit is 2 (policy limits.max_events)");
        // A long string: reported where it is, the case still read.
        let parsed = read_with(r#"{"id": "S-1", "customer": {"first_name": "Bartholomew"}}"#, &limits).unwrap();
        let v = parsed.problems.iter().find(|v| v.rule == "REC006").expect("REC006");
        assert_eq!(v.path, "/customer/first_name");
        assert_eq!(
            v.message,
            "/customer/first_name is 11 bytes long; the limit is 10 (policy limits.max_string_bytes)"
        );
        assert_eq!(parsed.record.customer.unwrap().first_name.as_deref(), Some("Bartholomew"));
    }

    #[test]
    fn a_byte_order_mark_is_not_part_of_the_text() {
        assert!(read(&format!("\u{feff}{}", leadership(""))).problems.is_empty());
    }
}
