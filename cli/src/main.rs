//! `escalint`: validate escalation histories, plan next steps, check closings.

mod input;
mod output;

use std::collections::BTreeMap;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{mpsc, Arc, Condvar, Mutex};

use clap::{Parser, Subcommand};
use escalint::stream::{read_piece, Batch, CaseReader, Piece};
use escalint::{parse_now, Engine, Timestamp};

use input::Input;
use output::{Format, Judged, Sink};

const EXAMPLES: &str = "\
Examples:
  escalint validate history.jsonl                 findings and a summary
  escalint validate --format csv history.jsonl > findings.csv
  escalint validate --jobs 1 --now 2026-11-22T12:00:00-05:00 cases/
  cat export.json | escalint validate --format jsonl -
  escalint next-steps case.json
  escalint can-close --proposal closing.json case.json
  escalint rules CL005

Exit status: 0 every case valid, 1 some case has an error, 2 usage or I/O error.";

#[derive(Parser)]
#[command(name = "escalint", version, about = "Checks home-services escalation cases against their procedures.", after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone)]
struct Common {
    /// Judge as of this time (RFC 3339 with offset); default: a closed case's closing time,
    /// else the current time.
    #[arg(long, value_name = "T")]
    now: Option<String>,
    /// Policy JSON file (one policy, a list of versions, or {"policies": [...]}); default:
    /// the embedded policy.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Validate cases: JSON Lines, JSON arrays or single JSON objects; files, directories
    /// (every *.json, *.jsonl, *.ndjson inside) or - for standard input.
    Validate {
        #[command(flatten)]
        common: Common,
        /// Output format: text (findings and a summary), json (an array of reports), jsonl
        /// (one report per input case, in input order), csv (one row per violation).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Worker threads (default: every core).
        #[arg(long, short = 'j', value_name = "N")]
        jobs: Option<usize>,
        /// Text format: print only the summary.
        #[arg(long, short = 'q')]
        quiet: bool,
        /// Never show a progress bar (it only shows on a terminal for large inputs).
        #[arg(long)]
        no_progress: bool,
        #[arg(value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// What must the agent do next, and by when? One report per case in FILE.
    NextSteps {
        #[command(flatten)]
        common: Common,
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// May the case close? Judges --proposal, else the case's own closing.
    CanClose {
        #[command(flatten)]
        common: Common,
        /// A proposed closing (JSON object as in the record's "closing").
        #[arg(long, value_name = "FILE")]
        proposal: Option<PathBuf>,
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// The rule catalogue, or one rule explained with its SOP text and an example.
    Rules {
        /// A rule id, e.g. CL005.
        rule: Option<String>,
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print the policy in force (the embedded one, or --policy FILE checked and normalised).
    Policy {
        #[arg(long, value_name = "FILE")]
        policy: Option<PathBuf>,
    },
}

/// A failure that ends the run with status 2 and a message saying what to do.
struct Fatal(String);

impl From<io::Error> for Fatal {
    fn from(e: io::Error) -> Self {
        Fatal(e.to_string())
    }
}

/// mimalloc: reading a case allocates many small strings that worker threads free; the
/// system allocator spent ~15% of a run on that (cross-thread frees, consolidation).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(Fatal(message)) if message == BROKEN_PIPE => ExitCode::SUCCESS,
        Err(Fatal(message)) => {
            eprintln!("escalint: {message}");
            ExitCode::from(2)
        }
    }
}

const BROKEN_PIPE: &str = "\u{0}broken pipe";

/// Map a write error: a closed pipe (`| head`) ends the run quietly.
fn write_error(e: io::Error) -> Fatal {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Fatal(BROKEN_PIPE.into())
    } else {
        Fatal(format!("cannot write the output: {e}"))
    }
}

fn engine_for(policy: Option<&PathBuf>) -> Result<Engine, Fatal> {
    match policy {
        None => Ok(Engine::new()),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Fatal(format!("cannot read the policy {}: {e}", path.display())))?;
            Engine::from_policy_json(&text).map_err(|e| {
                Fatal(format!("{}: {e}; fix the policy or drop --policy to use the embedded one", path.display()))
            })
        }
    }
}

fn now_from(text: Option<&String>) -> Result<Option<Timestamp>, Fatal> {
    text.map(|t| parse_now(t).map_err(|e| Fatal(format!("--{e}; e.g. --now 2026-11-22T12:00:00-05:00")))).transpose()
}

