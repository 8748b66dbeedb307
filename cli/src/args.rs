//! The command line: every command and flag, with the help text they show. `--help` and
//! docs/cli.md are both made from these definitions.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::output::{Format, SummaryFormat};

const EXAMPLES: &str = "\
Examples:
  escalint validate history.jsonl                 findings and a summary
  escalint validate --format csv history.jsonl > findings.csv
  escalint validate -q --by month,servicer,rule history.jsonl
  escalint validate --by region --summary-format csv history.jsonl > regions.csv
  escalint report history.jsonl -o audit.html
  escalint validate --jobs 1 --now 2026-11-22T12:00:00-05:00 cases/
  cat export.json | escalint validate --format jsonl -
  escalint next-steps case.json
  escalint can-close --proposal closing.json case.json
  escalint rules CL005
  escalint validate --select CL --map closings.map.toml closings.csv
  escalint import --map tickets.map.toml --events events.csv tickets.csv > cases.jsonl
  escalint config                                 the settings in effect and where they come from

Exit status: 0 every case valid, 1 some case has an error, 2 usage or I/O error.";

const VALIDATE_EXAMPLES: &str = "\
Examples:
  escalint validate examples/                     every case file under examples/
  escalint validate -q history.jsonl              only the summary
  escalint validate --format csv history.jsonl > findings.csv
  escalint validate --format jsonl --jobs 1 - < export.json
  escalint validate --now 2026-11-22T12:00:00-05:00 case.json

Exit status: 0 every case valid, 1 some case has an error, 2 usage or I/O error.";

/// `escalint`.
#[derive(Parser)]
#[command(name = "escalint", version, about = "Checks home-services escalation cases against their procedures.", after_help = EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The flags every question takes.
#[derive(clap::Args, Clone)]
pub struct Common {
    /// Judge as of this time (RFC 3339 with offset); default: a closed case's closing time,
    /// else the current time.
    #[arg(long, value_name = "T")]
    pub now: Option<String>,
    /// Policy JSON file (one policy, a list of versions, or {"policies": [...]}); default:
    /// the embedded policy.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    #[command(flatten)]
    pub rules: RuleFlags,
    #[command(flatten)]
    pub table: TableFlags,
}

/// Which rules run (also `select`/`ignore` in escalint.toml or [tool.escalint]).
#[derive(clap::Args, Clone, Default)]
pub struct RuleFlags {
    /// Run only these rules: ids or prefixes, comma-separated (CL, TM00, CL005). The record
    /// rules (REC) always run unless ignored.
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Do not run these rules: ids or prefixes, comma-separated. The most specific of
    /// --select and --ignore decides.
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub ignore: Vec<String>,
}

/// Reading tables (CSV) as cases through a mapping (docs/exports.md).
#[derive(clap::Args, Clone, Default)]
pub struct TableFlags {
    /// A mapping (TOML) from the CSV tables given as input to cases.
    #[arg(long, value_name = "MAP.toml")]
    pub map: Option<PathBuf>,
    /// The events table (CSV, one row per event, in any order), with --map.
    #[arg(long, value_name = "EVENTS.csv", requires = "map")]
    pub events: Option<PathBuf>,
}

