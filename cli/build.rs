//! Embeds each rule's breaking fixture (tests/fixtures/rules/<RULE>.break.json) so that
//! `escalint rules ID` can show a real finding of that rule, computed by the engine.
use std::fmt::Write;
use std::path::PathBuf;

fn main() {
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("../tests/fixtures/rules");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut entries: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| {
                    let name = e.file_name().to_string_lossy().to_string();
                    name.strip_suffix(".break.json").map(|id| (id.to_string(), e.path().canonicalize().unwrap()))
                })
                .collect()
        })
        .unwrap_or_default();
    entries.sort();
    let mut code = String::from("/// Each rule's breaking fixture.\npub static RULE_EXAMPLES: &[(&str, &str)] = &[\n");
    for (id, path) in entries {
        let _ = writeln!(code, "    ({id:?}, include_str!({:?})),", path.display().to_string());
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("rule_examples.rs");
    std::fs::write(out, code).unwrap();
}
