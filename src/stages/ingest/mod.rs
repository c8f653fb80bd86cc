//! Stage 1 — ingest: files → raw sheets with positions (SPEC §2, §3.1).
//!
//! Input: the input folder. Output: for each file (sorted by path), its bytes' fingerprint and
//! its sheets as sparse [`RawSheet`]s — cells streamed once, each distinct value interned
//! once per sheet — with merged regions. A CSV file becomes one
//! sheet of text cells, decoded from UTF-8 (with or without BOM) or GB18030/GBK.
//! This is the only module that touches calamine or the csv reader.

mod inflate;

use crate::diag::Problem;
use calamine::{Data, Dimensions, Range, Reader};
use std::io::{Cursor, Read, Seek};
use std::path::{Path, PathBuf};

/// A cell as read: (row, column, id of its value in the sheet's value table), 0-based
/// absolute positions.
pub type RawCell = (u32, u32, u32);

/// One sheet as read: its non-empty cells at their absolute positions (row 0 = Excel row 1),
/// stored sparsely, row by row — memory follows the cells present, never the sheet's extent
/// (a stray value at `XFD1048576` costs one cell).
///
/// Values are interned: a text or number that occurs in many cells (a unit, a project, a
/// class, a date) is stored once, and every cell holds its id. Normalise parses each
/// distinct value once, keyed by that id, with no hashing per row.
#[derive(Debug, Default)]
pub struct RawSheet {
    pub name: String,
    /// (row, column, value id), sorted by row then column; no empty cells.
    cells: Vec<RawCell>,
    /// The distinct values, by id.
    values: Vec<Data>,
    /// (row, index of its first cell in `cells`), one per row that has cells.
    rows: Vec<(u32, u32)>,
    end_col: u32,
    pub merges: Vec<Dimensions>,
}

/// Builds a [`RawSheet`] cell by cell, interning values as they arrive (a text borrowed from
/// calamine's shared strings is copied only the first time it is seen).
pub struct SheetBuilder {
    name: String,
    cells: Vec<RawCell>,
    values: Vec<Data>,
    index: hashbrown::HashTable<u32>,
    state: foldhash::fast::FixedState,
    /// Texts of the workbook's shared-string table by address: the table already holds each
    /// distinct text once, so its address is the text's identity (no hashing of the text,
    /// no compare). [`BLANK`] for a blank text. One map per column (the first
    /// [`SHARED_COLUMNS`], then one for the rest): a column of repeated names keeps a small
    /// map that stays in cache, apart from a column of voucher numbers that never repeat.
    shared: Vec<SharedColumn>,
}

/// The shared-string texts of one column by address; dropped once the column turns out to
/// hold a new text in (almost) every cell — a voucher number column, where every lookup
/// missed the cache and found nothing.
struct SharedColumn {
    map: hashbrown::HashMap<usize, u32>,
    /// The last texts seen, by a few bits of their address: a column of a few dozen units
    /// or dates finds its text here without probing the map.
    recent: [(usize, u32); RECENT],
    seen: u32,
    unique: bool,
}

/// Entries of [`SharedColumn::recent`] (a power of two).
const RECENT: usize = 64;

impl Default for SharedColumn {
    fn default() -> SharedColumn {
        SharedColumn {
            map: hashbrown::HashMap::new(),
            recent: [(0, 0); RECENT],
            seen: 0,
            unique: false,
        }
    }
}

/// Cells of a column looked up before it is judged (see [`SharedColumn`]).
const UNIQUE_PROBE: u32 = 4096;

/// Columns with a map of their own in [`SheetBuilder`].
const SHARED_COLUMNS: usize = 64;

/// A shared string that is blank (no cell).
const BLANK: u32 = u32::MAX;

/// True when a text is empty or whitespace only (the first character decides for almost
/// every text, without scanning it).
fn is_blank_text(s: &str) -> bool {
    match s.chars().next() {
        None => true,
        Some(c) if !c.is_whitespace() => false,
        Some(_) => s.trim().is_empty(),
    }
}

/// The interning key of a value: texts by content, numbers by their bits; other values
/// (amounts with cents, dates, booleans, errors) are not interned.
#[derive(Hash, PartialEq)]
enum Key<'a> {
    Text(&'a str),
    Float(u64),
    Int(i64),
}

