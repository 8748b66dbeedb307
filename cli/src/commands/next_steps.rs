//! `escalint next-steps`: what must the agent do next, and by when.

use escalint::stream::read_piece;
use std::io::Write;

use escalint::{ParsedRecord, Timestamp};

use super::{answer_each, now_from, print_reports, setup};
use crate::args::NextSteps;
use crate::exit::{Failure, Outcome, Status};
use crate::table::{self, Tables};

/// One report per case of the file (or row of the table); status 1 when some case could not
/// be read (it gets no plan: `state` null, no steps, its REC violations), else 0.
pub fn run(args: NextSteps) -> Outcome {
    let (settings, engine) = setup(&args.common, None)?;
    let now = now_from(args.common.now.as_ref())?;
    if let Some(map) = &settings.map.value {
        let mut tables = Tables::load(map, args.common.table.events.as_ref())?;
        let mut reports = Vec::new();
        for row in table::all_rows(&mut tables, std::slice::from_ref(&args.file))? {
            let mut report = engine.next_steps(&row.case, now);
            table::add_problems(&engine, &mut report.violations, row.problems);
            reports.push(serde_json::to_value(report)?);
        }
        print_reports(&reports)?;
        return Ok(Status::Success);
    }
    if table::is_table(&args.file) {
        return Err(table::needs_a_mapping(&args.file));
    }
    let mut any_unreadable = false;
    answer_each(&engine, &args.file, |piece| {
        let read = read_piece(&engine, piece);
        if let Ok(parsed) = &read {
            warn_if_before_opening(parsed, now.as_ref());
        }
        let report = engine.next_steps(read, now);
        // A case that could not be read gets no plan (`state` null, no steps).
        any_unreadable |= report.state.is_none();
        serde_json::to_value(report).map_err(|e| Failure::fatal(e.to_string()))
    })?;
    Ok(Status::findings_if(any_unreadable))
}

/// A `--now` before the case was opened plans for a moment when nothing had happened yet:
/// say so on stderr (a mistyped year is the usual cause), and still answer.
fn warn_if_before_opening(parsed: &ParsedRecord, now: Option<&Timestamp>) {
    let (Some(now), Some(opened)) = (now, parsed.record.opened_at) else { return };
    if *now >= opened {
        return;
    }
    let days = (opened - *now).num_days();
    let gap = match days {
        0 => "less than a day".to_string(),
        1..=364 => format!("{days} days"),
        _ => format!("{:.1} years", days as f64 / 365.25),
    };
    // Not `eprintln!`: a closed stderr must not change the answer (it panics there).
    let _ = writeln!(
        std::io::stderr(),
        "escalint: warning: --now {} is {gap} before case {} was opened ({}): the plan is for a moment when nothing had happened yet",
        escalint::time::format_timestamp(now),
        if parsed.record.id.is_empty() { "(no id)" } else { &parsed.record.id },
        escalint::time::format_timestamp(&opened),
    );
}
