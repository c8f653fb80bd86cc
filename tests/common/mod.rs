//! Test support: a fresh working folder per test, the real binary, and an independent
//! reader of output workbooks (calamine directly, not the product's ingest).
#![allow(dead_code)]

use calamine::{Data, Reader, open_workbook_auto};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh folder for one test, under Cargo's temporary folder for integration tests.
pub struct Workdir {
    pub dir: PathBuf,
}

impl Workdir {
    pub fn new(name: &str) -> Workdir {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join("jixiao-tests")
            .join(name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Workdir { dir }
    }

    pub fn path(&self, p: &str) -> PathBuf {
        self.dir.join(p)
    }

    /// Runs `jixiao` with `args` in this folder.
    pub fn run(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_jixiao"))
            .args(args)
            .current_dir(&self.dir)
            .output()
            .unwrap();
        Run {
            args: args.iter().map(|s| s.to_string()).collect(),
            output,
        }
    }
}

/// A finished run, printed in full when an assertion about it fails.
pub struct Run {
    pub args: Vec<String>,
    pub output: Output,
}

impl Run {
    pub fn code(&self) -> i32 {
        self.output.status.code().unwrap_or(-1)
    }
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).to_string()
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).to_string()
    }
    pub fn describe(&self) -> String {
        format!(
            "command: jixiao {}\nstatus: {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.args.join(" "),
            self.output.status,
            self.stdout(),
            self.stderr()
        )
    }
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(self.code(), code, "{}", self.describe());
        self
    }
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// A cell value as the test compares it.
#[derive(Debug, Clone, PartialEq)]
pub enum V {
    N(f64),
    T(String),
    Empty,
}

impl std::fmt::Display for V {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            V::N(x) => write!(f, "{x}"),
            V::T(s) => write!(f, "{s}"),
            V::Empty => write!(f, "（空）"),
        }
    }
}

/// Every sheet of a workbook: sheet → (row, col) → value (0-based).
pub struct Book {
    pub sheets: BTreeMap<String, BTreeMap<(u32, u32), V>>,
}

impl Book {
    pub fn open(path: &Path) -> Book {
        let mut wb = open_workbook_auto(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut sheets = BTreeMap::new();
        for name in wb.sheet_names() {
            let range = wb.worksheet_range(&name).unwrap();
            let mut cells = BTreeMap::new();
            if let Some((r0, c0)) = range.start() {
                for (r, row) in range.rows().enumerate() {
                    for (c, d) in row.iter().enumerate() {
                        let v = match d {
                            Data::Int(i) => V::N(*i as f64),
                            Data::Float(f) => V::N(*f),
                            Data::String(s) if !s.is_empty() => V::T(s.clone()),
                            Data::Empty | Data::String(_) => continue,
                            other => V::T(other.to_string()),
                        };
                        cells.insert((r0 + r as u32, c0 + c as u32), v);
                    }
                }
            }
            sheets.insert(name, cells);
        }
        Book { sheets }
    }

    /// The value at `sheet!A1`.
    pub fn get(&self, sheet: &str, addr: &str) -> V {
        let (r, c) = parse_addr(addr);
        let s = self
            .sheets
            .get(sheet)
            .unwrap_or_else(|| panic!("no sheet {sheet}"));
        s.get(&(r, c)).cloned().unwrap_or(V::Empty)
    }

    /// The texts of column `col` (0-based) of a sheet, in row order.
    pub fn rows(&self, sheet: &str) -> Vec<Vec<V>> {
        let s = &self.sheets[sheet];
        let max_r = s.keys().map(|k| k.0).max().unwrap_or(0);
        let max_c = s.keys().map(|k| k.1).max().unwrap_or(0);
        (0..=max_r)
            .map(|r| {
                (0..=max_c)
                    .map(|c| s.get(&(r, c)).cloned().unwrap_or(V::Empty))
                    .collect()
            })
            .collect()
    }
}

/// `B4` → (3, 1).
pub fn parse_addr(addr: &str) -> (u32, u32) {
    let letters: String = addr
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    let row: u32 = addr[letters.len()..].parse().unwrap();
    let col = letters
        .bytes()
        .fold(0u32, |acc, b| acc * 26 + (b - b'A' + 1) as u32)
        - 1;
    (row - 1, col)
}

/// Checks one expectation; returns a message naming the cell when it fails.
pub fn check_cell(book: &Book, sheet: &str, addr: &str, want: &str) -> Option<String> {
    let got = book.get(sheet, addr);
    // A number is expected as a number: the text "419.77" does not pass for 419.77. A text that
    // reads as a number is written quoted (`= "501001"`).
    let quoted = want.strip_prefix('"').and_then(|w| w.strip_suffix('"'));
    let ok = match (&got, want.parse::<f64>(), quoted) {
        (V::T(s), _, Some(q)) => s == q,
        (V::N(x), Ok(w), None) => (x - w).abs() < 1e-9,
        (V::T(s), Err(_), None) => s == want,
        (V::Empty, _, None) => want.is_empty(),
        _ => false,
    };
    (!ok).then(|| format!("{sheet}!{addr}: expected {want}, got {got}"))
}

/// Checks a file of `sheet!cell = value` lines; returns every mismatch.
pub fn check_expected_cells(book: &Book, expected: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(expected).unwrap();
    let mut bad = Vec::new();
    let mut n = 0;
    for line in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        // `sheet!A1 =` (nothing after the sign) expects an empty cell.
        let (lhs, want) = line
            .split_once(" = ")
            .or_else(|| line.strip_suffix(" =").map(|l| (l, "")))
            .unwrap_or_else(|| panic!("bad line: {line}"));
        let (sheet, addr) = lhs.split_once('!').unwrap();
        n += 1;
        bad.extend(check_cell(book, sheet, addr, want));
    }
    assert!(n > 0, "no expectation in {}", expected.display());
    bad
}
pub mod reexport;