fn key_of(d: &Data) -> Option<Key<'_>> {
    match d {
        Data::String(s) => Some(Key::Text(s)),
        Data::Float(f) => Some(Key::Float(f.to_bits())),
        Data::Int(i) => Some(Key::Int(*i)),
        _ => None,
    }
}

thread_local! {
    /// The cell and value buffers of the last sheet this thread dropped, for its next sheet:
    /// a sheet of 100,000 rows grows `cells` to ~13 MB, and growing it again for every file
    /// copied it at each doubling and faulted fresh pages in (~1.5 % of a 12-file run).
    static SPARE: std::cell::RefCell<(Vec<RawCell>, Vec<Data>)> =
        const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
}

impl Drop for RawSheet {
    fn drop(&mut self) {
        let (mut cells, mut values) = (
            std::mem::take(&mut self.cells),
            std::mem::take(&mut self.values),
        );
        cells.clear();
        values.clear();
        // The larger buffers are kept (a thread that is exiting keeps nothing).
        let _ = SPARE.try_with(|spare| {
            if let Ok(mut spare) = spare.try_borrow_mut() {
                if cells.capacity() > spare.0.capacity() {
                    spare.0 = cells;
                }
                if values.capacity() > spare.1.capacity() {
                    spare.1 = values;
                }
            }
        });
    }
}

impl SheetBuilder {
    pub fn new(name: String) -> SheetBuilder {
        let (cells, values) = SPARE
            .try_with(|spare| {
                spare
                    .try_borrow_mut()
                    .map(|mut s| std::mem::take(&mut *s))
                    .unwrap_or_default()
            })
            .unwrap_or_default();
        SheetBuilder {
            name,
            cells,
            values,
            index: hashbrown::HashTable::new(),
            state: foldhash::fast::FixedState::with_seed(0x6a69_7869_616f),
            shared: Vec::new(),
        }
    }

    /// Adds a text cell; blank text is no cell.
    pub fn push_text(&mut self, row: u32, col: u32, s: &str) {
        if is_blank_text(s) {
            return;
        }
        let id = self.intern(Key::Text(s), || Data::String(s.to_string()));
        self.cells.push((row, col, id));
    }

    /// Adds a cell of any value; empty cells and blank text are no cell.
    pub fn push(&mut self, row: u32, col: u32, d: Data) {
        let id = match d {
            Data::Empty => return,
            Data::String(s) => return self.push_text(row, col, &s),
            // Whole numbers (codes, Excel dates, round amounts) repeat; amounts with cents
            // rarely do, and interning each would cost more than it saves.
            Data::Float(f) if f.fract() == 0.0 => {
                self.intern(Key::Float(f.to_bits()), || Data::Float(f))
            }
            Data::Int(i) => self.intern(Key::Int(i), || Data::Int(i)),
            other => {
                self.values.push(other);
                self.values.len() as u32 - 1
            }
        };
        self.cells.push((row, col, id));
    }

    /// Adds a cell read by calamine's streaming reader, without copying a known text.
    pub fn push_ref(&mut self, row: u32, col: u32, d: &calamine::DataRef<'_>) {
        use calamine::DataRef as R;
        match d {
            R::Empty => {}
            R::SharedString(s) => {
                let address = s.as_ptr() as usize;
                let map = (col as usize).min(SHARED_COLUMNS);
                if self.shared.len() <= map {
                    self.shared.resize_with(map + 1, SharedColumn::default);
                }
                let column = &mut self.shared[map];
                // Texts are allocated at least 8 bytes apart.
                let slot = (address >> 3) & (RECENT - 1);
                let found = if column.unique {
                    None
                } else {
                    column.seen += 1;
                    match column.recent[slot] {
                        (a, id) if a == address => Some(id),
                        _ => {
                            let id = column.map.get(&address).copied();
                            if let Some(id) = id {
                                column.recent[slot] = (address, id);
                            }
                            id
                        }
                    }
                };
                let id = match found {
                    Some(id) => id,
                    None => {
                        // The table holds each text once: its address is its identity, so
                        // no content interning (a voucher number is seen once anyway).
                        let id = if is_blank_text(s) {
                            BLANK
                        } else {
                            self.values.push(Data::String(s.to_string()));
                            self.values.len() as u32 - 1
                        };
                        if !column.unique {
                            column.map.insert(address, id);
                            // Nearly every text new: a column of unique texts (vouchers).
                            // Its later cells each get an id of their own; a text that
                            // does repeat there is then stored twice (ids are the same
                            // text's identity only within the map).
                            if column.seen == UNIQUE_PROBE
                                && column.map.len() as u32 > UNIQUE_PROBE / 16 * 15
                            {
                                column.unique = true;
                                column.map = hashbrown::HashMap::new();
                            }
                        }
                        id
                    }
                };
                if id != BLANK {
                    self.cells.push((row, col, id));
                }
            }
            R::String(s) => self.push_text(row, col, s),
            R::Float(f) => self.push(row, col, Data::Float(*f)),
            R::Int(i) => self.push(row, col, Data::Int(*i)),
            other => self.push(row, col, Data::from((*other).clone())),
        }
    }

