//! The Rust figures for bindings-python/bench/bench.py: per-call time of the core on one
//! record (JSON text and parsed value), and the parallel throughput of validating a JSON Lines
//! history with rayon over every core (what `validate_many` and the CLI do).
//!
//! ```text
//! cargo run -p escalint-python --release --example timing -- RECORD.json HISTORY.jsonl NOW [BUDGET_MS]
//! ```
//! Prints one JSON object: {"validate_json_us", "validate_value_us", "parallel_cases_per_s"}.
//! BUDGET_MS (default 1500): the time spent on each per-call figure.

use std::time::{Duration, Instant};

use escalint::{parse_now, Engine};
use rayon::prelude::*;

/// The allocator of the wheel (and of the CLI), so the two sides are compared like for like.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Run `f` repeatedly for about `budget`, in ten rounds; the mean time per call in µs of the
/// fastest round (the machine is shared: slower rounds measure the neighbours).
fn per_call(budget: Duration, mut f: impl FnMut()) -> f64 {
    for _ in 0..200 {
        f();
    }
    let mut best = f64::INFINITY;
    for _ in 0..10 {
        let (start, mut calls) = (Instant::now(), 0u64);
        while start.elapsed() < budget / 10 {
            for _ in 0..100 {
                f();
            }
            calls += 100;
        }
        best = best.min(start.elapsed().as_secs_f64() * 1e6 / calls as f64);
    }
    best
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (record, history, now, budget_ms) = match args.as_slice() {
        [record, history, now] => (record, history, now, 1500),
        [record, history, now, budget] if budget.parse::<u64>().is_ok_and(|b| b > 0) => {
            (record, history, now, budget.parse().unwrap_or(1500))
        }
        _ => {
            eprintln!("usage: timing RECORD.json HISTORY.jsonl NOW [BUDGET_MS]");
            std::process::exit(2);
        }
    };
    let engine = Engine::new();
    let now = Some(parse_now(now).expect("NOW"));
    let text = std::fs::read_to_string(record).expect("read RECORD");
    let value: serde_json::Value = serde_json::from_str(&text).expect("RECORD is JSON");
    let budget = Duration::from_millis(budget_ms);
    let json_us = per_call(budget, || {
        std::hint::black_box(engine.validate(std::hint::black_box(&text), now));
    });
    let value_us = per_call(budget, || {
        std::hint::black_box(engine.validate(std::hint::black_box(&value), now));
    });
    let lines: Vec<String> =
        std::fs::read_to_string(history).expect("read HISTORY").lines().map(str::to_string).collect();
    let mut best = 0f64;
    for _ in 0..3 {
        let start = Instant::now();
        let reports: Vec<_> = lines.par_iter().map(|l| engine.validate(l, now)).collect();
        std::hint::black_box(reports);
        best = best.max(lines.len() as f64 / start.elapsed().as_secs_f64());
    }
    println!(
        "{{\"validate_json_us\": {json_us:.3}, \"validate_value_us\": {value_us:.3}, \"parallel_cases_per_s\": {best:.0}, \"threads\": {}}}",
        rayon::current_num_threads()
    );
}
