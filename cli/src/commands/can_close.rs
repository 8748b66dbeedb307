//! `escalint can-close`: may the case close, by this person, with these values.

use escalint::stream::read_piece;
use escalint::Proposal;

use super::{answer_each, now_from, print_reports, read_bounded, setup};
use crate::args::CanClose;
use crate::exit::{Outcome, Status};
use crate::table::{self, Tables};

/// One report per case of the file (or row of the table); status 1 when some case may not
/// close.
pub fn run(args: CanClose) -> Outcome {
    let (settings, engine) = setup(&args.common, None)?;
    let now = now_from(args.common.now.as_ref())?;
    let limit = engine.limits().max_record_bytes;
    let proposal = args.proposal.map(|p| read_bounded(&p, limit, "proposal")).transpose()?;
    let mut all_allowed = true;
    let mut reports = Vec::new();
    if let Some(map) = &settings.map.value {
        let mut tables = Tables::load(map, args.common.table.events.as_ref())?;
        for row in table::all_rows(&mut tables, std::slice::from_ref(&args.file))? {
            let mut report = engine.can_close(row.case.to_string(), proposal.as_ref().map(Proposal::from), now);
            report.allowed = table::add_problems(&engine, &mut report.violations, row.problems) && report.allowed;
            all_allowed &= report.allowed;
            reports.push(serde_json::to_value(report)?);
        }
        print_reports(&reports)?;
        return Ok(Status::findings_if(!all_allowed));
    }
    if table::is_table(&args.file) {
        return Err(table::needs_a_mapping(&args.file));
    }
    answer_each(&engine, &args.file, |piece| {
        let report = engine.can_close(read_piece(&engine, piece), proposal.as_ref().map(Proposal::from), now);
        all_allowed &= report.allowed;
        Ok(serde_json::to_value(report)?)
    })?;
    Ok(Status::findings_if(!all_allowed))
}