    fn intern(&mut self, key: Key<'_>, make: impl FnOnce() -> Data) -> u32 {
        use std::hash::BuildHasher;
        let hash = self.state.hash_one(&key);
        let values = &self.values;
        if let Some(&id) = self.index.find(hash, |&id| {
            key_of(&values[id as usize]).as_ref() == Some(&key)
        }) {
            return id;
        }
        let id = self.values.len() as u32;
        self.values.push(make());
        let (values, state) = (&self.values, &self.state);
        self.index.insert_unique(hash, id, |&i| {
            key_of(&values[i as usize]).map_or(0, |k| state.hash_one(&k))
        });
        id
    }

    /// The sheet, with its merged regions.
    pub fn finish(self, merges: Vec<Dimensions>) -> RawSheet {
        let SheetBuilder {
            name,
            mut cells,
            values,
            ..
        } = self;
        if !cells.is_sorted_by_key(|c| (c.0, c.1)) {
            cells.sort_by_key(|c| (c.0, c.1));
        }
        cells.dedup_by_key(|c| (c.0, c.1));
        // Not shrunk: the sheet lives only until its file is normalised, and shrinking
        // copied its largest buffers once more.
        let mut rows = Vec::new();
        let mut end_col = 0;
        for (i, (r, c, _)) in cells.iter().enumerate() {
            if rows.last().is_none_or(|&(last, _)| last != *r) {
                rows.push((*r, i as u32));
            }
            end_col = end_col.max(c + 1);
        }
        RawSheet {
            name,
            cells,
            values,
            rows,
            end_col,
            merges,
        }
    }
}

impl RawSheet {
    /// A sheet from its values in any order; empty cells and blank text are dropped.
    pub fn from_cells(
        name: String,
        cells: impl IntoIterator<Item = (u32, u32, Data)>,
        merges: Vec<Dimensions>,
    ) -> RawSheet {
        let mut b = SheetBuilder::new(name);
        for (r, c, d) in cells {
            b.push(r, c, d);
        }
        b.finish(merges)
    }

    /// The non-empty cells of row `r` (absolute), as (row, column, value id) by column.
    pub fn row(&self, r: u32) -> &[RawCell] {
        match self.rows.binary_search_by_key(&r, |x| x.0) {
            Ok(i) => self.row_at(i),
            Err(_) => &[],
        }
    }

    fn row_at(&self, i: usize) -> &[RawCell] {
        let start = self.rows[i].1 as usize;
        let end = self
            .rows
            .get(i + 1)
            .map_or(self.cells.len(), |x| x.1 as usize);
        &self.cells[start..end]
    }

    /// The rows that have cells, from row `first` on: (row, its cells).
    pub fn rows_from(&self, first: u32) -> impl Iterator<Item = (u32, &[RawCell])> {
        let start = self.rows.partition_point(|x| x.0 < first);
        (start..self.rows.len()).map(move |i| (self.rows[i].0, self.row_at(i)))
    }

    /// Every non-empty cell: (row, column, value id), row by row.
    pub fn cells(&self) -> &[RawCell] {
        &self.cells
    }

    /// The value of an id from [`RawSheet::cells`].
    pub fn value(&self, id: u32) -> &Data {
        static EMPTY: Data = Data::Empty;
        self.values.get(id as usize).unwrap_or(&EMPTY)
    }

    /// How many distinct values the sheet has (ids are below this).
    pub fn value_count(&self) -> usize {
        self.values.len()
    }

