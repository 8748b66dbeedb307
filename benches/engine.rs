//! Criterion benchmarks of one case through the core API: reading JSON into the typed record,
//! validate, next_steps and can_close, for a clean and a broken case of every procedure
//! (the example cases in examples/cases/).
//!
//! ```sh
//! cargo bench -p escalint --bench engine
//! ```

use std::path::Path;

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use escalint::{parse_now, Engine};

const CASES: [&str; 6] = [
    "field_management_support/clean.json",
    "field_management_support/broken-market-manager-before-servicer.json",
    "installs_escalation/clean.json",
    "installs_escalation/broken-reason-of-another-party.json",
    "area_manager_exception/clean.json",
    "leadership_request/clean.json",
];

fn load(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/cases").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn single_case(c: &mut Criterion) {
    let engine = Engine::new();
    let now = Some(parse_now("2026-11-25T12:00:00-05:00").expect("now"));
    for name in CASES {
        let text = load(name);
        let label = name.trim_end_matches(".json");
        let mut group = c.benchmark_group(label);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(BenchmarkId::new("read", "json"), |b| b.iter(|| engine.read(black_box(&text)).is_ok()));
        group.bench_function(BenchmarkId::new("validate", "json"), |b| {
            b.iter(|| engine.validate(black_box(&text), now))
        });
        group.bench_function(BenchmarkId::new("next_steps", "json"), |b| {
            b.iter(|| engine.next_steps(black_box(&text), now))
        });
        group.bench_function(BenchmarkId::new("can_close", "json"), |b| {
            b.iter(|| engine.can_close(black_box(&text), None, now))
        });
        // The rules alone, on a record already read.
        if let Ok(parsed) = engine.read(&text) {
            group.bench_function(BenchmarkId::new("validate", "typed"), |b| {
                b.iter(|| engine.validate(black_box(&parsed), now))
            });
            group.bench_function(BenchmarkId::new("next_steps", "typed"), |b| {
                b.iter(|| engine.next_steps(black_box(&parsed), now))
            });
            group.bench_function(BenchmarkId::new("can_close", "typed"), |b| {
                b.iter(|| engine.can_close(black_box(&parsed), None, now))
            });
        }
        group.finish();
    }
}

criterion_group!(benches, single_case);
criterion_main!(benches);
