//! `escalint validate`: every case of files, directories or standard input, judged in parallel
//! and written in input order, with a summary.

use std::io::{self, BufWriter, IsTerminal};
use std::sync::Arc;

use escalint::stream::CaseReader;
use escalint::{Engine, Timestamp};

use super::{engine_for, now_from};
use crate::args::Validate;
use crate::exit::{Failure, Outcome, Status};
use crate::input::{self, Input};
use crate::output::{self, Format, Sink};
use crate::pipeline::Run;

/// Validate the inputs; status 1 when some case has an error.
pub fn run(args: Validate) -> Outcome {
    let engine = engine_for(args.common.policy.as_ref())?;
    let now = now_from(args.common.now.as_ref())?;
    if let Some(n) = args.jobs {
        if n == 0 {
            return Err(Failure::fatal("--jobs must be at least 1"));
        }
        rayon::ThreadPoolBuilder::new().num_threads(n).build_global().map_err(|e| Failure::fatal(e.to_string()))?;
    }
    let inputs = input::expand(&args.files)
        .map_err(|e| Failure::fatal(format!("{e}; give files, directories or - for standard input")))?;
    validate(Arc::new(engine), now, &inputs, args.format, args.quiet, !args.no_progress)
}

/// Stream every input through the engine in parallel batches, writing in input order.
fn validate(
    engine: Arc<Engine>,
    now: Option<Timestamp>,
    inputs: &[Input],
    format: Format,
    quiet: bool,
    progress: bool,
) -> Outcome {
    // `Stdout` rather than its lock: with several workers, whichever finished the next batch
    // writes it.
    let mut sink = Sink::new(BufWriter::with_capacity(1 << 16, io::stdout()), format, quiet);
    sink.begin().map_err(Failure::write)?;
    let workers = rayon::current_num_threads();
    for input in inputs {
        let (reader, size) = input::open(input)?;
        let bar = output::progress_bar(progress && io::stderr().is_terminal(), size);
        sink.start_input(&input.name());
        let run =
            Run { engine: &engine, now, bar: bar.as_ref(), serialise: matches!(format, Format::Json | Format::Jsonl) };
        let reader = CaseReader::new(reader, engine.limits().max_record_bytes);
        let read_result = if workers == 1 {
            run.with_reading_thread(reader, &mut sink)?
        } else {
            run.in_workers(reader, &mut sink, workers)?
        };
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
        if let Err(e) = read_result {
            sink.finish().map_err(Failure::write)?;
            return Err(Failure::fatal(format!("{}: {e}", input.name())));
        }
    }
    let any_error = sink.any_error();
    sink.finish().map_err(Failure::write)?;
    Ok(Status::findings_if(any_error))
}