fn run(cli: Cli) -> Result<ExitCode, Fatal> {
    match cli.command {
        Command::Validate { common, format, jobs, quiet, no_progress, files } => {
            let engine = engine_for(common.policy.as_ref())?;
            let now = now_from(common.now.as_ref())?;
            if let Some(n) = jobs {
                if n == 0 {
                    return Err(Fatal("--jobs must be at least 1".into()));
                }
                rayon::ThreadPoolBuilder::new().num_threads(n).build_global().map_err(|e| Fatal(e.to_string()))?;
            }
            let inputs = input::expand(&files)
                .map_err(|e| Fatal(format!("{e}; give files, directories or - for standard input")))?;
            validate(Arc::new(engine), now, &inputs, format, quiet, !no_progress)
        }
        Command::NextSteps { common, file } => {
            let engine = engine_for(common.policy.as_ref())?;
            let now = now_from(common.now.as_ref())?;
            let pieces = read_all(&engine, &file)?;
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
                .map_err(|e| Fatal(e.to_string()))?;
            print_reports(&reports)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::CanClose { common, proposal, file } => {
            let engine = engine_for(common.policy.as_ref())?;
            let now = now_from(common.now.as_ref())?;
            let proposal = proposal
                .map(|p| std::fs::read(&p).map_err(|e| Fatal(format!("cannot read the proposal {}: {e}", p.display()))))
                .transpose()?;
            let pieces = read_all(&engine, &file)?;
            let mut all_allowed = true;
            let mut reports = Vec::new();
            for piece in &pieces {
                let report = match read_piece(&engine, piece) {
                    Ok(parsed) => engine.can_close_parsed_json(parsed, proposal.as_deref(), now),
                    Err(v) => escalint::CanCloseReport {
                        id: v.id,
                        allowed: false,
                        policy_version: v.policy_version,
                        violations: v.violations,
                    },
                };
                all_allowed &= report.allowed;
                reports.push(serde_json::to_value(report).map_err(|e| Fatal(e.to_string()))?);
            }
            print_reports(&reports)?;
            Ok(if all_allowed { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Command::Rules { rule, json } => rules(rule.as_deref(), json),
        Command::Policy { policy } => {
            let engine = engine_for(policy.as_ref())?;
            let mut out = io::stdout().lock();
            let docs: Vec<&escalint::policy::PolicyDocument> = engine.policies().iter().map(|p| &p.document).collect();
            let text = if docs.len() == 1 {
                serde_json::to_string_pretty(docs[0])
            } else {
                serde_json::to_string_pretty(&docs)
            };
            writeln!(out, "{}", text.map_err(|e| Fatal(e.to_string()))?).map_err(write_error)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Every case of one input (for next-steps and can-close, which answer per case).
fn read_all(engine: &Engine, file: &Path) -> Result<Vec<Piece>, Fatal> {
    let input = if file.as_os_str() == "-" { Input::Stdin } else { Input::File(file.to_path_buf()) };
    let (reader, _) =
        input::open(&input).map_err(|e| Fatal(format!("{e}; give a case file or - for standard input")))?;
    Ok(CaseReader::new(reader, engine.limits().max_record_bytes).collect::<io::Result<_>>()?)
}

/// One report: pretty JSON. Several: JSON Lines.
fn print_reports(reports: &[serde_json::Value]) -> Result<(), Fatal> {
    let mut out = BufWriter::new(io::stdout().lock());
    if reports.len() == 1 {
        serde_json::to_writer_pretty(&mut out, &reports[0]).map_err(|e| Fatal(e.to_string()))?;
        writeln!(out).map_err(write_error)?;
    } else {
        for r in reports {
            serde_json::to_writer(&mut out, r).map_err(|e| Fatal(e.to_string()))?;
            writeln!(out).map_err(write_error)?;
        }
    }
    out.flush().map_err(write_error)
}

/// Cases per batch: small enough that a batch stays in the cache between reading and judging
/// (2,048 was ~25% slower with two workers).
const BATCH: usize = 128;
/// Case text per batch at most, so that batches of large cases stay as small.
const BATCH_BYTES: usize = 256 << 10;

/// Stream every input through the engine in parallel batches, writing in input order.
fn validate(
    engine: Arc<Engine>,
    now: Option<Timestamp>,
    inputs: &[Input],
    format: Format,
    quiet: bool,
    progress: bool,
) -> Result<ExitCode, Fatal> {
    // `Stdout` rather than its lock: with several workers, whichever finished the next batch
    // writes it.
    let mut sink = Sink::new(BufWriter::with_capacity(1 << 16, io::stdout()), format, quiet);
    sink.begin().map_err(write_error)?;
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
            sink.finish().map_err(write_error)?;
            return Err(Fatal(format!("{}: {e}", input.name())));
        }
    }
    let any_error = sink.any_error();
    sink.finish().map_err(write_error)?;
    Ok(if any_error { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// One input being validated.
struct Run<'a> {
    engine: &'a Engine,
    now: Option<Timestamp>,
    bar: Option<&'a indicatif::ProgressBar>,
    /// Reports are serialised (json, jsonl) by the worker that judged them, with several.
    serialise: bool,
}

/// Batches read ahead of the oldest one not yet written, at most, per worker.
const AHEAD_PER_WORKER: u64 = 2;

impl Run<'_> {
    /// One worker: a thread reads batches while this one judges and writes each case at once
    /// (a batch's reports are never all held). The result is the reading's: an I/O error ends
    /// the input after the cases read before it are written.
    fn with_reading_thread<R: io::Read + Send, W: Write>(
        &self,
        mut reader: CaseReader<R>,
        sink: &mut Sink<W>,
    ) -> Result<io::Result<()>, Fatal> {
        let (tx, rx) = mpsc::sync_channel::<(Batch, u64)>(4);
        // Batches come back once written and are read into again: a fixed set of buffers of one
        // size, so memory stays the same however long the input (fresh ones of varying sizes,
        // freed on another thread, let the allocator's footprint drift upwards).
        let (spare_tx, spare_rx) = mpsc::channel::<Batch>();
        std::thread::scope(|scope| {
            let reading = scope.spawn(move || loop {
                let mut batch = spare_rx.try_recv().unwrap_or_else(|_| Batch::with_capacity(BATCH, BATCH_BYTES));
                let result = reader.read_batch(&mut batch, BATCH, BATCH_BYTES);
                if batch.is_empty() {
                    return result;
                }
                // A closed channel means the writing stopped (it reports why).
                if tx.send((batch, reader.bytes_read())).is_err() {
                    return Ok(());
                }
                result?;
            });
            for (batch, consumed) in rx {
                for piece in batch.iter() {
                    sink.write(&output::judge(self.engine, piece, self.now, false)).map_err(write_error)?;
                }
                let _ = spare_tx.send(batch);
                show_progress(self.bar, consumed);
            }
            Ok(reading.join().unwrap_or_else(|_| Err(io::Error::other("the reading thread failed"))))
        })
    }

    /// Several workers, each taking the next batch from the reader, judging it, and writing
    /// it when the batches before it are written. No thread only reads or only writes: on a
    /// machine with as many cores as workers, such threads took turns with the workers.
    fn in_workers<R: io::Read + Send, W: Write + Send>(
        &self,
        reader: CaseReader<R>,
        sink: &mut Sink<W>,
        workers: usize,
    ) -> Result<io::Result<()>, Fatal> {
        let reading = Mutex::new(Reading { reader, next: 0, finished: None, spare: Vec::new() });
        let writing = Mutex::new(Writing { sink, next: 0, waiting: BTreeMap::new(), failed: None });
        let written = Condvar::new();
        let ahead = AHEAD_PER_WORKER * workers as u64;
        // After a failure no worker takes another batch (an I/O error already set, stays).
        let stop_reading = || {
            lock(&reading).finished.get_or_insert(Ok(()));
        };
        rayon::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|_| loop {
                    let Some((seq, batch, consumed)) = lock(&reading).next_batch() else { return };
                    // A panic would leave the other workers waiting for this batch: stop them.
                    let judged = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        batch
                            .iter()
                            .map(|piece| output::judge(self.engine, piece, self.now, self.serialise))
                            .collect::<Vec<Judged>>()
                    }));
                    lock(&reading).spare.push(batch);
                    let mut out = lock(&writing);
                    let Ok(judged) = judged else {
                        out.failed = Some(Fatal("a validation worker failed".into()));
                        stop_reading();
                        written.notify_all();
                        return;
                    };
                    // Wait while too far ahead of the oldest batch not yet written (memory).
                    while seq >= out.next + ahead && out.failed.is_none() {
                        out = written.wait(out).unwrap_or_else(|e| e.into_inner());
                    }
                    if out.failed.is_some() {
                        stop_reading();
                        return;
                    }
                    out.waiting.insert(seq, (judged, consumed));
                    if let Err(e) = out.write_ready(self.bar) {
                        out.failed = Some(e);
                        stop_reading();
                    }
                    written.notify_all();
                });
            }
        });
        let out = writing.into_inner().unwrap_or_else(|e| e.into_inner());
        if let Some(failed) = out.failed {
            return Err(failed);
        }
        Ok(reading.into_inner().unwrap_or_else(|e| e.into_inner()).finished.unwrap_or(Ok(())))
    }
}

