//! Print the three answers for a case file: `cargo run -p escalint --example judge FILE [NOW]`.
fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: judge FILE [NOW]");
        std::process::exit(2);
    };
    let text = std::fs::read(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2)
    });
    let now = args.next().map(|n| {
        escalint::parse_now(&n).unwrap_or_else(|e| {
            eprintln!("{e}");
            std::process::exit(2)
        })
    });
    let engine = escalint::Engine::new();
    println!("{}", serde_json::to_string_pretty(&engine.validate(&text, now)).unwrap());
    println!("{}", serde_json::to_string_pretty(&engine.next_steps(&text, now)).unwrap());
    println!("{}", serde_json::to_string_pretty(&engine.can_close(&text, None, now)).unwrap());
}
