//! Customer Refuses to Reschedule (seed 001): what must have happened before a Field
//! Management Support escalation is opened, and how its form is filled in.

use crate::catalogue::RuleInfo;
use crate::labels::same_key;
use crate::record::EventKind;
use crate::report::Violation;
use crate::rule;
use crate::time::Timestamp;

use crate::rules::Ctx;

rule!(RS001, Warning, FieldManagementSupport,
    title: "opened without a trigger: the job was not scheduled for the local day of opening or the next day, and this is not the 2nd missed appointment",
    sop: "Customer Refuses to Reschedule, when to escalate",
    source: "If a job is scheduled for today or tomorrow (same day or next day) and when asked to reschedule, the customer refuses to accept a reschedule date. If this is the 2nd missed appointment.",
    explanation: "The procedure lists two triggers for a Field Management Support escalation: the job is scheduled for today or tomorrow and the customer refuses to reschedule, or this is the 2nd missed appointment. \"Today\" is the local date of opening (IANA zone when given, else opened_at's offset), so a case opened at 23:30 on the 20th for a job on the 22nd has no trigger. `order.missed_appointments` ≥ 2 is the second trigger. A warning: the escalation may still be right for reasons the record does not show.");
rule!(RS002, Error, FieldManagementSupport,
    title: "no refused reschedule offer at or before opening (dates must be offered first)",
    sop: "Customer Refuses to Reschedule, steps 2-3",
    source: "Speak with the customer attempt to reschedule for any of the available dates... If the customer cannot/will not accept any of the available dates, advise the customer that we will look for alternate coverage.",
    explanation: "Dates must be offered before escalating: a `reschedule_offered` event at or before opened_at whose `accepted_date` is null (the customer refused every date offered). An offer the customer accepted is no reason to escalate.");
rule!(RS003, Error, FieldManagementSupport,
    title: "no call-back time set at or before opening",
    sop: "Customer Refuses to Reschedule, step 3a",
    source: "Agents are required to set a call back time with the customer.",
    explanation: "Step 3a makes the call-back time mandatory: a `callback_set` event at or before opened_at.");
rule!(RS004, Error, FieldManagementSupport,
    title: "job status not changed to Prescheduled – Rejected at or before opening",
    sop: "Customer Refuses to Reschedule, step 4",
    source: "Change the job status to \"Prescheduled – Rejected.\"",
    explanation: "Step 4: a `status_changed` event to Prescheduled – Rejected (code prescheduled_rejected; labels folded) at or before opened_at. The order's current status alone does not show when it changed, so the event is required.");
rule!(RS005, Error, FieldManagementSupport,
    title: "escalation form field wrong",
    sop: "Customer Refuses to Reschedule, step 5",
    source: "Escalation for: \"Installs Inc.\"; Installer's A#: Enter servicer's A number; Escalator's First Name / Last Name / Phone Number: the customer's; Escalator Title: \"Customer\"; Ownership: \"Install Support\"; Escalation Type: \"Field Management Support\".",
    explanation: "Step 5 fixes the form. One violation per wrong or empty field, at its path: escalation_for \"Installs Inc.\", escalator_title \"Customer\", ownership \"Install Support\", type \"Field Management Support\" (these four values come from the policy's `fms_form` and are compared with labels folded); installer_a_number equal to the order's servicer A# (case and spaces ignored); escalator first and last name equal to the customer's (case and surrounding spaces ignored); escalator phone equal to the customer's by digits, a leading US country code 1 ignored.");
rule!(RS006, Error, FieldManagementSupport,
    title: "notes lack the customer's preferred date or the reason for the reschedule",
    sop: "Customer Refuses to Reschedule, step 5 (Notes)",
    source: "Notes: Describe the customer's preferred schedule date, why the order needs to be rescheduled, and any compensation requests.",
    explanation: "The notes must describe the customer's preferred date and why the order needs rescheduling. Exports carry both as form fields: the preferred date is present when `escalation.preferred_date` is set or the notes contain a written date (2026-11-21, 11/21, Nov 21); the reason when `escalation.reschedule_reason` is not blank. One violation for each that is missing. Compensation requests are optional (\"any\").");
