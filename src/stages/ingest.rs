//! Stage 1 — ingest: files → raw sheets with positions (SPEC §2, §3.1).
//!
//! Input: the input folder. Output: for each file (sorted by path), its bytes' fingerprint and
//! its sheets as calamine ranges of raw cells, with merged regions. A CSV file becomes one
//! sheet of text cells, decoded from UTF-8 (with or without BOM) or GB18030/GBK.
//! This is the only module that touches calamine or the csv reader.

use crate::diag::Problem;
use calamine::{Data, Dimensions, Range, Reader};
use std::hash::{Hash, Hasher};
use std::io::Cursor;
use std::path::{Path, PathBuf};

/// One sheet as read: cells at their absolute positions (row 0 = Excel row 1).
#[derive(Debug)]
pub struct RawSheet {
    pub name: String,
    pub range: Range<Data>,
    pub merges: Vec<Dimensions>,
}

impl RawSheet {
    /// The cell at absolute (row, col), 0-based; `Data::Empty` outside the used range.
    pub fn cell(&self, row: u32, col: u32) -> &Data {
        static EMPTY: Data = Data::Empty;
        self.range.get_value((row, col)).unwrap_or(&EMPTY)
    }
    /// One past the last used row (absolute).
    pub fn end_row(&self) -> u32 {
        self.range.end().map(|e| e.0 + 1).unwrap_or(0)
    }
    /// One past the last used column (absolute).
    pub fn end_col(&self) -> u32 {
        self.range.end().map(|e| e.1 + 1).unwrap_or(0)
    }
}

/// One input file as read.
#[derive(Debug)]
pub struct RawFile {
    /// Path relative to the input folder, with `/` separators: the name used in messages.
    pub rel: String,
    pub size: u64,
    pub fingerprint: u64,
    pub sheets: Vec<RawSheet>,
}

/// The spreadsheet and CSV extensions we read.
pub const EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xls", "ods", "csv"];

/// Files to read: (path, path relative to the input folder).
pub type FileList = Vec<(PathBuf, String)>;

/// Lists the files to read under `dir`, recursively, sorted by relative path. Skips hidden
/// files and folders, Excel lock files (`~$*`), the config file, and `skip_dir` (the output
/// folder, when a user puts it inside the input folder). A file of any other type
/// is reported as an error (and not read).
pub fn list_files(
    dir: &Path,
    config: &Path,
    skip_dir: Option<&Path>,
) -> std::io::Result<(FileList, Vec<Problem>)> {
    let config = config.canonicalize().ok();
    let skip_dir = skip_dir.and_then(|d| d.canonicalize().ok());
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let entry = entry?;
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().to_string();
            if name.starts_with('.') || name.starts_with("~$") {
                continue;
            }
            let ft = entry.file_type()?;
            if ft.is_dir() {
                if skip_dir.is_none() || path.canonicalize().ok() != skip_dir {
                    stack.push(path);
                }
                continue;
            }
            if config.is_some() && path.canonicalize().ok() == config {
                continue;
            }
            let rel = path
                .strip_prefix(dir)
                .unwrap_or(&path)
                .components()
                .map(|c| c.as_os_str().to_string_lossy().to_string())
                .collect::<Vec<_>>()
                .join("/");
            let ext = path
                .extension()
                .map(|e| e.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            if EXTENSIONS.contains(&ext.as_str()) {
                out.push((path, rel));
            } else if name == "jixiao.toml" {
                // A config of a sub-folder is not a ledger either.
            } else {
                problems.push(
                    Problem::error(format!(
                        "不支持的文件类型“{}”：只能读取 xlsx、xlsm、xls、ods、csv 文件（请移出输入文件夹）",
                        if ext.is_empty() { "无扩展名".to_string() } else { ext }
                    ))
                    .file(&rel),
                );
            }
        }
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    problems.sort_by(|a, b| a.file.cmp(&b.file));
    Ok((out, problems))
}

/// Reads one file completely.
///
/// # Errors
/// A problem naming the file when it cannot be opened or is not a readable spreadsheet
/// (corrupt, encrypted, or another format behind a spreadsheet extension).
pub fn read_file(path: &Path, rel: &str) -> Result<RawFile, Problem> {
    let bytes =
        std::fs::read(path).map_err(|e| Problem::error(format!("无法打开文件：{e}")).file(rel))?;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    let fingerprint = h.finish();
    let size = bytes.len() as u64;
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    // An encrypted OOXML workbook is an OLE compound file, not a zip.
    let ole = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    if ole && (ext == "xlsx" || ext == "xlsm") {
        return Err(Problem::error(
            "无法读取电子表格：文件设有打开密码（已加密），或是另存为 .xlsx 的旧版 xls 文件；请在 Excel 中取消密码或另存为 .xlsx 后再试",
        )
        .file(rel));
    }
    let sheets = if ext == "csv" {
        vec![read_csv(&bytes, path, rel)?]
    } else {
        read_workbook(bytes, &ext).map_err(|e| {
            Problem::error(format!(
                "无法读取电子表格：文件已损坏、已加密或不是真正的 {} 文件（技术信息：{e}）",
                ext
            ))
            .file(rel)
        })?
    };
    Ok(RawFile {
        rel: rel.to_string(),
        size,
        fingerprint,
        sheets,
    })
}

