//! The parse-only floor of the whole-run benchmark: the same JSON Lines file, read line by line
//! on one thread and parsed into the typed record (serde_json, then the record reader), with no
//! rules run and nothing written but a count. escalint validate cannot be faster than this.
//!
//! ```sh
//! cargo run --release -p escalint-cli --example parse_floor -- history.jsonl
//! ```

use std::io::{BufRead, BufReader};

/// The allocator of the `escalint` binary, so that the floor is read like for like.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // --value-only: stop at serde_json::Value (no typed record), a lower floor still.
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value_only = args.iter().any(|a| a == "--value-only");
    let Some(path) = args.iter().find(|a| !a.starts_with("--")).cloned() else {
        eprintln!("usage: parse_floor [--value-only] FILE.jsonl");
        std::process::exit(2);
    };
    let file = std::fs::File::open(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2)
    });
    let engine = escalint::Engine::new();
    let mut reader = BufReader::with_capacity(1 << 16, file);
    let mut line = Vec::new();
    let (mut read, mut unreadable, mut events) = (0u64, 0u64, 0usize);
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                eprintln!("{path}: {e}");
                std::process::exit(2)
            }
        }
        if value_only {
            match serde_json::from_slice::<serde_json::Value>(&line) {
                Ok(v) => {
                    read += 1;
                    events += v.get("events").and_then(|e| e.as_array()).map_or(0, |e| e.len());
                }
                Err(_) => unreadable += 1,
            }
            continue;
        }
        match engine.read(&line) {
            Ok(parsed) => {
                read += 1;
                events += parsed.record.events.len();
            }
            Err(_) => unreadable += 1,
        }
    }
    println!("parsed {read} cases ({events} events), {unreadable} unreadable lines");
}
