//! Settings from a config file: `escalint.toml`, or `[tool.escalint]` in `pyproject.toml`, in
//! the current directory or the nearest parent that has one (as ruff finds its settings).
//! Command-line flags win over the file; `escalint config` shows what is in effect and where
//! each setting came from.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::exit::Failure;
use crate::output::Format;

/// The keys a config file may set.
const KEYS: &[&str] = &["policy", "select", "ignore", "map", "format"];

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Nothing set it.
    Default,
    /// A command-line flag.
    Flag(&'static str),
    /// A config file.
    File(PathBuf),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Default => write!(f, "default"),
            Origin::Flag(flag) => write!(f, "{flag}"),
            Origin::File(path) => write!(f, "{}", path.display()),
        }
    }
}

/// A setting and its origin.
#[derive(Debug, Clone)]
pub struct Setting<T> {
    pub value: T,
    pub origin: Origin,
}

impl<T> Setting<T> {
    fn default(value: T) -> Self {
        Setting { value, origin: Origin::Default }
    }
}

/// The settings in effect.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The config file found, if any.
    pub file: Option<PathBuf>,
    pub policy: Setting<Option<PathBuf>>,
    pub select: Setting<Vec<String>>,
    pub ignore: Setting<Vec<String>>,
    pub map: Setting<Option<PathBuf>>,
    pub format: Setting<Format>,
}

/// The command-line side of the settings.
#[derive(Debug, Default, Clone)]
pub struct Flags {
    pub policy: Option<PathBuf>,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub map: Option<PathBuf>,
    pub format: Option<Format>,
}

/// The nearest config file from `start` upwards: `escalint.toml`, else a `pyproject.toml` with
/// a `[tool.escalint]` table; with its settings table.
fn find(start: &Path) -> Result<Option<(PathBuf, toml::Table)>, Failure> {
    for dir in start.ancestors() {
        let own = dir.join("escalint.toml");
        if own.is_file() {
            return Ok(Some((own.clone(), read_table(&own)?)));
        }
        let pyproject = dir.join("pyproject.toml");
        if pyproject.is_file() {
            let mut table = read_table(&pyproject)?;
            if let Some(toml::Value::Table(tool)) = table.remove("tool") {
                if let Some(value) = tool.get("escalint") {
                    let toml::Value::Table(settings) = value else {
                        return Err(Failure::fatal(format!(
                            "{}: [tool.escalint] must be a table",
                            pyproject.display()
                        )));
                    };
                    return Ok(Some((pyproject, settings.clone())));
                }
            }
        }
    }
    Ok(None)
}

fn read_table(path: &Path) -> Result<toml::Table, Failure> {
    let text =
        std::fs::read_to_string(path).map_err(|e| Failure::fatal(format!("cannot read {}: {e}", path.display())))?;
    toml::from_str(&text).map_err(|e| Failure::fatal(format!("{}: not valid TOML: {e}", path.display())))
}

impl Settings {
    /// The settings for a run from the current directory: the config file's, then `flags`.
    pub fn load(flags: &Flags) -> Result<Settings, Failure> {
        let cwd = std::env::current_dir().map_err(|e| Failure::fatal(format!("no current directory: {e}")))?;
        Self::load_from(&cwd, flags)
    }

    /// As [`load`](Self::load), searching from `start`.
    pub fn load_from(start: &Path, flags: &Flags) -> Result<Settings, Failure> {
        let mut s = Settings {
            file: None,
            policy: Setting::default(None),
            select: Setting::default(Vec::new()),
            ignore: Setting::default(Vec::new()),
            map: Setting::default(None),
            format: Setting::default(Format::Text),
        };
        if let Some((path, table)) = find(start)? {
            s.apply_file(&path, &table)?;
            s.file = Some(path);
        }
        if let Some(p) = &flags.policy {
            s.policy = Setting { value: Some(p.clone()), origin: Origin::Flag("--policy") };
        }
        if !flags.select.is_empty() {
            s.select = Setting { value: flags.select.clone(), origin: Origin::Flag("--select") };
        }
        if !flags.ignore.is_empty() {
            s.ignore = Setting { value: flags.ignore.clone(), origin: Origin::Flag("--ignore") };
        }
        if let Some(m) = &flags.map {
            s.map = Setting { value: Some(m.clone()), origin: Origin::Flag("--map") };
        }
        if let Some(f) = flags.format {
            s.format = Setting { value: f, origin: Origin::Flag("--format") };
        }
        Ok(s)
    }