rule!(RS007, Warning, FieldManagementSupport,
    title: "no reschedule reason determined before the dates were offered",
    sop: "Customer Refuses to Reschedule, step 1",
    source: "If you have not already done so, determine why the order is being reschedule and when is the next soonest, date the order can be performed.",
    explanation: "Step 1 comes first: the reason and the next available date are determined (`reschedule_reason_determined`) before dates are offered. Warning, because the step says \"if you have not already done so\" — the reason may have been known from an earlier contact the record does not hold.");

pub static RULES: &[&RuleInfo] = &[&RS001, &RS002, &RS003, &RS004, &RS005, &RS006, &RS007];

pub fn check(ctx: &Ctx, out: &mut Vec<Violation>) {
    reason_before_offer(ctx, out);
    // The remaining steps are judged at the moment the escalation was opened; before that,
    // next_steps guides the conversation instead.
    let Some(opened) = ctx.record.opened_at else { return };
    opened_with_trigger(ctx, &opened, out);
    dates_offered_and_refused(ctx, &opened, out);
    callback_time_set(ctx, &opened, out);
    status_prescheduled_rejected(ctx, &opened, out);
    form_fields(ctx, out);
    notes_describe_date_and_reason(ctx, out);
}

/// The pre-escalation steps that are done by `until`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RescheduleSteps {
    pub reason_determined: bool,
    pub dates_refused: bool,
    pub dates_accepted: bool,
    pub callback_set: bool,
    pub status_rejected: bool,
}

impl RescheduleSteps {
    pub fn by(ctx: &Ctx, until: &Timestamp) -> Self {
        let mut steps = RescheduleSteps::default();
        for e in ctx.events().iter().filter(|e| e.at <= *until) {
            match &e.kind {
                EventKind::RescheduleReasonDetermined { .. } => steps.reason_determined = true,
                EventKind::RescheduleOffered { accepted_date: None, .. } => steps.dates_refused = true,
                EventKind::RescheduleOffered { accepted_date: Some(_), .. } => steps.dates_accepted = true,
                EventKind::CallbackSet { .. } => steps.callback_set = true,
                EventKind::StatusChanged { to: Some(to) } if is_prescheduled_rejected(ctx, to) => {
                    steps.status_rejected = true
                }
                _ => {}
            }
        }
        steps
    }
}

/// Whether a status text means Prescheduled – Rejected.
pub fn is_prescheduled_rejected(ctx: &Ctx, status: &str) -> bool {
    ctx.policy.order_statuses.find(status).is_some_and(|s| s.code == PRESCHEDULED_REJECTED)
}

const PRESCHEDULED_REJECTED: &str = "prescheduled_rejected";

/// RS001: a same-day/next-day job, or the 2nd missed appointment.
fn opened_with_trigger(ctx: &Ctx, opened: &Timestamp, out: &mut Vec<Violation>) {
    let Some(order) = &ctx.record.order else { return };
    if order.missed_appointments >= 2 {
        return;
    }
    let Some(scheduled) = order.scheduled_for else { return };
    let today = ctx.local_date(opened);
    let tomorrow = today.succ_opt().unwrap_or(today);
    if scheduled != today && scheduled != tomorrow {
        out.push(Violation::new(
            &RS001,
            "/order/scheduled_for",
            format!(
                "the job is scheduled for {scheduled}, not the local day of opening ({today}) or the next day, and this is not the 2nd missed appointment ({} missed)",
                order.missed_appointments
            ),
        ));
    }
}

/// RS002: dates offered, and refused, before escalating.
fn dates_offered_and_refused(ctx: &Ctx, opened: &Timestamp, out: &mut Vec<Violation>) {
    let steps = RescheduleSteps::by(ctx, opened);
    if steps.dates_refused {
        return;
    }
    let message = if steps.dates_accepted {
        "the customer accepted an offered date; an escalation needs dates offered and refused".to_string()
    } else {
        format!(
            "no reschedule dates were offered to the customer before the escalation was opened at {}",
            ctx.fmt(opened)
        )
    };
    out.push(Violation::new(&RS002, "/events", message));
}

