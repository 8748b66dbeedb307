//! Next steps of the Area Manager Escalation Process (SOP 000-003), in the procedure's order:
//! call the service pro, leave a message and a note, wait 24 h for the customer's call-back,
//! call again, second message and Public with Email note, exception to the Area Manager, the
//! admin team's email, then closing.

use crate::codes::{CallOutcome, EventType};
use crate::record::Event;
use crate::report::{Action, CaseState, Step};
use crate::procedures::area_manager::rules::{AM001, AM002, AM003, AM004, AM005, AM008};

use crate::procedures::area_manager::rules::{
    admin_emailed, area_manager_exceptions, public_email_note_after, service_job_note_after, voicemail_after, Progress,
};
use crate::rules::Ctx;
use crate::time::Timestamp;

fn reached(e: &Event) -> bool {
    matches!(e.as_call(), Some((_, Some(CallOutcome::Reached), _)))
}

/// The state of the case and its steps, most urgent first.
pub fn plan(ctx: &Ctx) -> (CaseState, Vec<Step>) {
    let mut steps = Vec::new();
    if ctx.record.closing.is_none() {
        if let Some(progress) = Progress::of(ctx) {
            procedure_steps(ctx, &progress, &mut steps);
        }
        steps.extend(crate::procedures::leadership::plan::flag_step(ctx));
        steps.extend(crate::plan::closing::close_step(ctx));
    }
    (crate::plan::state_of(ctx, &steps), steps)
}

fn procedure_steps(ctx: &Ctx, p: &Progress, steps: &mut Vec<Step>) {
    let due = |t: &Timestamp| Some(ctx.end_of_local_day(t));
    let Some(first) = p.first_attempt else {
        steps.push(Step::new(Action::CallServicePro, &AM001, due(&p.report),
            format!("the customer reported a problem with the service pro's work at {}: call the service pro to discuss it, seek a resolution and document the service job", ctx.fmt(&p.report)),
            Some("servicer")));
        return;
    };
    if !reached(first) && (!voicemail_after(ctx, first) || !service_job_note_after(ctx, first)) {
        steps.push(Step::new(Action::LeaveMessageAndNote, &AM002, due(&first.at),
            "the service pro was not reached: leave a message with the customer's concern asking them to contact the customer as soon as possible, and an explicit note on the service job".into(),
            Some("servicer")));
    }
    let Some(callback) = p.callback else {
        let hours = ctx.policy.thresholds().area_manager_wait_hours;
        let mark = p.callback_mark(ctx);
        // Once the mark has passed, the wait has no time left to show: say what comes next.
        let (due, why) = match mark {
            Some(mark) if mark <= ctx.now => (None, format!(
                "the {hours} h since the first attempt ({}) passed at {}: as soon as the customer calls back, step 2 starts (call the service pro again and open the exception to the Area Manager)",
                ctx.fmt(&first.at), ctx.fmt(&mark)
            )),
            _ => (mark.map(|m| ctx.local(&m)), format!(
                "step 2 starts if the customer calls back {hours} h or more after the first attempt ({})",
                ctx.fmt(&first.at)
            )),
        };
        steps.push(Step::new(Action::WaitForCustomerCallback, &AM003, due, why, Some("customer")));
        return;
    };
    match p.second_attempt {
        None => steps.push(Step::new(
            Action::CallServiceProAgain,
            &AM003,
            due(&callback.at),
            format!(
                "the customer called back at {}: call the service pro again to seek a resolution",
                ctx.fmt(&callback.at)
            ),
            Some("servicer"),
        )),
        Some(second) if !reached(second) => {
            if !voicemail_after(ctx, second) {
                steps.push(Step::new(
                    Action::LeaveSecondVoicemail,
                    &AM004,
                    due(&second.at),
                    "the service pro was unavailable again: leave a second voice message".into(),
                    Some("servicer"),
                ));
            }
            if !public_email_note_after(ctx, second) {
                steps.push(Step::new(
                    Action::SendPublicWithEmailNote,
                    &AM004,
                    due(&second.at),
                    "send a Public with Email note explaining the reason for the contact".into(),
                    Some("servicer"),
                ));
            }
        }
        Some(_) => {}
    }
    if area_manager_exceptions(ctx, p.report).next().is_none() {
        let mut s = Step::new(
            Action::OpenAreaManagerException,
            &AM005,
            due(&callback.at),
            "open the ServiceBench task exception directed to the Area Manager documenting the missed commitment"
                .into(),
            Some("area_manager"),
        );
        s.options = Some(ctx.policy.exception_codes.codes().map(str::to_string).collect());
        steps.push(s);
    }
    if ctx.events_of(EventType::ExceptionOpened).next().is_some() && !admin_emailed(ctx, None) {
        steps.push(Step::new(
            Action::AdminReviewEmailAreaManager,
            &AM008,
            None,
            "the admin team reviews the escalation and emails the assigned Area Manager".into(),
            Some("admin_team"),
        ));
    }
}
