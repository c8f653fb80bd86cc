//! Command line: parse, dispatch, map the result to an exit code. See `jixiao --help`.

use jixiao::cmd::{self, Paths};
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "用法：
  jixiao [run] [--input 目录] [--output 目录] [--config 文件]   生成报表（默认 input/ → output/）
  jixiao check [--input 目录] [--config 文件]                  只检查输入，不写文件
  jixiao diff A.xlsx B.xlsx                                   逐单元格比较两个工作簿";

fn parse(args: &[String]) -> Result<(String, Paths, Vec<String>), String> {
    let (cmd, rest) = match args.first().map(String::as_str) {
        Some(c @ ("run" | "check" | "diff")) => (c.to_string(), &args[1..]),
        _ => ("run".to_string(), args),
    };
    let (mut paths, mut free) = (Paths::default(), Vec::new());
    let mut it = rest.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .map(PathBuf::from)
                .ok_or(format!("{name} 后面缺少路径"))
        };
        match a.as_str() {
            "--input" | "-i" if cmd != "diff" => paths.input = Some(value(a)?),
            "--output" | "-o" if cmd == "run" => paths.output = Some(value(a)?),
            "--config" | "-c" if cmd != "diff" => paths.config = Some(value(a)?),
            s if s.starts_with('-') => return Err(format!("未知的选项“{s}”")),
            s if cmd == "diff" => free.push(s.to_string()),
            s => return Err(format!("多余的参数“{s}”")),
        }
    }
    if cmd == "diff" && free.len() != 2 {
        return Err("diff 需要两个工作簿".into());
    }
    Ok((cmd, paths, free))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let result = match parse(&args) {
        Err(e) => Err(anyhow::anyhow!("{e}\n{USAGE}")),
        Ok((c, paths, _)) if c == "check" => cmd::check::run(&paths),
        Ok((c, _, files)) if c == "diff" => cmd::diff::run(files[0].as_ref(), files[1].as_ref()),
        Ok((_, paths, _)) => cmd::run::run(&paths),
    };
    match result {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => {
            eprintln!("错误：{e:#}");
            ExitCode::from(2)
        }
    }
}
