//! Command line: parse, dispatch, map the result to an exit code. See `jixiao --help`.

use jixiao::cmd::{self, args::Command};
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    cmd::tune_allocator();
    jixiao::timing::start();
    let command = match cmd::args::parse(std::env::args_os().skip(1)) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("错误：{e}");
            return ExitCode::from(2);
        }
    };
    let result = match command {
        Command::Help(text) => say(text),
        Command::Version => say(&format!("jixiao {}", env!("CARGO_PKG_VERSION"))),
        Command::Run(paths) => cmd::run::run(&paths),
        Command::Check(paths) => cmd::check::run(&paths),
        Command::Diff(a, b) => cmd::diff::run(&a, &b),
        Command::Init { input, force } => cmd::init::run(&input, force),
    };
    match result {
        Ok(code) => ExitCode::from(code as u8),
        // A closed pipe (`jixiao diff A B | head -1`) is a normal end.
        Err(e) if cmd::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误：{e:#}");
            ExitCode::from(2)
        }
    }
}

fn say(text: &str) -> anyhow::Result<i32> {
    writeln!(std::io::stdout().lock(), "{text}")?;
    Ok(0)
}
