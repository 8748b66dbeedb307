//! Profiling aid: validate one case N times. `cargo run --release -p escalint --example loop FILE N`
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let text = std::fs::read(&args[1]).expect("case file");
    let n: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let engine = escalint::Engine::new();
    let mut violations = 0;
    let start = std::time::Instant::now();
    for _ in 0..n {
        violations += engine.validate(&text, None).violations.len();
    }
    eprintln!("{n} calls, {violations} violations, {:?} per call", start.elapsed() / n as u32);
}