/// RS003: a call-back time agreed before escalating.
fn callback_time_set(ctx: &Ctx, opened: &Timestamp, out: &mut Vec<Violation>) {
    if !RescheduleSteps::by(ctx, opened).callback_set {
        out.push(Violation::new(
            &RS003,
            "/events",
            format!(
                "no call-back time was set with the customer before the escalation was opened at {}",
                ctx.fmt(opened)
            ),
        ));
    }
}

/// RS004: status changed to Prescheduled – Rejected before escalating.
fn status_prescheduled_rejected(ctx: &Ctx, opened: &Timestamp, out: &mut Vec<Violation>) {
    if !RescheduleSteps::by(ctx, opened).status_rejected {
        out.push(
            Violation::new(
                &RS004,
                "/events",
                format!(
                    "the job status was not changed to Prescheduled – Rejected before the escalation was opened at {}",
                    ctx.fmt(opened)
                ),
            )
            .with_hint("status_changed to: prescheduled_rejected"),
        );
    }
}

/// RS005: the escalation form, field by field.
fn form_fields(ctx: &Ctx, out: &mut Vec<Violation>) {
    let Some(form) = &ctx.record.escalation else { return };
    let fixed = ctx.policy.fms_form();
    let mut wrong = |field: &str, got: Option<&str>, expected: &str| {
        let message = match got {
            Some(g) if !g.trim().is_empty() => format!("escalation {field} is \"{g}\"; expected \"{expected}\""),
            _ => format!("escalation {field} is empty; expected \"{expected}\""),
        };
        out.push(
            Violation::new(&RS005, format!("/escalation/{field}"), message).with_hint(format!("{field}: {expected}")),
        );
    };
    for (field, got, expected) in [
        ("escalation_for", &form.escalation_for, &fixed.escalation_for),
        ("escalator_title", &form.escalator_title, &fixed.escalator_title),
        ("ownership", &form.ownership, &fixed.ownership),
        ("type", &form.escalation_type, &fixed.escalation_type),
    ] {
        if !got.as_deref().is_some_and(|g| same_key(g, expected)) {
            wrong(field, got.as_deref(), expected);
        }
    }
    let servicer = ctx.record.order.as_ref().and_then(|o| o.servicer.as_ref()).and_then(|s| s.a_number.as_deref());
    if let Some(a_number) = servicer {
        if !form.installer_a_number.as_deref().is_some_and(|g| same_id(g, a_number)) {
            wrong("installer_a_number", form.installer_a_number.as_deref(), a_number);
        }
    }
    if let Some(customer) = &ctx.record.customer {
        for (field, got, expected) in [
            ("escalator_first_name", &form.escalator_first_name, &customer.first_name),
            ("escalator_last_name", &form.escalator_last_name, &customer.last_name),
        ] {
            let Some(expected) = expected else { continue };
            if !got.as_deref().is_some_and(|g| same_name(g, expected)) {
                wrong(field, got.as_deref(), expected);
            }
        }
        if let Some(phone) = &customer.phone {
            if !form.escalator_phone.as_deref().is_some_and(|written| same_phone(written, phone)) {
                wrong("escalator_phone", form.escalator_phone.as_deref(), phone);
            }
        }
    }
}

/// RS006: the notes describe the preferred date and the reason.
fn notes_describe_date_and_reason(ctx: &Ctx, out: &mut Vec<Violation>) {
    let Some(form) = &ctx.record.escalation else { return };
    let notes = form.notes.as_deref().unwrap_or("");
    if form.preferred_date.is_none() && !mentions_a_date(notes) {
        out.push(
            Violation::new(&RS006, "/escalation/preferred_date", "the escalation does not record the customer's preferred date (no preferred_date and no date in the notes)")
                .with_hint("preferred_date: YYYY-MM-DD"),
        );
    }
    if form.reschedule_reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
        out.push(Violation::new(
            &RS006,
            "/escalation/reschedule_reason",
            "the escalation does not say why the order needs to be rescheduled",
        ));
    }
}

/// RS007: the reason is determined before dates are offered.
fn reason_before_offer(ctx: &Ctx, out: &mut Vec<Violation>) {
    let Some(first_offer) = ctx.events().iter().find(|e| matches!(e.kind, EventKind::RescheduleOffered { .. })) else {
        return;
    };
    let determined = ctx
        .events()
        .iter()
        .any(|e| e.at <= first_offer.at && matches!(e.kind, EventKind::RescheduleReasonDetermined { .. }));
    if !determined {
        out.push(Violation::new(
            &RS007,
            first_offer.path(""),
            format!(
                "dates were offered at {} before the reason and the next available date were determined",
                ctx.fmt(&first_offer.at)
            ),
        ));
    }
}

