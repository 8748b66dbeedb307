//! Single-case benchmarks of the core: JSON text in, report out (what every surface does).
//! `cargo bench -p escalint --bench engine`

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use escalint::{parse_now, Engine};

fn case(path: &str) -> String {
    let full = format!("{}/../examples/cases/{path}", env!("CARGO_MANIFEST_DIR"));
    let value: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&full).expect("example case")).expect("json");
    value.to_string()
}

fn benches(c: &mut Criterion) {
    let engine = Engine::new();
    let fms = case("field_management_support/clean.json");
    let installs = case("installs_escalation/broken-reason-of-another-party.json");
    let open_fms = {
        let mut v: serde_json::Value = serde_json::from_str(&fms).unwrap();
        v["closing"] = serde_json::Value::Null;
        v.to_string()
    };
    let now = Some(parse_now("2026-11-21T12:00:00-05:00").unwrap());

    c.bench_function("parse_only/fms_case", |b| b.iter(|| engine.read_json(black_box(&fms)).map(|p| p.record.events.len())));
    c.bench_function("validate/fms_case", |b| b.iter(|| engine.validate_json(black_box(&fms), None).to_json()));
    c.bench_function("validate/installs_case_with_violation", |b| b.iter(|| engine.validate_json(black_box(&installs), None).to_json()));
    c.bench_function("next_steps/open_fms_case", |b| b.iter(|| engine.next_steps_json(black_box(&open_fms), now).to_json()));
    c.bench_function("can_close/fms_case", |b| b.iter(|| engine.can_close_json(black_box(&fms), None, None).to_json()));
}

criterion_group! {
    name = engine;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3)).warm_up_time(std::time::Duration::from_secs(1));
    targets = benches
}
criterion_main!(engine);
