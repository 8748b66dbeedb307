//! `escalint validate`: every case of files, directories or standard input, judged in parallel
//! and written in input order, with a summary (and its breakdowns, `--by`).

use std::io::{self, BufWriter, IsTerminal, Write};

use escalint::stream::CaseReader;
use escalint::{Engine, Timestamp};

use super::{engine_for, now_from};
use crate::args::{Breakdowns, Validate};
use crate::exit::{Failure, Outcome, Status};
use crate::input::{self, Input};
use crate::output::{self, Format, Sink, SummaryFormat, SummaryOptions};
use crate::pipeline::Run;

/// Validate the inputs; status 1 when some case has an error.
pub fn run(args: Validate) -> Outcome {
    let engine = engine_for(args.common.policy.as_ref())?;
    let now = now_from(args.common.now.as_ref())?;
    set_jobs(args.jobs)?;
    let summary = summary_options(args.format, args.breakdowns)?;
    let inputs = input::expand(&args.files)
        .map_err(|e| Failure::fatal(format!("{e}; give files, directories or - for standard input")))?;
    let quiet = args.quiet || summary.format != SummaryFormat::Text;
    // `Stdout` rather than its lock: with several workers, whichever finished the next batch
    // writes it.
    let mut sink = Sink::new(BufWriter::with_capacity(1 << 16, io::stdout()), args.format, quiet, summary);
    let read_error = drive(&engine, now, &inputs, &mut sink, !args.no_progress)?;
    let any_error = sink.any_error();
    sink.finish().map_err(Failure::write)?;
    match read_error {
        Some(e) => Err(e),
        None => Ok(Status::findings_if(any_error)),
    }
}

/// `--jobs N`: the worker pool's size.
pub fn set_jobs(jobs: Option<usize>) -> Result<(), Failure> {
    if let Some(n) = jobs {
        if n == 0 {
            return Err(Failure::fatal("--jobs must be at least 1"));
        }
        rayon::ThreadPoolBuilder::new().num_threads(n).build_global().map_err(|e| Failure::fatal(e.to_string()))?;
    }
    Ok(())
}

/// The summary `validate` keeps. Breakdowns are part of the summary, which only the text
/// format writes (or `--summary-format csv|json`, in place of the findings).
fn summary_options(format: Format, b: Breakdowns) -> Result<SummaryOptions, Failure> {
    if format != Format::Text && (b.summary_format != SummaryFormat::Text || !b.by.is_empty()) {
        return Err(Failure::fatal(format!(
            "--by and --summary-format belong to the summary, which --format text writes (not --format {}); \
             drop --format, or use --summary-format csv|json for the tables alone",
            format.name()
        )));
    }
    if b.top == 0 {
        return Err(Failure::fatal("--top must be at least 1"));
    }
    Ok(SummaryOptions { by: b.by, format: b.summary_format, top: b.top, worst_cases: 0, details: false })
}

/// Stream every input through the engine in parallel batches into `sink`, in input order
/// (`finish` is the caller's). An input that fails to read ends the run after the cases read
/// before it: `Ok(Some(why))`.
pub fn drive<W: Write + Send>(
    engine: &Engine,
    now: Option<Timestamp>,
    inputs: &[Input],
    sink: &mut Sink<W>,
    progress: bool,
) -> Result<Option<Failure>, Failure> {
    sink.begin().map_err(Failure::write)?;
    let format = sink.format();
    let workers = rayon::current_num_threads();
    for input in inputs {
        let (reader, size) = input::open(input)?;
        let bar = output::progress_bar(progress && io::stderr().is_terminal(), size);
        sink.start_input(&input.name());
        let run = Run {
            engine,
            now,
            bar: bar.as_ref(),
            serialise: matches!(format, Format::Json | Format::Jsonl),
            facts: sink.wants_facts(),
        };
        let reader = CaseReader::new(reader, engine.limits().max_record_bytes);
        let read_result =
            if workers == 1 { run.with_reading_thread(reader, sink)? } else { run.in_workers(reader, sink, workers)? };
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
        if let Err(e) = read_result {
            return Ok(Some(Failure::fatal(format!("{}: {e}", input.name()))));
        }
    }
    Ok(None)
}