/// `escalint validate`.
#[derive(clap::Args)]
#[command(after_help = VALIDATE_EXAMPLES)]
pub struct Validate {
    #[command(flatten)]
    pub common: Common,
    /// Output format: text (findings and a summary), json (an array of reports), jsonl
    /// (one report per input case, in input order, each naming its source), csv (one row per
    /// violation). Default: text, or `format` of the config file.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Worker threads (default: every core).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Text format: print only the summary (refused with a machine format: the reports are
    /// the output).
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Never show a progress bar (it only shows on a terminal for large inputs).
    #[arg(long)]
    pub no_progress: bool,
    /// Follow symbolic links inside directories (not followed by default; a link that loops
    /// back is reported and skipped; no file is read twice either way).
    #[arg(long, short = 'L')]
    pub follow: bool,
    #[command(flatten)]
    pub breakdowns: Breakdowns,
    /// Case files (JSON Lines, a JSON array or JSON objects), directories (every *.json,
    /// *.jsonl, *.ndjson inside, in path order) or - for standard input; default: standard input.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

/// The summary's breakdowns (`validate --by`).
#[derive(clap::Args, Clone)]
pub struct Breakdowns {
    /// Break the summary down by any of month, week, procedure, rule, servicer, region,
    /// closer, responsibility, reason (comma-separated; month and week of the local opening
    /// date): cases, cases with errors, the error rate and the most frequent rules, each.
    #[arg(long, value_name = "DIMS", value_delimiter = ',', value_parser = escalint::summary::Dimension::parse)]
    pub by: Vec<escalint::summary::Dimension>,
    /// How the summary is written: text (after the findings), or its tables alone as csv or
    /// json (instead of the findings).
    #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
    pub summary_format: SummaryFormat,
    /// Keys listed per breakdown, most cases first (the rest are counted as "(other)";
    /// months and weeks are all listed).
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub top: usize,
}

/// `escalint report`.
#[derive(clap::Args)]
pub struct Report {
    #[command(flatten)]
    pub common: Common,
    /// The HTML file to write.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: PathBuf,
    /// Worker threads (default: every core).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Keys listed per breakdown, most cases first (the rest are counted as "(other)").
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub top: usize,
    /// Worst cases listed in the drill-down.
    #[arg(long, value_name = "N", default_value_t = 200)]
    pub worst: usize,
    /// Never show a progress bar.
    #[arg(long)]
    pub no_progress: bool,
    /// Follow symbolic links inside directories (not followed by default; a link that loops
    /// back is reported and skipped; no file is read twice either way).
    #[arg(long, short = 'L')]
    pub follow: bool,
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

/// `escalint next-steps`.
#[derive(clap::Args)]
pub struct NextSteps {
    #[command(flatten)]
    pub common: Common,
    /// A case file (a JSON object, JSON Lines or a JSON array), or - for standard input.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

/// `escalint can-close`.
#[derive(clap::Args)]
pub struct CanClose {
    #[command(flatten)]
    pub common: Common,
    /// A proposed closing (JSON object as in the record's "closing").
    #[arg(long, value_name = "FILE")]
    pub proposal: Option<PathBuf>,
    /// A case file (a JSON object, JSON Lines or a JSON array), or - for standard input.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

/// `escalint rules`.
#[derive(clap::Args)]
pub struct Rules {
    /// A rule id, e.g. CL005.
    pub rule: Option<String>,
    /// Mark the rules --select/--ignore (or the config file) would not run.
    #[command(flatten)]
    pub selection: RuleFlags,
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `escalint policy`.
#[derive(clap::Args)]
pub struct Policy {
    /// Policy JSON file to check and print normalised; default: the embedded policy.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
}

/// `escalint import`.
#[derive(clap::Args)]
pub struct Import {
    /// The mapping (TOML) from the table to cases; default: `map` of the config file.
    #[arg(long, value_name = "MAP.toml")]
    pub map: Option<PathBuf>,
    /// The events table (CSV, one row per event, in any order).
    #[arg(long, value_name = "EVENTS.csv")]
    pub events: Option<PathBuf>,
    /// The cases table (CSV, one row per case), or - for standard input.
    #[arg(value_name = "CASES.csv")]
    pub file: PathBuf,
}

/// `escalint config`.
#[derive(clap::Args)]
pub struct Config {
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    #[command(flatten)]
    pub rules: RuleFlags,
    #[arg(long, value_name = "MAP.toml")]
    pub map: Option<PathBuf>,
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

/// The commands.
#[derive(Subcommand)]
pub enum Command {
    /// Validate cases: JSON Lines, JSON arrays or single JSON objects; files, directories
    /// (every *.json, *.jsonl, *.ndjson inside) or - for standard input.
    Validate(Validate),
    /// What must the agent do next, and by when? One report per case in FILE.
    NextSteps(NextSteps),
    /// May the case close? Judges --proposal, else the case's own closing.
    CanClose(CanClose),
    /// The rule catalogue, or one rule explained with its SOP text and an example.
    Rules(Rules),
    /// Print the policy in force (the embedded one, or --policy FILE checked and normalised).
    Policy(Policy),
    /// Write a self-contained HTML audit report of the cases (headline, trend, rules,
    /// breakdowns worst first, timeliness, the worst cases): one file, no network at view time.
    Report(Report),
    /// Write the cases of a CSV export (read through --map) as JSON Lines.
    Import(Import),
    /// The settings in effect (escalint.toml or [tool.escalint] in pyproject.toml, found in
    /// the current directory or its parents, and the flags) and where each came from.
    Config(Config),
}
