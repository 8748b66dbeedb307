//! `escalint next-steps`: what must the agent do next, and by when.

use escalint::stream::read_piece;

use super::{now_from, print_reports, read_all, setup};
use crate::args::NextSteps;
use crate::exit::{Failure, Outcome, Status};
use crate::table::{self, Tables};

/// One report per case of the file (or row of the table); status 0 unless the run fails.
pub fn run(args: NextSteps) -> Outcome {
    let (settings, engine) = setup(&args.common, None)?;
    let now = now_from(args.common.now.as_ref())?;
    if let Some(map) = &settings.map.value {
        let mut tables = Tables::load(map, args.common.table.events.as_ref())?;
        let mut reports = Vec::new();
        for row in table::all_rows(&mut tables, std::slice::from_ref(&args.file))? {
            let mut report = engine.next_steps_value(&row.case, now);
            table::add_problems(&engine, &mut report.violations, row.problems);
            reports.push(serde_json::to_value(report)?);
        }
        print_reports(&reports)?;
        return Ok(Status::Success);
    }
    if table::is_table(&args.file) {
        return Err(table::needs_a_mapping(&args.file));
    }
    let pieces = read_all(&engine, &args.file)?;
    let reports: Vec<serde_json::Value> = pieces
        .iter()
        .map(|piece| match read_piece(&engine, piece) {
            Ok(parsed) => serde_json::to_value(engine.next_steps_parsed(&parsed, now)),
            Err(v) => serde_json::to_value(escalint::NextStepsReport {
                id: v.id,
                state: escalint::CaseState::Open,
                policy_version: v.policy_version,
                steps: Vec::new(),
                violations: v.violations,
            }),
        })
        .collect::<Result<_, _>>()
        .map_err(|e| Failure::fatal(e.to_string()))?;
    print_reports(&reports)?;
    Ok(Status::Success)
}