    /// The value id of the cell at absolute (row, col), 0-based; `None` where there is none.
    pub fn id(&self, row: u32, col: u32) -> Option<u32> {
        let cells = self.row(row);
        cells
            .binary_search_by_key(&col, |x| x.1)
            .ok()
            .map(|i| cells[i].2)
    }

    /// The cell at absolute (row, col), 0-based; `Data::Empty` where there is none.
    pub fn cell(&self, row: u32, col: u32) -> &Data {
        static EMPTY: Data = Data::Empty;
        match self.id(row, col) {
            Some(id) => self.value(id),
            None => &EMPTY,
        }
    }
    /// One past the last row with a cell (absolute).
    pub fn end_row(&self) -> u32 {
        self.rows.last().map_or(0, |x| x.0 + 1)
    }
    /// One past the last column with a cell (absolute).
    pub fn end_col(&self) -> u32 {
        self.end_col
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
/// files and folders, Excel lock files (`~$*`), the config files (`config`: the config and
/// the report template it names), and `skip_dir` (the output
/// folder, when a user puts it inside the input folder). A file of any other type
/// is reported as an error (and not read).
pub fn list_files(
    dir: &Path,
    config: &[&Path],
    skip_dir: Option<&Path>,
) -> std::io::Result<(FileList, Vec<Problem>)> {
    // The config file and the report template it names are not ledgers.
    let config: Vec<PathBuf> = config
        .iter()
        .filter_map(|p| p.canonicalize().ok())
        .collect();
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
            if !config.is_empty() && path.canonicalize().is_ok_and(|p| config.contains(&p)) {
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
    let bytes = std::fs::read(path).map_err(|e| {
        Problem::error(format!("无法打开文件：{}", crate::diag::io_text(&e))).file(rel)
    })?;
    // Identical files are found by (fingerprint, size): a fast 64-bit content hash.
    let fingerprint = {
        use std::hash::BuildHasher;
        foldhash::quality::FixedState::with_seed(0x6a69_7869_616f).hash_one(&bytes[..])
    };
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
    let unreadable = |e: String| {
        Problem::error(format!(
            "无法读取电子表格：文件已损坏、已加密或不是真正的 {ext} 文件（技术信息：{e}）"
        ))
        .file(rel)
    };
    let sheets = if ext == "csv" {
        vec![read_csv(&bytes, path, rel)?]
    } else if !ole && (ext == "xlsx" || ext == "xlsm") {
        match inflate::open(bytes, refuse_part).map_err(|e| Problem::error(e).file(rel))? {
            inflate::Opened::View(view, parts) => {
                let text = |name: &str| -> Result<String, Problem> {
                    let bytes = parts.whole(name).map_err(unreadable)?.unwrap_or_default();
                    Ok(String::from_utf8_lossy(&bytes).into_owned())
                };
                let scan = PartScan {
                    workbook: text("xl/workbook.xml")?,
                    rels: text("xl/_rels/workbook.xml.rels")?,
                };
                let wb = calamine::Xlsx::new(view).map_err(|e| unreadable(e.to_string()))?;
                read_xlsx(wb, Some((&parts, &sheet_parts(&scan)))).map_err(|e| match e {
                    XlsxFailure::Calamine(e) => unreadable(e),
                    XlsxFailure::Part(e) => Problem::error(e).file(rel),
                })?
            }
            inflate::Opened::Original(bytes) => {
                let wb = calamine::Xlsx::new(Cursor::new(bytes))
                    .map_err(|e| unreadable(e.to_string()))?;
                read_xlsx(wb, None).map_err(|e| match e {
                    XlsxFailure::Calamine(e) => unreadable(e),
                    XlsxFailure::Part(e) => Problem::error(e).file(rel),
                })?
            }
        }
    } else {
        read_workbook(bytes, &ext).map_err(unreadable)?
    };
    Ok(RawFile {
        rel: rel.to_string(),
        size,
        fingerprint,
        sheets,
    })
}

/// No part of a workbook may inflate beyond this (a full 1,048,576-row sheet stays below).
pub const MAX_PART_BYTES: u64 = 1 << 30;
/// The shared strings, which calamine holds in memory whole, may not inflate beyond this
/// (the distinct texts of a million-row export take some 50 MiB).
pub const MAX_SHARED_STRINGS_BYTES: u64 = 128 << 20;
/// Past this size, a part may not inflate to more than [`MAX_PART_RATIO`] times its stored
/// size: real spreadsheet XML inflates 4–20× (the sample: 5×); a zip bomb 80× (fast
/// compression) to 1000×.
pub const RATIO_CHECKED_FROM: u64 = 32 << 20;
pub const MAX_PART_RATIO: u64 = 50;

/// The message refusing a part of an xlsx by its declared size (checked before anything is
/// inflated; the view never inflates a part beyond what it declares).
fn refuse_part(name: &str, size: u64, stored: u64) -> Option<String> {
    let stored = stored.max(1);
    let limit = if name.ends_with("sharedStrings.xml") {
        MAX_SHARED_STRINGS_BYTES
    } else {
        MAX_PART_BYTES
    };
    let bomb = size > limit || (size > RATIO_CHECKED_FROM && size / stored > MAX_PART_RATIO);
    bomb.then(|| {
        format!(
            "文件内部的“{name}”解压后超过 {} MiB（压缩前仅 {} KiB）：文件已损坏或是恶意构造的压缩包，未读取",
            size >> 20,
            stored.div_ceil(1024)
        )
    })
}

/// An xlsx's workbook part and its relationships: which part each sheet is.
#[derive(Debug, Default)]
struct PartScan {
    workbook: String,
    rels: String,
}

/// Why an xlsx could not be read.
enum XlsxFailure {
    /// calamine's message (the file is corrupt, encrypted or no xlsx).
    Calamine(String),
    /// The view's message, whole (a part beyond its declared size).
    Part(String),
}

/// The value of attribute `name` in the XML tag `tag` (entities unescaped).
fn attr(tag: &str, name: &str) -> Option<String> {
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = tag[at..].find('"')? + at;
    Some(
        tag[at..end]
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&"),
    )
}

/// The merged regions of a worksheet's XML tail; `None` when it names merges this reader does
/// not understand (the caller then asks calamine).
fn merge_refs(tail: &str) -> Option<Vec<Dimensions>> {
    let mut out = Vec::new();
    for tag in tail.split("<mergeCell ").skip(1) {
        let r = attr(&format!(" {tag}"), "ref")?;
        let (a, b) = r.split_once(':').unwrap_or((&r, &r));
        let (start, end) = (cell_ref(a)?, cell_ref(b)?);
        out.push(Dimensions { start, end });
    }
    let understood =
        out.len() == tail.matches("<mergeCell ").count() && !tail.contains(":mergeCell ");
    understood.then_some(out)
}

/// `B3` → (2, 1).
fn cell_ref(r: &str) -> Option<(u32, u32)> {
    let letters = r.chars().take_while(|c| c.is_ascii_uppercase()).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let col = r[..letters]
        .bytes()
        .fold(0u32, |acc, b| acc * 26 + u32::from(b - b'A' + 1))
        - 1;
    let row: u32 = r[letters..].parse().ok()?;
    (row >= 1).then(|| (row - 1, col))
}

/// Sheet name → worksheet part, from `xl/workbook.xml` and its relationships.
fn sheet_parts(scan: &PartScan) -> std::collections::HashMap<String, String> {
    let mut targets = std::collections::HashMap::new();
    for tag in scan.rels.split("<Relationship ").skip(1) {
        let tag = format!(" {tag}");
        if let (Some(id), Some(target)) = (attr(&tag, "Id"), attr(&tag, "Target")) {
            let part = match target.strip_prefix('/') {
                Some(abs) => abs.to_string(),
                None => format!("xl/{target}"),
            };
            targets.insert(id, part);
        }
    }
    let mut out = std::collections::HashMap::new();
    for tag in scan.workbook.split("<sheet ").skip(1) {
        let tag = format!(" {tag}");
        if let (Some(name), Some(id)) = (attr(&tag, "name"), attr(&tag, "r:id"))
            && let Some(part) = targets.get(&id)
        {
            out.insert(name, part.clone());
        }
    }
    out
}

/// The sheets of an xlsx, each streamed once by calamine's cell reader; merged regions from
/// the view's tail of each sheet when there is a view, else from calamine's merge lookup.
fn read_xlsx<RS: Read + Seek>(
    mut wb: calamine::Xlsx<RS>,
    parts: Option<(&inflate::Parts, &std::collections::HashMap<String, String>)>,
) -> Result<Vec<RawSheet>, XlsxFailure> {
    let fail = |e: calamine::XlsxError| XlsxFailure::Calamine(e.to_string());
    let mut sheets = Vec::new();
    for name in wb.sheet_names() {
        // Cells streamed one by one: no dense range over the sheet's extent.
        let mut cells = SheetBuilder::new(name.clone());
        {
            let mut reader = wb.worksheet_cells_reader(&name).map_err(fail)?;
            while let Some(cell) = reader.next_cell().map_err(fail)? {
                let (r, c) = cell.get_position();
                cells.push_ref(r, c, cell.get_value());
            }
        }
        // The rest of the sheet's part, inflated once: its merged regions.
        let tail = match parts.and_then(|(p, map)| Some((p, map.get(&name)?))) {
            Some((p, part)) => p.tail(part).map_err(XlsxFailure::Part)?,
            None => None,
        };
        let merges = match tail.and_then(|t| merge_refs(&String::from_utf8_lossy(&t))) {
            Some(m) => m,
            None => wb.merge_cells_by_sheet_name(&name).unwrap_or_default(),
        };
        sheets.push(cells.finish(merges));
    }
    Ok(sheets)
}

/// The sheets of an xls or ods workbook (calamine's dense ranges: no streaming reader there).
fn read_workbook(bytes: Vec<u8>, ext: &str) -> Result<Vec<RawSheet>, String> {
    let cursor = Cursor::new(bytes);
    let mut sheets = Vec::new();
    match ext {
        "xls" => {
            let mut wb = calamine::Xls::new(cursor).map_err(|e| e.to_string())?;
            for name in wb.sheet_names() {
                let range = wb.worksheet_range(&name).map_err(|e| e.to_string())?;
                let merges = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
                sheets.push(RawSheet::from_cells(name, used_cells(range), merges));
            }
        }
        _ => {
            let mut wb = calamine::Ods::new(cursor).map_err(|e| e.to_string())?;
            for name in wb.sheet_names() {
                let range = wb.worksheet_range(&name).map_err(|e| e.to_string())?;
                sheets.push(RawSheet::from_cells(name, used_cells(range), Vec::new()));
            }
        }
    }
    Ok(sheets)
}

/// The non-empty cells of a range, at absolute positions.
fn used_cells(range: Range<Data>) -> Vec<(u32, u32, Data)> {
    let (r0, c0) = range.start().unwrap_or((0, 0));
    range
        .used_cells()
        .map(|(r, c, d)| (r0 + r as u32, c0 + c as u32, d.clone()))
        .collect()
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
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let mut cells = SheetBuilder::new(name);
    csv_records(&text, rel, |row, rec| {
        for (j, field) in rec.iter().enumerate() {
            cells.push_text(row, j as u32, field);
        }
    })?;
    Ok(cells.finish(Vec::new()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_and_sheet_parts_from_the_xml() {
        let tail = r#"</sheetData><mergeCells count="2"><mergeCell ref="A1:I1"/><mergeCell ref="B3"/></mergeCells>"#;
        let m = merge_refs(tail).unwrap();
        assert_eq!(m[0].start, (0, 0));
        assert_eq!(m[0].end, (0, 8));
        assert_eq!(m[1].start, (2, 1));
        assert!(merge_refs(r#"<x:mergeCell ref="A1:B1"/>"#).is_none());
        let scan = PartScan {
            workbook: r#"<sheets><sheet name="支付&amp;明细" sheetId="1" r:id="rId1"/></sheets>"#
                .into(),
            rels: r#"<Relationship Id="rId1" Type="x" Target="worksheets/sheet1.xml"/>"#.into(),
        };
        assert_eq!(
            sheet_parts(&scan).get("支付&明细").map(String::as_str),
            Some("xl/worksheets/sheet1.xml")
        );
    }

    #[test]
    fn an_xlsx_is_read_once_with_its_merged_regions() {
        // Two sheets, the first with merges (a title, a unit merged down three rows): the
        // merges come from each sheet's tail as the view inflates it, one part at a time.
        let dir = std::env::temp_dir().join(format!("jixiao-ingest-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("merged.xlsx");
        let mut wb = rust_xlsxwriter::Workbook::new();
        let f = rust_xlsxwriter::Format::new();
        let ws = wb.add_worksheet().set_name("支付").unwrap();
        ws.merge_range(0, 0, 0, 3, "2023年支付明细", &f).unwrap();
        ws.write_string(1, 0, "单位名称").unwrap();
        ws.merge_range(2, 0, 4, 0, "岳阳市住房和城乡建设局", &f)
            .unwrap();
        for r in 2..5 {
            ws.write_number(r, 1, 100.5 + f64::from(r)).unwrap();
        }
        let ws = wb.add_worksheet().set_name("说明").unwrap();
        ws.write_string(0, 0, "无合并").unwrap();
        wb.save(&path).unwrap();
        let raw = read_file(&path, "merged.xlsx").unwrap();
        std::fs::remove_dir_all(&dir).ok();
        assert_eq!(raw.sheets.len(), 2);
        let s = &raw.sheets[0];
        let mut merges: Vec<_> = s.merges.iter().map(|m| (m.start, m.end)).collect();
        merges.sort();
        assert_eq!(merges, vec![((0, 0), (0, 3)), ((2, 0), (4, 0))]);
        assert_eq!(s.cell(2, 0), &Data::String("岳阳市住房和城乡建设局".into()));
        assert_eq!(s.cell(4, 1), &Data::Float(104.5));
        assert!(raw.sheets[1].merges.is_empty());
        assert_eq!(raw.sheets[1].cell(0, 0), &Data::String("无合并".into()));
    }

    #[test]
    fn values_are_interned_once_per_distinct_value() {
        let mut b = SheetBuilder::new("s".into());
        b.push_text(1, 0, "本级");
        b.push_text(2, 0, "本级");
        b.push_text(2, 1, "  ");
        b.push(3, 0, Data::Float(12.0));
        b.push(4, 0, Data::Float(12.0));
        b.push(6, 0, Data::Float(0.5));
        b.push(7, 0, Data::Float(0.5));
        b.push(4, 1, Data::String("本级".into()));
        b.push(5, 0, Data::Bool(true));
        let s = b.finish(Vec::new());
        assert_eq!(s.id(1, 0), s.id(2, 0));
        assert_eq!(s.id(1, 0), s.id(4, 1));
        assert_eq!(s.id(3, 0), s.id(4, 0));
        assert_ne!(s.id(1, 0), s.id(3, 0));
        assert_eq!(s.id(2, 1), None);
        // Amounts with cents are not interned (they rarely repeat).
        assert_ne!(s.id(6, 0), s.id(7, 0));
        assert_eq!(s.value_count(), 5);
        assert_eq!(s.cell(4, 0), &Data::Float(12.0));
        assert_eq!(s.cell(7, 0), &Data::Float(0.5));
        assert_eq!(s.cell(5, 0), &Data::Bool(true));
        assert_eq!(s.cells().len(), 8);
    }

    #[test]
    fn a_column_of_unique_shared_texts_is_not_mapped() {
        let texts: Vec<String> = (0..6000).map(|i| format!("凭证{i:05}")).collect();
        let unit = String::from("本级");
        let mut b = SheetBuilder::new("s".into());
        for (r, t) in texts.iter().enumerate() {
            b.push_ref(r as u32, 0, &calamine::DataRef::SharedString(&unit));
            b.push_ref(r as u32, 1, &calamine::DataRef::SharedString(t));
        }
        // A voucher repeated after the column was judged: its own id, the same text.
        b.push_ref(6000, 1, &calamine::DataRef::SharedString(&texts[5999]));
        let s = b.finish(Vec::new());
        assert_eq!(s.id(0, 0), s.id(5999, 0));
        assert_eq!(s.value_count(), 1 + 6000 + 1);
        assert_ne!(s.id(5999, 1), s.id(6000, 1));
        assert_eq!(s.cell(6000, 1), s.cell(5999, 1));
        // Before the column is judged, a repeated text keeps one id.
        let mut b = SheetBuilder::new("s".into());
        b.push_ref(0, 1, &calamine::DataRef::SharedString(&texts[1]));
        b.push_ref(1, 1, &calamine::DataRef::SharedString(&texts[1]));
        let s = b.finish(Vec::new());
        assert_eq!(s.id(0, 1), s.id(1, 1));
    }

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
        assert_eq!(s.cell(1, 7), &Data::Empty);
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
