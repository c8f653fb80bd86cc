//! Problems found in the input: errors (exit 1) and warnings, each with its place.
//!
//! The message format is the one of SPEC §1:
//! `2023年03月支付明细.xlsx › 支付明细 › 第57行 I列: 金额“12,3a4”不是数字`.

use crate::model::col_letter;
use std::fmt;

/// A system error as a sentence in Chinese (the system's own words, in English, only for a
/// kind without one): what a user reads after `无法写入输出文件 …：`.
pub fn io_text(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    let text = match e.kind() {
        NotFound => "文件或文件夹不存在",
        PermissionDenied => "没有权限",
        AlreadyExists => "已有同名的文件或文件夹（输出文件夹的位置上是一个文件？）",
        NotADirectory => "路径中有一段不是文件夹而是文件",
        IsADirectory => "这是一个文件夹，不是文件",
        StorageFull => "磁盘已满",
        ReadOnlyFilesystem => "磁盘或文件夹是只读的",
        DirectoryNotEmpty => "文件夹不是空的",
        InvalidFilename => "文件名无效",
        ResourceBusy => "文件正被其他程序占用",
        _ => return format!("系统错误：{e}"),
    };
    text.to_string()
}

/// An error's message for the user: a system error as [`io_text`], anything else as it is.
pub fn error_text(e: &anyhow::Error) -> String {
    match e.downcast_ref::<std::io::Error>() {
        Some(io) => io_text(io),
        None => format!("{e:#}"),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One finding, with as much of its place as applies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    pub file: Option<String>,
    pub sheet: Option<String>,
    /// Excel row, 1-based.
    pub row: Option<u32>,
    /// Column, 0-based (shown as a letter).
    pub col: Option<u32>,
    pub message: String,
}

impl Problem {
    pub fn error(message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Error,
            file: None,
            sheet: None,
            row: None,
            col: None,
            message: message.into(),
        }
    }
    pub fn warning(message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Warning,
            ..Problem::error(message)
        }
    }
    pub fn file(mut self, file: &str) -> Problem {
        self.file = Some(file.to_string());
        self
    }
    pub fn sheet(mut self, sheet: &str) -> Problem {
        self.sheet = Some(sheet.to_string());
        self
    }
    pub fn row(mut self, row: u32) -> Problem {
        self.row = Some(row);
        self
    }
    pub fn col(mut self, col: Option<u32>) -> Problem {
        self.col = col;
        self
    }
    pub fn at(self, file: &str, sheet: &str, row: u32, col: Option<u32>) -> Problem {
        self.file(file).sheet(sheet).row(row).col(col)
    }
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
    /// The place alone: `file › sheet › 第N行 X列`.
    pub fn place(&self) -> String {
        let mut parts = Vec::new();
        if let Some(f) = &self.file {
            parts.push(f.clone());
        }
        if let Some(s) = &self.sheet {
            parts.push(s.clone());
        }
        match (self.row, self.col) {
            (Some(r), Some(c)) => parts.push(format!("第{r}行 {}列", col_letter(c))),
            (Some(r), None) => parts.push(format!("第{r}行")),
            (None, Some(c)) => parts.push(format!("{}列", col_letter(c))),
            (None, None) => {}
        }
        parts.join(" › ")
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let place = self.place();
        if place.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{place}: {}", self.message)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_names_file_sheet_row_and_column() {
        let p = Problem::error("金额“12,3a4”不是数字").at(
            "2023年03月支付明细.xlsx",
            "支付明细",
            57,
            Some(8),
        );
        assert_eq!(
            p.to_string(),
            "2023年03月支付明细.xlsx › 支付明细 › 第57行 I列: 金额“12,3a4”不是数字"
        );
    }
}
