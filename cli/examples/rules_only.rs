//! The part of the whole run after reading: every case of a JSON Lines file is read into the
//! typed record first (not timed), then validated and serialised to JSON Lines (timed), so the
//! rules, the report and its JSON can be measured without the reading.
//!
//! ```sh
//! cargo run --release -p escalint-cli --example rules_only -- history.jsonl [NOW] [ROUNDS]
//! ```

use std::io::{BufRead, BufReader, Write};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: rules_only FILE.jsonl [NOW] [ROUNDS]");
        std::process::exit(2);
    };
    let now = Some(
        escalint::parse_now(args.get(1).map_or("2026-11-25T12:00:00-05:00", String::as_str)).expect("NOW is RFC 3339"),
    );
    let rounds: u32 = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(1);
    let engine = escalint::Engine::new();
    let file = std::fs::File::open(path).expect("the history file");
    let parsed: Vec<_> =
        BufReader::new(file).split(b'\n').filter_map(|line| engine.read(line.expect("readable")).ok()).collect();
    eprintln!("{} cases read", parsed.len());
    let mut out = Vec::with_capacity(1 << 20);
    let (mut validate, mut serialise, mut bytes) = (std::time::Duration::ZERO, std::time::Duration::ZERO, 0usize);
    for _ in 0..rounds {
        for p in &parsed {
            let start = Instant::now();
            let report = engine.validate(p, now);
            let mid = Instant::now();
            serde_json::to_writer(&mut out, &report).expect("reports serialise");
            out.push(b'\n');
            drop(report);
            let end = Instant::now();
            validate += mid - start;
            serialise += end - mid;
            if out.len() > 1 << 20 {
                bytes += out.len();
                std::io::sink().write_all(&out).expect("sink");
                out.clear();
            }
        }
    }
    bytes += out.len();
    let n = parsed.len() as u32 * rounds;
    eprintln!(
        "validate {:?} ({:?}/case), serialise {:?} ({:?}/case), {bytes} bytes",
        validate,
        validate / n,
        serialise,
        serialise / n
    );
}
