//! Record checks that need the policy (codes it defines) or the whole record (timestamps
//! that contradict each other). They judge the record's text as given (`ctx.whole`), events
//! after `now` included: a misspelt code is wrong whenever it happened.

use crate::labels::LabelSet;
use crate::record::{REC003, REC004};
use crate::report::Violation;

use super::Ctx;

pub fn check(ctx: &Ctx, out: &mut Vec<Violation>) {
    order_status_known(ctx, out);
    qualifiers_known(ctx, out);
    timestamps_consistent(ctx, out);
}

/// REC003 for a value that is not in `set`, with the closest entry as a hint. The path is
/// only built when there is something to report.
fn known_in(
    set: &LabelSet,
    text: &str,
    path: impl FnOnce() -> String,
    what: &str,
    field: &str,
    out: &mut Vec<Violation>,
) {
    if set.find(text).is_some() {
        return;
    }
    let path = path();
    let mut v = Violation::new(&REC003, &path, format!("{path}: \"{text}\" is not a known {what}"));
    if let Some(c) = set.closest(text) {
        v = v.with_hint(format!("{field}: {}", c.code));
    }
    out.push(v);
}

/// REC003: the order status and every `status_changed` target must be a policy status.
fn order_status_known(ctx: &Ctx, out: &mut Vec<Violation>) {
    let statuses = &ctx.policy.order_statuses;
    if let Some(status) = ctx.record.order.as_ref().and_then(|o| o.status.as_deref()) {
        known_in(statuses, status, || "/order/status".into(), "order status", "status", out);
    }
    for e in &ctx.whole.events {
        if let crate::record::EventKind::StatusChanged { to: Some(to) } = &e.kind {
            known_in(statuses, to, || e.path("to"), "order status", "status", out);
        }
    }
}

/// REC003: sensitive qualifiers (on the case and on `flagged_for_review`) must be known.
fn qualifiers_known(ctx: &Ctx, out: &mut Vec<Violation>) {
    let known = &ctx.policy.sensitive_qualifiers;
    for (i, q) in ctx.record.sensitive_qualifiers.iter().enumerate() {
        known_in(known, q, || format!("/sensitive_qualifiers/{i}"), "sensitive qualifier", "qualifier", out);
    }
    for e in &ctx.whole.events {
        if let crate::record::EventKind::FlaggedForReview { qualifiers } = &e.kind {
            for (i, q) in qualifiers.iter().enumerate() {
                known_in(known, q, || e.path(&format!("qualifiers/{i}")), "sensitive qualifier", "qualifier", out);
            }
        }
    }
}

/// REC004: a case closed before it was opened, or closed without ever being opened (a Field
/// Management Support case whose `opened_at` is null: there is no escalation to close); a
/// call-back agreed for a time before the moment it was agreed.
fn timestamps_consistent(ctx: &Ctx, out: &mut Vec<Violation>) {
    // The closing judged: the record's own, or the one `can_close` was asked about.
    let record = ctx.record;
    match (record.opened_at, record.closing.as_ref().map(|c| c.closed_at)) {
        (Some(opened), Some(Some(closed))) if closed < opened => out.push(Violation::new(
            &REC004,
            "/closing/closed_at",
            format!("the case was closed at {} before it was opened at {}", ctx.fmt(&closed), ctx.fmt(&opened)),
        )),
        (None, Some(closed)) if record.procedure == Some(crate::codes::Procedure::FieldManagementSupport) => out.push(
            Violation::new(
                &REC004,
                "/closing",
                format!(
                    "the case has a closing{} but the escalation was never opened (opened_at is null)",
                    closed.map(|c| format!(" at {}", ctx.fmt(&c))).unwrap_or_default()
                ),
            )
            .with_hint("an escalation is closed only once it is opened: set opened_at, or remove the closing"),
        ),
        _ => {}
    }
    for e in &ctx.whole.events {
        if let crate::record::EventKind::CallbackSet { callback_at: Some(at) } = &e.kind {
            if *at < e.at {
                out.push(Violation::new(
                    &REC004,
                    e.path("callback_at"),
                    format!("the call-back time {} is before the moment it was set ({})", ctx.fmt(at), ctx.fmt(&e.at)),
                ));
            }
        }
    }
}