fn read_workbook(bytes: Vec<u8>, ext: &str) -> Result<Vec<RawSheet>, String> {
    let cursor = Cursor::new(bytes);
    let mut sheets = Vec::new();
    match ext {
        "xlsx" | "xlsm" => {
            let mut wb = calamine::Xlsx::new(cursor).map_err(|e| e.to_string())?;
            for name in wb.sheet_names() {
                let range = wb.worksheet_range(&name).map_err(|e| e.to_string())?;
                let merges = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
                sheets.push(RawSheet {
                    name,
                    range,
                    merges,
                });
            }
        }
        "xls" => {
            let mut wb = calamine::Xls::new(cursor).map_err(|e| e.to_string())?;
            for name in wb.sheet_names() {
                let range = wb.worksheet_range(&name).map_err(|e| e.to_string())?;
                let merges = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
                sheets.push(RawSheet {
                    name,
                    range,
                    merges,
                });
            }
        }
        _ => {
            let mut wb = calamine::Ods::new(cursor).map_err(|e| e.to_string())?;
            for name in wb.sheet_names() {
                let range = wb.worksheet_range(&name).map_err(|e| e.to_string())?;
                sheets.push(RawSheet {
                    name,
                    range,
                    merges: Vec::new(),
                });
            }
        }
    }
    Ok(sheets)
}

/// Decodes CSV bytes: UTF-16 with a BOM; UTF-8 (a BOM is dropped) when valid; else GB18030
/// (a superset of GBK).
/// Valid UTF-8 is borrowed, not copied.
pub fn decode_text(bytes: &[u8]) -> Result<std::borrow::Cow<'_, str>, String> {
    // Excel's “Unicode text” is UTF-16 with a BOM.
    for (bom, enc) in [
        (&b"\xFF\xFE"[..], encoding_rs::UTF_16LE),
        (&b"\xFE\xFF"[..], encoding_rs::UTF_16BE),
    ] {
        if let Some(body) = bytes.strip_prefix(bom) {
            let (text, had_errors) = enc.decode_without_bom_handling(body);
            if had_errors {
                return Err("UTF-16 编码有误".to_string());
            }
            return Ok(std::borrow::Cow::Owned(text.into_owned()));
        }
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(body) {
        return Ok(std::borrow::Cow::Borrowed(s));
    }
    let (text, _, had_errors) = encoding_rs::GB18030.decode(body);
    if had_errors {
        return Err("既不是 UTF-8 也不是 GBK/GB18030 编码".to_string());
    }
    Ok(std::borrow::Cow::Owned(text.into_owned()))
}

/// Calls `f(row, record)` for every CSV record, with `row` the 0-based line the record starts
/// on (the reader skips blank lines; Excel shows them as rows).
fn csv_records(
    text: &str,
    rel: &str,
    mut f: impl FnMut(u32, &csv::StringRecord),
) -> Result<(), Problem> {
    // Comma-separated, or tab-separated when the first lines have more tabs than commas.
    let head: String = text.lines().take(30).collect();
    let delimiter = if head.matches('\t').count() > head.matches(',').count() {
        b'\t'
    } else {
        b','
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let bytes = text.as_bytes();
    let (mut line, mut last_byte) = (0usize, 0usize);
    let mut rec = csv::StringRecord::new();
    loop {
        let more = rdr.read_record(&mut rec).map_err(|e| {
            Problem::error(format!("CSV 格式错误：{e}"))
                .file(rel)
                .row(line as u32 + 1)
        })?;
        if !more {
            return Ok(());
        }
        if let Some(p) = rec.position() {
            // The position is where parsing resumed: skip the blank lines it passed.
            let mut byte = (p.byte() as usize).min(bytes.len());
            while byte < bytes.len() && matches!(bytes[byte], b'\r' | b'\n') {
                byte += 1;
            }
            line += bytes[last_byte..byte]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            last_byte = byte;
        }
        f(line as u32, &rec);
    }
}

fn read_csv(bytes: &[u8], path: &Path, rel: &str) -> Result<RawSheet, Problem> {
    let text = decode_text(bytes)
        .map_err(|e| Problem::error(format!("无法读取 CSV 文件：{e}")).file(rel))?;
    // Two passes: the size first, so the cells go straight into their range (one copy).
    let (mut h, mut w) = (0u32, 0u32);
    csv_records(&text, rel, |row, rec| {
        h = row + 1;
        w = w.max(rec.len() as u32);
    })?;
    let mut range = if h == 0 || w == 0 {
        Range::empty()
    } else {
        Range::new((0, 0), (h - 1, w - 1))
    };
    if h > 0 && w > 0 {
        csv_records(&text, rel, |row, rec| {
            for (j, field) in rec.iter().enumerate() {
                if !field.trim().is_empty() {
                    range.set_value((row, j as u32), Data::String(field.to_string()));
                }
            }
        })?;
    }
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    Ok(RawSheet {
        name,
        range,
        merges: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_bom_and_gbk() {
        assert_eq!(decode_text("\u{feff}单位".as_bytes()).unwrap(), "单位");
        let (gbk, _, _) = encoding_rs::GBK.encode("预算单位,金额");
        assert_eq!(decode_text(&gbk).unwrap(), "预算单位,金额");
    }

    #[test]
    fn decodes_utf16_tab_separated_text() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "单位\t金额\n本级\t1,234.00\n".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        let s = read_csv(&bytes, Path::new("a.csv"), "a.csv").unwrap();
        assert_eq!(s.cell(1, 1), &Data::String("1,234.00".into()));
    }

    #[test]
    fn csv_rows_keep_their_excel_row_numbers() {
        let s = read_csv(
            "标题\n\n单位,金额\n本级,\"1,234.00\"\n".as_bytes(),
            Path::new("a.csv"),
            "a.csv",
        )
        .unwrap();
        assert_eq!(s.end_row(), 4);
        assert_eq!(s.cell(3, 1), &Data::String("1,234.00".into()));
        assert_eq!(s.cell(1, 0), &Data::Empty);
    }
}
