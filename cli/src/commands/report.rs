//! `escalint report FILES… -o audit.html`: the cases streamed through the engine into a
//! bounded summary (every breakdown, the trend, timeliness, the worst cases), then written as
//! one self-contained HTML page (`crate::html`).

use std::io::{self, Write};
use std::path::Path;

use escalint::summary::Dimension;

use super::validate::{set_jobs, Inputs};
use super::{now_from, setup};
use crate::args::Report;
use crate::exit::{Failure, Outcome, Status};
use crate::html;
use crate::output::{Format, Sink, SummaryFormat, SummaryOptions};

/// What the page says besides the summary.
pub struct Page<'a> {
    /// The inputs, as named.
    pub inputs: Vec<String>,
    /// `--now`, as given.
    pub now: Option<&'a str>,
    /// Keys listed per breakdown.
    pub top: usize,
    /// The rules (ids or whole families) the selection in effect leaves out.
    pub not_run: Vec<String>,
}

/// Write the report; status 0 once it is written (its findings are in the page, not the
/// status).
pub fn run(args: Report) -> Outcome {
    let (settings, engine) = setup(&args.common, None)?;
    let now = now_from(args.common.now.as_ref())?;
    set_jobs(args.jobs)?;
    if args.top == 0 {
        return Err(Failure::fatal("--top must be at least 1"));
    }
    let inputs = Inputs::of(&args.files, args.follow, settings.map.value.as_ref(), args.common.table.events.as_ref())?;
    let names = inputs.names();
    let options = SummaryOptions {
        by: Dimension::ALL.to_vec(),
        format: SummaryFormat::Text,
        top: args.top,
        worst_cases: args.worst,
        details: true,
    };
    let not_run = engine.selection().not_run();
    let mut sink = Sink::new(io::sink(), Format::Text, true, options).with_not_run(not_run.clone());
    if let Some(e) = inputs.drive(&engine, now, &mut sink, !args.no_progress)? {
        return Err(e);
    }
    let summary = sink.into_breakdowns();
    let page = Page { inputs: names, now: args.common.now.as_deref(), top: args.top, not_run };
    let text = html::render(&summary, &page);
    write_whole(&args.output, text.as_bytes())
        .map_err(|e| Failure::fatal(format!("cannot write the report {}: {e}", args.output.display())))?;
    Ok(Status::Success)
}

/// Write next to the target, then rename: a reader never sees half a report, and a failed run
/// leaves an earlier report as it was.
fn write_whole(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let name = path.file_name().ok_or_else(|| io::Error::other("the path names no file"))?;
    let mut partial = name.to_os_string();
    partial.push(format!(".partial-{}", std::process::id()));
    let partial = path.with_file_name(partial);
    let written = std::fs::File::create(&partial).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    match written.and_then(|_| std::fs::rename(&partial, path)) {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            Err(e)
        }
    }
}