/// Rewrites a zip file (an `.xlsx`) part by part: `f(name, bytes)` returns the new bytes of
/// each part, or `None` to keep it. Parts are stored deflated, in their original order.
pub fn rewrite_zip(src: &Path, dst: &Path, mut f: impl FnMut(&str, &[u8]) -> Option<Vec<u8>>) {
    use std::io::{Read, Write};
    let mut zin = zip::ZipArchive::new(std::fs::File::open(src).unwrap()).unwrap();
    let mut zout = zip::ZipWriter::new(std::fs::File::create(dst).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..zin.len() {
        let mut part = zin.by_index(i).unwrap();
        let name = part.name().unwrap().to_string();
        let mut bytes = Vec::new();
        part.read_to_end(&mut bytes).unwrap();
        let bytes = f(&name, &bytes).unwrap_or(bytes);
        zout.start_file(name.as_str(), opts).unwrap();
        zout.write_all(&bytes).unwrap();
    }
    zout.finish().unwrap();
}

/// The largest resident set of any child process of this test process so far, in MiB.
pub fn children_peak_rss_mib() -> u64 {
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes into the struct we own.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut ru) };
    ru.ru_maxrss as u64 / 1024
}

/// A small deterministic generator (xorshift64*), for mutation tests with a fixed seed.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Every file below `dir`, as (path relative to `dir`, bytes), in path order.
pub fn files_below(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(dir: &Path, base: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, base, out);
            } else {
                out.push((
                    p.strip_prefix(base).unwrap().display().to_string(),
                    std::fs::read(&p).unwrap(),
                ));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out
}

/// Asserts that `a` and `b` hold the same files (names and bytes); returns how many.
/// `what` names the comparison in a failure.
pub fn assert_same_files(a: &Path, b: &Path, what: &str) -> usize {
    let (x, y) = (files_below(a), files_below(b));
    let names = |v: &Vec<(String, Vec<u8>)>| v.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&x), names(&y), "{what}: the files");
    for ((name, p), (_, q)) in x.iter().zip(&y) {
        assert!(p == q, "{what}: {name} differs");
    }
    x.len()
}