/// A mutex's guard, also after a worker panicked while holding it (the data stays usable:
/// every update is complete before the lock is released).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// The reader shared by the workers.
struct Reading<R> {
    reader: CaseReader<R>,
    /// The number of the next batch.
    next: u64,
    /// Set at the end of the input, on an I/O error, or when writing failed.
    finished: Option<io::Result<()>>,
    /// Batches written, to be read into again.
    spare: Vec<Batch>,
}

impl<R: io::Read> Reading<R> {
    /// The next batch, its number and the input position it ends at; None once finished.
    fn next_batch(&mut self) -> Option<(u64, Batch, u64)> {
        if self.finished.is_some() {
            return None;
        }
        let mut batch = self.spare.pop().unwrap_or_else(|| Batch::with_capacity(BATCH, BATCH_BYTES));
        let result = self.reader.read_batch(&mut batch, BATCH, BATCH_BYTES);
        // The cases read before an I/O error are still judged and written.
        if let Err(e) = result {
            self.finished = Some(Err(e));
        } else if batch.is_empty() {
            self.finished = Some(Ok(()));
        }
        if batch.is_empty() {
            return None;
        }
        self.next += 1;
        Some((self.next - 1, batch, self.reader.bytes_read()))
    }
}

/// The output shared by the workers: judged batches waiting for their turn.
struct Writing<'s, W: Write> {
    sink: &'s mut Sink<W>,
    /// The number of the next batch to write.
    next: u64,
    waiting: BTreeMap<u64, (Vec<Judged>, u64)>,
    failed: Option<Fatal>,
}

