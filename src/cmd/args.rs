//! The command line, parsed once into a [`Command`]. Arguments are read as `OsString` (a path
//! need not be UTF-8); options take their value as `--input DIR`, `--input=DIR` or `-i DIR`.
//! Each subcommand has its own `--help`, in Chinese.

use crate::cmd::Paths;
use std::ffi::OsString;
use std::path::PathBuf;

/// What the user asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Run(Paths),
    Check(Paths),
    Diff(PathBuf, PathBuf),
    Init {
        input: PathBuf,
        force: bool,
    },
    /// Print this text and exit 0.
    Help(&'static str),
    Version,
}

pub const USAGE: &str = "jixiao（绩效）：由预算管理一体化系统的导出表生成部门整体支出绩效自评报表

用法：
  jixiao [run] [--input 目录] [--output 目录] [--config 文件]   生成报表（默认 input/ → output/）
  jixiao check [--input 目录] [--config 文件]                  只检查输入，不写文件
  jixiao init  [--input 目录] [--force]                        根据导出表起草 jixiao.toml
  jixiao diff  A.xlsx B.xlsx                                   逐单元格比较两个工作簿
  jixiao --version                                             显示版本

各子命令的说明：jixiao 子命令 --help（如 jixiao init --help）";

const RUN_HELP: &str = "jixiao run：读取输入文件夹中的支出明细、预算指标、绩效指标导出表，生成报表

用法：jixiao run [--input 目录] [--output 目录] [--config 文件]

  -i, --input 目录    导出表所在文件夹（默认 input）
  -o, --output 目录   输出文件夹（默认 output）
  -c, --config 文件   配置文件（默认为输入文件夹中的 jixiao.toml）

输出：{年度}年度{部门}部门整体支出绩效自评表.xlsx、{年度}年度{部门}部门整体支出绩效自评报告（初稿）.docx、
      {年度}年度项目支出绩效自评表.xlsx、{年度}年度核对底稿.xlsx、{年度}年度支出明细.csv
多个部门：输入文件夹本身没有 jixiao.toml、下面的部门文件夹各有一个时，逐个部门处理，结果写在
      输出文件夹/{部门文件夹}/，另写 {年度}年度部门整体支出绩效自评汇总表.xlsx；任一部门有错误时退出码为 1
退出码：0 完成（可能有警告）；1 输入有错误（只写核对底稿和明细，不写报表）；2 用法或配置错误";

const CHECK_HELP: &str = "jixiao check：只检查输入文件夹，不写任何文件

用法：jixiao check [--input 目录] [--config 文件]

  -i, --input 目录    导出表所在文件夹（默认 input）
  -c, --config 文件   配置文件（默认为输入文件夹中的 jixiao.toml）

退出码：0 可以生成报表；1 输入有错误；2 用法或配置错误";

const INIT_HELP: &str = "jixiao init：根据输入文件夹中的导出表起草配置文件 jixiao.toml

用法：jixiao init [--input 目录] [--force]

  -i, --input 目录    导出表所在文件夹（默认 input）
      --force         已有 jixiao.toml 时，先改名为 jixiao.toml.bak 再写新的

起草的内容：年度、部门名称（从表头标题中找）、每个单位（名称、编码、项目顺序）；
导出表中未带编码的简称作为注释中的别名列出，请核对后去掉行首的 #。
已有 jixiao.toml 时不覆盖（退出码 2），除非使用 --force。";

const DIFF_HELP: &str = "jixiao diff：逐单元格比较两个工作簿

用法：jixiao diff A.xlsx B.xlsx

退出码：0 相同；1 不同；2 文件无法读取";

/// “Unknown subcommand”, with the closest one when one is near (`rnu` → `run`).
fn unknown_subcommand(word: &str) -> String {
    let typed: Vec<char> = word.chars().collect();
    let near = ["run", "check", "init", "diff", "help"]
        .iter()
        .map(|s| {
            let c: Vec<char> = s.chars().collect();
            (crate::stages::normalise::edit_distance(&typed, &c), *s)
        })
        .filter(|(d, _)| *d <= 2)
        .min();
    match near {
        Some((_, s)) => format!("未知的子命令“{word}”，是否要用“{s}”？\n\n{USAGE}"),
        None => format!("未知的子命令“{word}”\n\n{USAGE}"),
    }
}

/// The options of a subcommand.
fn options(sub: &str) -> &'static [&'static str] {
    match sub {
        "run" => &["--input", "--output", "--config", "--help", "--version"],
        "check" => &["--input", "--config", "--help", "--version"],
        "init" => &["--input", "--force", "--help", "--version"],
        _ => &["--help", "--version"],
    }
}

/// “Unknown option”, with the closest option of the subcommand when one is near (`--inptu` →
/// `--input`).
fn unknown_option(sub: &str, name: &str, text: &str, help: &str) -> String {
    let typed: Vec<char> = name.chars().collect();
    let near = options(sub)
        .iter()
        .map(|o| {
            let o_chars: Vec<char> = o.chars().collect();
            (
                crate::stages::normalise::edit_distance(&typed, &o_chars),
                *o,
            )
        })
        .filter(|(d, _)| *d <= 2)
        .min();
    match near {
        Some((_, o)) => format!("未知的选项“{text}”，是否要用“{o}”？\n\n{help}"),
        None => format!("未知的选项“{text}”\n\n{help}"),
    }
}

