//! `escalint validate`: every case of files, directories or standard input (or of CSV tables
//! read through a mapping), judged in parallel and written in input order, with a summary (and
//! its breakdowns, `--by`).

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;

use escalint::stream::CaseReader;
use escalint::{Engine, Timestamp};

use super::{now_from, setup};
use crate::args::{Breakdowns, Validate};
use crate::exit::{Failure, Outcome, Status};
use crate::input::{self, Input};
use crate::output::{self, Format, Sink, SummaryFormat, SummaryOptions};
use crate::pipeline::Run;
use crate::table::{self, Tables};

/// Validate the inputs; status 1 when some case has an error.
pub fn run(args: Validate) -> Outcome {
    let (settings, engine) = setup(&args.common, args.format)?;
    let now = now_from(args.common.now.as_ref())?;
    let format = settings.format.value;
    if args.quiet && format != Format::Text {
        return Err(Failure::fatal(format!(
            "-q only shortens the text format; with --format {} every report is the output \
             (drop -q, or use --format text -q for the summary)",
            format.name()
        )));
    }
    set_jobs(args.jobs)?;
    let summary = summary_options(format, args.breakdowns)?;
    let inputs = Inputs::of(&args.files, args.follow, settings.map.value.as_ref(), args.common.table.events.as_ref())?;
    let quiet = args.quiet || summary.format != SummaryFormat::Text;
    // `Stdout` rather than its lock: with several workers, whichever finished the next batch
    // writes it.
    let mut sink = Sink::new(BufWriter::with_capacity(1 << 16, io::stdout()), format, quiet, summary)
        .with_not_run(engine.selection().not_run());
    let names = inputs.names();
    let read_error = inputs.drive(&engine, now, &mut sink, !args.no_progress)?;
    if read_error.is_none() && sink.cases() == 0 {
        return Err(no_cases_found(&names, sink));
    }
    let any_error = sink.any_error();
    sink.finish().map_err(Failure::write)?;
    match read_error {
        Some(e) => Err(e),
        None => Ok(Status::findings_if(any_error)),
    }
}

/// Nothing was judged: a usage error, never "cases: 0, 100% valid" (an audit pointed at the
/// wrong path must not pass). JSON output still closes its (empty) array; no summary.
fn no_cases_found<W: Write>(names: &[String], sink: Sink<W>) -> Failure {
    if sink.format() == Format::Json {
        if let Err(e) = sink.finish() {
            return Failure::write(e);
        }
    }
    Failure::fatal(format!(
        "no cases found in {}: expected one JSON object per case (JSON Lines or a JSON array); directories are searched for files ending in {}",
        names.join(", "),
        input::endings_looked_for()
    ))
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

/// What a run reads: JSON cases (files, directories, stdin), or CSV tables through a mapping.
pub enum Inputs {
    Json(Vec<Input>),
    Tables(Tables, Vec<PathBuf>),
}

impl Inputs {
    /// The inputs named on the command line; with a mapping (`--map`, or `map` of the config
    /// file) they are tables. A `.csv` without one is told how to map it.
    /// `follow`: follow links inside directories (`--follow`).
    pub fn of(
        files: &[PathBuf],
        follow: bool,
        map: Option<&PathBuf>,
        events: Option<&PathBuf>,
    ) -> Result<Inputs, Failure> {
        if let Some(map) = map {
            if files.is_empty() {
                return Err(Failure::fatal("--map needs the cases table: escalint validate --map MAP.toml CASES.csv"));
            }
            if let Some(dir) = files.iter().find(|f| f.is_dir()) {
                return Err(Failure::fatal(format!("{}: with --map, give the CSV tables themselves", dir.display())));
            }
            return Ok(Inputs::Tables(Tables::load(map, events)?, files.to_vec()));
        }
        if let Some(csv) = files.iter().find(|f| table::is_table(f)) {
            return Err(table::needs_a_mapping(csv));
        }
        let inputs = input::expand(files, follow)
            .map_err(|e| Failure::fatal(format!("{e}; give files, directories or - for standard input")))?;
        if inputs.iter().any(|i| matches!(i, Input::Stdin)) {
            input::hint_if_terminal();
        }
        Ok(Inputs::Json(inputs))
    }

    /// The inputs' names, as given.
    pub fn names(&self) -> Vec<String> {
        match self {
            Inputs::Json(inputs) => inputs.iter().map(Input::name).collect(),
            Inputs::Tables(_, files) => files.iter().map(|f| f.display().to_string()).collect(),
        }
    }

    /// Judge every case into `sink` (see [`drive`]).
    pub fn drive<W: Write + Send>(
        self,
        engine: &Engine,
        now: Option<Timestamp>,
        sink: &mut Sink<W>,
        progress: bool,
    ) -> Result<Option<Failure>, Failure> {
        match self {
            Inputs::Json(inputs) => drive(engine, now, &inputs, sink, progress),
            Inputs::Tables(mut tables, files) => drive_tables(engine, now, &mut tables, &files, sink),
        }
    }
}

/// Every row of the tables, judged in row order; then the events whose case no table had.
fn drive_tables<W: Write + Send>(
    engine: &Engine,
    now: Option<Timestamp>,
    tables: &mut Tables,
    files: &[PathBuf],
    sink: &mut Sink<W>,
) -> Result<Option<Failure>, Failure> {
    sink.begin().map_err(Failure::write)?;
    let serialise = matches!(sink.format(), Format::Json | Format::Jsonl);
    let facts = sink.wants_facts();
    for file in files {
        let mut rows = table::rows(&tables.mapping, &mut tables.events, file)?;
        sink.start_input(&file.display().to_string());
        let result = table::validate(engine, now, &mut rows, sink, serialise, facts);
        tables.events.put_back(rows);
        if let Err(e) = result {
            return Ok(Some(e));
        }
    }
    for (source, orphan) in tables.events.orphans() {
        sink.start_input(&source);
        sink.write(&table::orphan_report(engine, &source, &orphan)).map_err(Failure::write)?;
    }
    Ok(None)
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
        let reader = CaseReader::with_layout(reader, engine.limits().max_record_bytes, input.layout());
        let read_result = run.run(reader, sink, workers)?;
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
        if let Err(e) = read_result {
            return Ok(Some(Failure::fatal(format!("{}: {e}", input.name()))));
        }
    }
    Ok(None)
}