impl<W: Write> Writing<'_, W> {
    /// Write the batches whose turn it is.
    fn write_ready(&mut self, bar: Option<&indicatif::ProgressBar>) -> Result<(), Fatal> {
        while let Some((judged, consumed)) = self.waiting.remove(&self.next) {
            for j in &judged {
                self.sink.write(j).map_err(write_error)?;
            }
            self.next += 1;
            show_progress(bar, consumed);
        }
        Ok(())
    }
}

fn show_progress(bar: Option<&indicatif::ProgressBar>, consumed: u64) {
    if let Some(bar) = bar {
        bar.set_position(consumed);
    }
}

/// `escalint rules [ID]`.
fn rules(id: Option<&str>, json: bool) -> Result<ExitCode, Fatal> {
    let mut out = io::stdout().lock();
    match id {
        None => {
            let all = escalint::catalogue::all();
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&all).map_err(|e| Fatal(e.to_string()))?)
                    .map_err(write_error)?;
            } else {
                for r in all {
                    writeln!(out, "{:<7} {:<8} {}  [{}]", r.id, r.severity.as_str(), r.title, r.sop)
                        .map_err(write_error)?;
                }
            }
        }
        Some(id) => {
            let Some(rule) = escalint::catalogue::find(id) else {
                let ids: Vec<&str> = escalint::catalogue::all().iter().map(|r| r.id).collect();
                let closest = ids.iter().min_by_key(|c| strsim_distance(c, id)).copied().unwrap_or("REC001");
                return Err(Fatal(format!("no rule {id}; did you mean {closest}? (escalint rules lists them all)")));
            };
            let example = output::rule_example(rule.id);
            if json {
                let mut value = serde_json::to_value(rule).map_err(|e| Fatal(e.to_string()))?;
                value["example"] = serde_json::to_value(&example).unwrap_or_default();
                writeln!(out, "{}", serde_json::to_string_pretty(&value).map_err(|e| Fatal(e.to_string()))?)
                    .map_err(write_error)?;
            } else {
                writeln!(out, "{} [{}] {}\n", rule.id, rule.severity.as_str(), rule.title).map_err(write_error)?;
                writeln!(out, "Source: {}\n  \"{}\"\n", rule.sop, rule.source).map_err(write_error)?;
                writeln!(out, "How escalint reads it:\n  {}\n", rule.explanation).map_err(write_error)?;
                if let Some(v) = example {
                    writeln!(
                        out,
                        "Example finding:\n  {} {} at {}: {}{}",
                        v.rule,
                        v.severity.as_str(),
                        if v.path.is_empty() { "(case)" } else { &v.path },
                        v.message,
                        v.hint.map(|h| format!("\n  hint: {h}")).unwrap_or_default()
                    )
                    .map_err(write_error)?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Edit distance on ids, for "did you mean".
fn strsim_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.to_ascii_uppercase(), b.to_ascii_uppercase());
    let prefix = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    a.len().max(b.len()) - prefix
}