    fn apply_file(&mut self, path: &Path, table: &toml::Table) -> Result<(), Failure> {
        let at = |key: &str, what: &str| Failure::fatal(format!("{}: `{key}` must be {what}", path.display()));
        let origin = Origin::File(path.to_path_buf());
        // Paths in the file are relative to the file's directory.
        let base = path.parent().unwrap_or(Path::new("."));
        for (key, value) in table {
            match key.as_str() {
                "policy" | "map" => {
                    let text = value.as_str().ok_or_else(|| at(key, "a path"))?;
                    let setting = Setting { value: Some(base.join(text)), origin: origin.clone() };
                    if key == "policy" {
                        self.policy = setting;
                    } else {
                        self.map = setting;
                    }
                }
                "select" | "ignore" => {
                    let list = value
                        .as_array()
                        .and_then(|a| a.iter().map(|v| v.as_str().map(str::to_string)).collect::<Option<Vec<_>>>())
                        .ok_or_else(|| at(key, "a list of rule ids or prefixes, e.g. [\"CL\", \"TM001\"]"))?;
                    let setting = Setting { value: list, origin: origin.clone() };
                    if key == "select" {
                        self.select = setting;
                    } else {
                        self.ignore = setting;
                    }
                }
                "format" => {
                    let text = value.as_str().ok_or_else(|| at(key, "text, jsonl, json or csv"))?;
                    let format =
                        clap::ValueEnum::from_str(text, true).map_err(|_| at(key, "one of text, json, jsonl, csv"))?;
                    self.format = Setting { value: format, origin: origin.clone() };
                }
                other => {
                    let closest = KEYS.iter().min_by_key(|k| strsim::levenshtein(k, other)).unwrap_or(&"select");
                    return Err(Failure::fatal(format!(
                        "{}: unknown setting `{other}`; did you mean `{closest}`? (settings: {})",
                        path.display(),
                        KEYS.join(", ")
                    )));
                }
            }
        }
        Ok(())
    }

    /// The rule selection in effect.
    pub fn selection(&self) -> Result<escalint::selection::RuleSelection, Failure> {
        escalint::selection::RuleSelection::new(&self.select.value, &self.ignore.value).map_err(|e| {
            let origin = if e.0.starts_with("select") { &self.select.origin } else { &self.ignore.origin };
            Failure::fatal(format!("{e} (from {origin})"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_file_is_found_and_flags_win() {
        let dir = tempfile::tempdir().unwrap();
        let deep = dir.path().join("a/b");
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::write(dir.path().join("pyproject.toml"), "[tool.escalint]\nselect = [\"TM\"]\n").unwrap();
        let s = Settings::load_from(&deep, &Flags::default()).unwrap();
        assert_eq!(s.select.value, ["TM"]);
        assert_eq!(s.select.origin, Origin::File(dir.path().join("pyproject.toml")));
        std::fs::write(dir.path().join("a/escalint.toml"), "select = [\"CL\"]\nmap = \"m.toml\"\nformat = \"csv\"\n")
            .unwrap();
        let flags = Flags { ignore: vec!["CL007".into()], format: Some(Format::Jsonl), ..Flags::default() };
        let s = Settings::load_from(&deep, &flags).unwrap();
        assert_eq!(s.select.value, ["CL"]);
        assert_eq!(s.map.value, Some(dir.path().join("a/m.toml")), "relative to the file");
        assert_eq!(
            (s.ignore.value.clone(), s.ignore.origin.clone()),
            (vec!["CL007".to_string()], Origin::Flag("--ignore"))
        );
        assert_eq!(s.format.value, Format::Jsonl);
        std::fs::write(dir.path().join("a/escalint.toml"), "selct = [\"CL\"]\n").unwrap();
        let Err(Failure::Fatal(e)) = Settings::load_from(&deep, &Flags::default()) else { panic!("accepted") };
        assert!(e.contains("did you mean `select`"), "{e}");
    }
}