/// A numbers or ids compared without case or spaces.
fn same_id(a: &str, b: &str) -> bool {
    fn normal(text: &str) -> impl Iterator<Item = char> + '_ {
        text.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase)
    }
    normal(a).eq(normal(b))
}

/// Names compared without case or surrounding spaces.
fn same_name(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        // Whole-text lower case: a final sigma differs from one in the middle of a word.
        a.to_lowercase() == b.to_lowercase()
    }
}

/// A phone number's digits, without a leading US country code (the tests' reference for
/// [`same_phone`]).
#[cfg(test)]
fn phone_digits(text: &str) -> String {
    digits_of_phone(text).map(char::from).collect()
}

fn digits_of_phone(text: &str) -> impl Iterator<Item = u8> + '_ {
    let all = || text.bytes().filter(u8::is_ascii_digit);
    let country_code = all().count() == 11 && all().next() == Some(b'1');
    all().skip(usize::from(country_code))
}

/// Whether two phone numbers have the same digits (without a leading US country code), compared
/// without building either: this runs for every FMS case.
pub fn same_phone(a: &str, b: &str) -> bool {
    digits_of_phone(a).eq(digits_of_phone(b))
}

/// Whether free text contains a written date: 2026-11-21, 11/21(/2026), or a month name
/// followed by a day (Nov 21, November 21st).
fn mentions_a_date(text: &str) -> bool {
    const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()).collect();
    let numeric = words.iter().any(|w| {
        let w = w.trim_matches(|c: char| !c.is_ascii_digit());
        let num = |p: &str| if !p.is_empty() && p.len() <= 4 && p.chars().all(|c| c.is_ascii_digit()) { p.parse::<u32>().ok() } else { None };
        let slashed: Vec<Option<u32>> = w.split('/').map(num).collect();
        let dashed: Vec<&str> = w.split('-').collect();
        let us_date = matches!(slashed.as_slice(), [Some(m), Some(d)] | [Some(m), Some(d), Some(_)] if (1..=12).contains(m) && (1..=31).contains(d));
        let iso_date = dashed.len() == 3 && dashed[0].len() == 4 && crate::time::parse_date(w).is_ok();
        us_date || iso_date
    });
    let named = words.windows(2).any(|pair| {
        MONTHS.iter().any(|m| pair[0].starts_with(m)) && pair[1].chars().next().is_some_and(|c| c.is_ascii_digit())
    });
    numeric || named
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_compare_by_digits() {
        assert_eq!(phone_digits("(404) 555-0134"), phone_digits("404-555-0134"));
        assert_eq!(phone_digits("+1 404 555 0134"), "4045550134");
        for (a, b) in [
            ("(404) 555-0134", "404-555-0134"),
            ("+1 404 555 0134", "4045550134"),
            ("1-404-555-0134", "404.555.0134"),
            ("404 555 0134", "404 555 0135"),
            ("12345", "2345"),
            ("", ""),
        ] {
            assert_eq!(same_phone(a, b), phone_digits(a) == phone_digits(b), "{a} / {b}");
        }
    }

    #[test]
    fn ids_and_names_compare_without_case_or_spaces() {
        assert!(same_id("A 104 233", "a104233"));
        assert!(!same_id("A104233", "A104234"));
        assert!(same_name("  Ana ", "ANA"));
        assert!(same_name("ΟΔΥΣΣΕΥΣ", "οδυσσευς"));
        assert!(!same_name("Ana", "Anna"));
    }

    #[test]
    fn dates_in_notes() {
        assert!(mentions_a_date("Customer wants 11/21 morning"));
        assert!(mentions_a_date("prefers 2026-11-21"));
        assert!(mentions_a_date("Prefers Nov 21st, van broke down"));
        assert!(!mentions_a_date("van broke down, call back later"));
        assert!(!mentions_a_date("A# 104-233"));
    }
}
