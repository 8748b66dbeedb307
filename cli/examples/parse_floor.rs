//! The parse-only floor of the whole-run benchmark: the same JSON Lines file, read line by line
//! on one thread and parsed into the typed record (serde_json, then the record reader), with no
//! rules run and nothing written but a count. escalint validate cannot be faster than this.
//!
//! ```sh
//! cargo run --release -p escalint-cli --example parse_floor -- history.jsonl
//! ```

use std::io::{BufRead, BufReader};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: parse_floor FILE.jsonl");
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
        match engine.read_json(&line) {
            Ok(parsed) => {
                read += 1;
                events += parsed.record.events.len();
            }
            Err(_) => unreadable += 1,
        }
    }
    println!("parsed {read} cases ({events} events), {unreadable} unreadable lines");
}
