//! One file per subcommand: `run`, `check`, `diff`.
pub mod check;
pub mod diff;
pub mod run;

use std::path::PathBuf;

/// The options `run` and `check` share.
#[derive(Debug, Clone, Default)]
pub struct Paths {
    pub input: Option<PathBuf>,
    pub output: Option<PathBuf>,
    pub config: Option<PathBuf>,
}

impl Paths {
    pub fn input(&self) -> PathBuf {
        self.input.clone().unwrap_or_else(|| PathBuf::from("input"))
    }
    pub fn output(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| PathBuf::from("output"))
    }
    /// `--config`, by default `jixiao.toml` in the input folder.
    pub fn config(&self) -> PathBuf {
        self.config
            .clone()
            .unwrap_or_else(|| self.input().join("jixiao.toml"))
    }
}

/// Prints every problem to stderr, errors first, and a count line.
pub fn print_problems(o: &crate::pipeline::Outcome) {
    let errors: Vec<_> = o.errors().collect();
    let warnings: Vec<_> = o.warnings().collect();
    for w in &warnings {
        eprintln!("警告：{w}");
    }
    for e in &errors {
        eprintln!("错误：{e}");
    }
    if !errors.is_empty() {
        eprintln!("共 {} 个错误、{} 个警告。", errors.len(), warnings.len());
    } else if !warnings.is_empty() {
        eprintln!("共 {} 个警告。", warnings.len());
    }
}