/// Parses the arguments after the program name.
///
/// # Errors
/// The message for a usage error (exit 2), in Chinese.
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Command, String> {
    let mut args: Vec<OsString> = args.into_iter().collect();
    let first = args
        .first()
        .and_then(|a| a.to_str())
        .unwrap_or("")
        .to_string();
    let sub = match first.as_str() {
        "run" | "check" | "diff" | "init" => {
            args.remove(0);
            first.clone()
        }
        "--version" | "-V" => return Ok(Command::Version),
        // `jixiao help` and `jixiao help init`.
        "help" => {
            return Ok(Command::Help(match args.get(1).and_then(|a| a.to_str()) {
                Some("run") => RUN_HELP,
                Some("check") => CHECK_HELP,
                Some("init") => INIT_HELP,
                Some("diff") => DIFF_HELP,
                _ => USAGE,
            }));
        }
        // A word where a subcommand goes (`jixiao rnu`): not a folder path.
        word if !word.is_empty()
            && !word.starts_with('-')
            && word.chars().all(|c| c.is_ascii_alphabetic()) =>
        {
            return Err(unknown_subcommand(word));
        }
        _ => "run".to_string(),
    };
    let explicit = sub != "run" || first == "run";
    let help = match sub.as_str() {
        "check" => CHECK_HELP,
        "diff" => DIFF_HELP,
        "init" => INIT_HELP,
        _ if explicit => RUN_HELP,
        _ => USAGE,
    };
    let mut paths = Paths::default();
    let mut free: Vec<PathBuf> = Vec::new();
    let mut force = false;
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        let Some(text) = arg.to_str() else {
            // Not UTF-8: only a path can be that.
            free.push(PathBuf::from(arg));
            continue;
        };
        if !text.starts_with('-') || text == "-" {
            free.push(PathBuf::from(arg));
            continue;
        }
        let (name, inline) = match text.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(OsString::from(v))),
            _ => (text.to_string(), None),
        };
        let mut value = || -> Result<PathBuf, String> {
            inline
                .clone()
                .or_else(|| it.next())
                .map(PathBuf::from)
                .ok_or_else(|| format!("{name} 后面缺少路径"))
        };
        match (sub.as_str(), name.as_str()) {
            (_, "--help" | "-h") => return Ok(Command::Help(help)),
            (_, "--version" | "-V") => return Ok(Command::Version),
            ("run" | "check" | "init", "--input" | "-i") => paths.input = Some(value()?),
            ("run", "--output" | "-o") => paths.output = Some(value()?),
            ("run" | "check", "--config" | "-c") => paths.config = Some(value()?),
            ("init", "--force") if inline.is_none() => force = true,
            _ => return Err(unknown_option(&sub, &name, text, help)),
        }
    }
    match sub.as_str() {
        "diff" => match <[PathBuf; 2]>::try_from(free) {
            Ok([a, b]) => Ok(Command::Diff(a, b)),
            Err(_) => Err(format!("diff 需要两个工作簿\n\n{help}")),
        },
        _ if !free.is_empty() => Err(format!(
            "多余的参数“{}”\n\n{help}",
            free[0].to_string_lossy()
        )),
        "check" => Ok(Command::Check(paths)),
        "init" => Ok(Command::Init {
            input: paths.input(),
            force,
        }),
        _ => Ok(Command::Run(paths)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(args: &[&str]) -> Result<Command, String> {
        parse(args.iter().map(OsString::from))
    }

    #[test]
    fn subcommands_and_their_options() {
        assert_eq!(p(&[]).unwrap(), Command::Run(Paths::default()));
        let run = p(&["run", "--input=in", "-o", "out"]).unwrap();
        assert_eq!(
            run,
            Command::Run(Paths {
                input: Some("in".into()),
                output: Some("out".into()),
                config: None
            })
        );
        assert_eq!(
            p(&["--input", "in"]).unwrap(),
            Command::Run(Paths {
                input: Some("in".into()),
                ..Paths::default()
            })
        );
        assert_eq!(
            p(&["init", "--force", "-i", "x"]).unwrap(),
            Command::Init {
                input: "x".into(),
                force: true
            }
        );
        assert_eq!(
            p(&["diff", "a.xlsx", "b.xlsx"]).unwrap(),
            Command::Diff("a.xlsx".into(), "b.xlsx".into())
        );
        assert_eq!(p(&["--version"]).unwrap(), Command::Version);
        assert_eq!(p(&["init", "--help"]).unwrap(), Command::Help(INIT_HELP));
        assert_eq!(p(&["run", "-h"]).unwrap(), Command::Help(RUN_HELP));
        assert_eq!(p(&["--help"]).unwrap(), Command::Help(USAGE));
    }

    #[test]
    fn usage_errors() {
        assert!(
            p(&["--bogus"])
                .unwrap_err()
                .starts_with("未知的选项“--bogus”")
        );
        assert!(p(&["check", "--output", "x"]).is_err());
        assert!(p(&["run", "--input"]).unwrap_err().contains("缺少路径"));
        assert!(p(&["diff", "a.xlsx"]).is_err());
        assert!(p(&["run", "extra"]).unwrap_err().contains("多余的参数"));
        assert!(p(&["init", "--force=yes"]).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn paths_need_not_be_utf8() {
        use std::os::unix::ffi::OsStringExt;
        let bad = OsString::from_vec(vec![b'i', b'n', 0xFF]);
        let c = parse([
            OsString::from("check"),
            OsString::from("--input"),
            bad.clone(),
        ])
        .unwrap();
        assert_eq!(
            c,
            Command::Check(Paths {
                input: Some(PathBuf::from(bad)),
                ..Paths::default()
            })
        );
    }
}
