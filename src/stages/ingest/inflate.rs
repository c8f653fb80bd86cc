//! An xlsx seen through a view that inflates each part once.
//!
//! calamine's cell reader stops at a worksheet's `</sheetData>`, but the merged regions stand
//! after it, and calamine's own merge lookup parses the whole sheet again. Inflating every
//! part beforehand to find them (and to bound a zip bomb) inflated every sheet twice.
//!
//! [`InflatedZip`] presents the workbook to calamine as an archive whose parts are *stored*
//! (uncompressed), with the original CRCs and declared sizes. The stored bytes do not exist:
//! they are inflated from the original part when calamine reads them, in the order it reads
//! them. While a worksheet's bytes pass, the view keeps what follows `</sheetData>`; once
//! calamine is done with the sheet, [`Parts::tail`] inflates the rest of the part (the
//! same inflater, carrying on) and returns that tail, where `<mergeCells>` stands. Each byte
//! of each part is inflated once; nothing is held but the tail.
//!
//! Bounds: a part is never inflated beyond its declared size, and declared sizes are checked
//! against the limits of [`super::MAX_PART_BYTES`] and its neighbours before anything is
//! read. A part that would inflate further than it declares is reported (a zip bomb lies in
//! its sizes), as is one that ends short of them.

use std::cell::RefCell;
use std::io::{self, Read, Seek, SeekFrom};
use std::rc::Rc;

/// How a part's bytes are stored in the original archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    Stored,
    Deflated,
}

/// One part of the archive.
#[derive(Debug)]
struct Entry {
    name: String,
    method: Method,
    /// Its stored bytes in the original file.
    data: std::ops::Range<usize>,
    /// Declared (inflated) size.
    size: u64,
    /// Where its local header and its (stored) data start in the view.
    header_at: u64,
    data_at: u64,
    /// Its local header in the view.
    header: Vec<u8>,
    /// A worksheet part, whose tail after `</sheetData>` is kept.
    sheet: bool,
}

/// The part being inflated: the inflater, how far it has read and written.
struct Active {
    entry: usize,
    inflater: flate2::Decompress,
    ended: bool,
    tail: TailScan,
}

impl Active {
    fn new(entry: usize) -> Active {
        Active {
            entry,
            inflater: flate2::Decompress::new(false),
            ended: false,
            tail: TailScan::default(),
        }
    }
}

/// Looks for the end of a worksheet's sheet data in the bytes as they pass, and keeps what
/// follows.
#[derive(Default)]
struct TailScan {
    /// The last bytes of the previous chunk, so a marker split between two is found.
    carry: Vec<u8>,
    found: bool,
    tail: Vec<u8>,
}

/// Where the sheet data ends in `hay`: the `<` of `</sheetData>` or of `<sheetData/>`. One
/// search for the name (a finder built once), each hit checked for the tag around it.
fn end_of_data(hay: &[u8]) -> Option<usize> {
    static NAME: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"sheetData"));
    NAME.find_iter(hay).find_map(|at| {
        let after = hay.get(at + 9..).unwrap_or_default();
        if at >= 2 && &hay[at - 2..at] == b"</" && after.first() == Some(&b'>') {
            Some(at - 2)
        } else if at >= 1 && hay[at - 1] == b'<' && after.starts_with(b"/>") {
            Some(at - 1)
        } else {
            None
        }
    })
}

/// The longest end-of-data tag.
const MARKER_LEN: usize = "</sheetData>".len();

impl TailScan {
    fn feed(&mut self, chunk: &[u8]) {
        if self.found {
            self.tail.extend_from_slice(chunk);
            return;
        }
        // A marker across the previous chunk and this one.
        let head = &chunk[..chunk.len().min(MARKER_LEN)];
        let mut joined = std::mem::take(&mut self.carry);
        let carried = joined.len();
        joined.extend_from_slice(head);
        if let Some(at) = end_of_data(&joined).filter(|&at| at < carried) {
            self.found = true;
            self.tail.extend_from_slice(&joined[at..carried]);
            self.tail.extend_from_slice(chunk);
            return;
        }
        if let Some(at) = end_of_data(chunk) {
            self.found = true;
            self.tail.extend_from_slice(&chunk[at..]);
            return;
        }
        // Keep the last bytes seen (of this chunk, or of the carry and a short chunk).
        let keep = MARKER_LEN - 1;
        if chunk.len() >= keep {
            joined.clear();
            joined.extend_from_slice(&chunk[chunk.len() - keep..]);
        } else {
            joined.drain(..joined.len().saturating_sub(keep));
        }
        self.carry = joined;
    }
}

/// What the view and its owner share.
struct State {
    src: Vec<u8>,
    entries: Vec<Entry>,
    /// The central directory and its end record, at `dir_at`.
    dir: Vec<u8>,
    dir_at: u64,
    active: Option<Active>,
    /// A buffer for bytes inflated and not kept.
    scratch: Vec<u8>,
}

/// The archive as calamine reads it (see the module's documentation).
pub struct InflatedZip {
    state: Rc<RefCell<State>>,
    pos: u64,
    len: u64,
}

/// The owner's handle on the same view: small parts whole, and the tails of worksheets.
pub struct Parts {
    state: Rc<RefCell<State>>,
}

/// An xlsx opened through the view, or its bytes given back when the view cannot present it
/// (not a zip the `zip` crate reads, a part encrypted or compressed otherwise than by
/// deflate): calamine then reads it as it is, and reports what is wrong with it.
pub enum Opened {
    View(InflatedZip, Parts),
    Original(Vec<u8>),
}

/// Opens the view of an xlsx's bytes.
///
/// # Errors
/// The message of `refuse(name, declared size, stored size)` for the first part it refuses,
/// or a message in Chinese when the parts together declare 4 GiB or more.
pub fn open(
    src: Vec<u8>,
    refuse: impl Fn(&str, u64, u64) -> Option<String>,
) -> Result<Opened, String> {
    let Some(entries) = entries(&src, refuse)? else {
        return Ok(Opened::Original(src));
    };
    let dir_at = entries.last().map_or(0, |e| e.data_at + e.size);
    let dir = central_directory(&entries, dir_at);
    let len = dir_at + dir.len() as u64;
    let state = Rc::new(RefCell::new(State {
        src,
        entries,
        dir,
        dir_at,
        active: None,
        scratch: Vec::new(),
    }));
    Ok(Opened::View(
        InflatedZip {
            state: state.clone(),
            pos: 0,
            len,
        },
        Parts { state },
    ))
}

/// The parts of the archive as the view lays them out; `None` when the view cannot present
/// them.
fn entries(
    src: &[u8],
    refuse: impl Fn(&str, u64, u64) -> Option<String>,
) -> Result<Option<Vec<Entry>>, String> {
    let mut entries = Vec::new();
    let Ok(mut zip) = zip::ZipArchive::new(io::Cursor::new(src)) else {
        return Ok(None);
    };
    let mut at: u64 = 0;
    for i in 0..zip.len() {
        let Ok(part) = zip.by_index_raw(i) else {
            return Ok(None);
        };
        let method = match part.compression() {
            zip::CompressionMethod::Stored => Method::Stored,
            zip::CompressionMethod::Deflated => Method::Deflated,
            _ => return Ok(None),
        };
        let (Some(start), Ok(name)) = (part.data_start(), part.name().map(|n| n.into_owned()))
        else {
            return Ok(None);
        };
        let (stored, size, crc) = (part.compressed_size(), part.size(), part.crc32());
        if let Some(refused) = refuse(&name, size, stored) {
            return Err(refused);
        }
        let end = start.saturating_add(stored);
        if part.encrypted() || end > src.len() as u64 {
            return Ok(None);
        }
        let header = local_header(&name, crc, size);
        let data_at = at + header.len() as u64;
        let sheet = name.starts_with("xl/worksheets/") && name.ends_with(".xml");
        entries.push(Entry {
            name,
            method,
            data: start as usize..end as usize,
            size,
            header_at: at,
            data_at,
            header,
            sheet,
        });
        at = data_at + size;
        if at >= u64::from(u32::MAX) {
            return Err(format!(
                "文件解压后超过 4 GiB（前 {} 个部分已达 {} MiB）：过大，未读取；请按月分别导出",
                entries.len(),
                at >> 20
            ));
        }
    }
    Ok(Some(entries))
}

/// DOS date 1980-01-01, time 00:00.
const DOS_DATE: u16 = 0x21;

fn name_flags(name: &str) -> u16 {
    if name.is_ascii() { 0 } else { 0x0800 }
}

fn local_header(name: &str, crc: u32, size: u64) -> Vec<u8> {
    let mut h = Vec::with_capacity(30 + name.len());
    h.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
    h.extend_from_slice(&20u16.to_le_bytes()); // version needed
    h.extend_from_slice(&name_flags(name).to_le_bytes());
    h.extend_from_slice(&0u16.to_le_bytes()); // stored
    h.extend_from_slice(&0u16.to_le_bytes()); // time
    h.extend_from_slice(&DOS_DATE.to_le_bytes());
    h.extend_from_slice(&crc.to_le_bytes());
    h.extend_from_slice(&(size as u32).to_le_bytes()); // stored size = size
    h.extend_from_slice(&(size as u32).to_le_bytes());
    h.extend_from_slice(&(name.len() as u16).to_le_bytes());
    h.extend_from_slice(&0u16.to_le_bytes()); // no extra field
    h.extend_from_slice(name.as_bytes());
    h
}

fn central_directory(entries: &[Entry], dir_at: u64) -> Vec<u8> {
    let mut d = Vec::new();
    for e in entries {
        // The CRC is in the local header: bytes 14..18.
        let crc = &e.header[14..18];
        d.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        d.extend_from_slice(&20u16.to_le_bytes()); // made by
        d.extend_from_slice(&20u16.to_le_bytes()); // needed
        d.extend_from_slice(&name_flags(&e.name).to_le_bytes());
        d.extend_from_slice(&0u16.to_le_bytes()); // stored
        d.extend_from_slice(&0u16.to_le_bytes());
        d.extend_from_slice(&DOS_DATE.to_le_bytes());
        d.extend_from_slice(crc);
        d.extend_from_slice(&(e.size as u32).to_le_bytes());
        d.extend_from_slice(&(e.size as u32).to_le_bytes());
        d.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
        d.extend_from_slice(&[0; 12]); // extra, comment, disk, internal and external attributes
        d.extend_from_slice(&(e.header_at as u32).to_le_bytes());
        d.extend_from_slice(e.name.as_bytes());
    }
    let dir_len = d.len() as u32;
    let n = entries.len().min(usize::from(u16::MAX)) as u16;
    d.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    d.extend_from_slice(&[0; 4]); // disk numbers
    d.extend_from_slice(&n.to_le_bytes());
    d.extend_from_slice(&n.to_le_bytes());
    d.extend_from_slice(&dir_len.to_le_bytes());
    d.extend_from_slice(&(dir_at as u32).to_le_bytes());
    d.extend_from_slice(&0u16.to_le_bytes()); // no comment
    d
}

fn corrupt(msg: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg)
}

impl State {
    /// Inflates entry `i`'s bytes from `offset` into `out`; returns how many (0 at its end).
    fn part(&mut self, i: usize, offset: u64, out: &mut [u8]) -> io::Result<usize> {
        let e = &self.entries[i];
        let want = out.len().min((e.size - offset.min(e.size)) as usize);
        if want == 0 {
            return Ok(0);
        }
        if e.method == Method::Stored {
            let from = e.data.start + offset as usize;
            let n = want.min(e.data.end.saturating_sub(from));
            if n == 0 {
                return Err(corrupt(format!("“{}”比声明的短", e.name)));
            }
            out[..n].copy_from_slice(&self.src[from..from + n]);
            return Ok(n);
        }
        let resume =
            matches!(&self.active, Some(a) if a.entry == i && a.inflater.total_out() <= offset);
        if !resume {
            self.active = Some(Active::new(i));
        }
        // Skip to `offset` (only when calamine reads out of order).
        loop {
            let done = self.active.as_ref().map_or(0, |a| a.inflater.total_out());
            if done >= offset {
                break;
            }
            let mut skip = std::mem::take(&mut self.scratch);
            skip.resize(((offset - done) as usize).min(1 << 16), 0);
            let r = self.inflate(i, &mut skip);
            self.scratch = skip;
            if r? == 0 {
                return Err(corrupt(format!("“{}”比声明的短", self.entries[i].name)));
            }
        }
        let n = self.inflate(i, &mut out[..want])?;
        if n == 0 {
            return Err(corrupt(format!("“{}”比声明的短", self.entries[i].name)));
        }
        Ok(n)
    }

    /// Inflates the active entry's next bytes into `out` (never past its declared size).
    fn inflate(&mut self, i: usize, out: &mut [u8]) -> io::Result<usize> {
        let e = &self.entries[i];
        let Some(a) = self.active.as_mut() else {
            return Ok(0);
        };
        let room = (e.size - a.inflater.total_out().min(e.size)) as usize;
        let len = out.len().min(room);
        let out = &mut out[..len];
        let mut n = 0;
        while n < out.len() && !a.ended {
            let input = &self.src[e.data.start + a.inflater.total_in() as usize..e.data.end];
            let before = (a.inflater.total_in(), a.inflater.total_out());
            let status = a
                .inflater
                .decompress(input, &mut out[n..], flate2::FlushDecompress::None)
                .map_err(|err| corrupt(format!("“{}”无法解压：{err}", e.name)))?;
            let wrote = (a.inflater.total_out() - before.1) as usize;
            let read = a.inflater.total_in() - before.0;
            n += wrote;
            match status {
                flate2::Status::StreamEnd => a.ended = true,
                _ if wrote == 0 && read == 0 => {
                    return Err(corrupt(format!("“{}”的压缩数据不完整", e.name)));
                }
                _ => {}
            }
        }
        if e.sheet {
            a.tail.feed(&out[..n]);
        }
        Ok(n)
    }
}

impl Parts {
    /// A whole part (a small one: the workbook, its relationships), or `None` when there is
    /// no such part.
    ///
    /// # Errors
    /// A message when the part is corrupt.
    pub fn whole(&self, name: &str) -> Result<Option<Vec<u8>>, String> {
        let mut s = self.state.borrow_mut();
        let Some(i) = s.entries.iter().position(|e| e.name == name) else {
            return Ok(None);
        };
        let mut out = vec![0u8; s.entries[i].size as usize];
        let mut at = 0;
        while at < out.len() {
            let n = s
                .part(i, at as u64, &mut out[at..])
                .map_err(|e| e.to_string())?;
            at += n;
        }
        s.active = None;
        Ok(Some(out))
    }

    /// The bytes of worksheet part `name` after its sheet data: inflates the rest of the part
    /// (after calamine's cell reader stopped). `None` when there is no such part or marker.
    ///
    /// # Errors
    /// A message in Chinese when the part inflates beyond its declared size or is corrupt.
    pub fn tail(&self, name: &str) -> Result<Option<Vec<u8>>, String> {
        let mut guard = self.state.borrow_mut();
        let s = &mut *guard;
        let Some(i) = s.entries.iter().position(|e| e.name == name) else {
            return Ok(None);
        };
        let e = &s.entries[i];
        if e.method == Method::Stored {
            let bytes = &s.src[e.data.clone()];
            return Ok(end_of_data(bytes).map(|at| bytes[at..].to_vec()));
        }
        let (size, stored) = (e.size, e.data.len() as u64);
        let name = e.name.clone();
        if !matches!(&s.active, Some(a) if a.entry == i) {
            // Not read yet (or another part since): from its start.
            s.active = Some(Active::new(i));
        }
        let mut buf = std::mem::take(&mut s.scratch);
        buf.resize(1 << 16, 0);
        let inflated = loop {
            match s.inflate(i, &mut buf) {
                Ok(0) => break Ok(()),
                Ok(_) => {}
                Err(err) => break Err(err.to_string()),
            }
        };
        s.scratch = buf;
        inflated?;
        let Some(mut a) = s.active.take() else {
            return Ok(None);
        };
        if a.inflater.total_out() < size {
            return Err(format!("文件内部的“{name}”比声明的短：文件已损坏"));
        }
        if !a.ended {
            // More to come than declared: a zip bomb lies about its sizes.
            let e = &s.entries[i];
            let input = &s.src[e.data.start + a.inflater.total_in() as usize..e.data.end];
            let mut probe = [0u8; 1];
            let more = a
                .inflater
                .decompress(input, &mut probe, flate2::FlushDecompress::None)
                .map(|_| a.inflater.total_out() > size)
                .unwrap_or(false);
            if more {
                return Err(format!(
                    "文件内部的“{name}”解压后超过其声明的 {} MiB（压缩前仅 {} KiB）：文件已损坏或是恶意构造的压缩包，未读取",
                    size >> 20,
                    stored.div_ceil(1024)
                ));
            }
        }
        Ok(a.tail.found.then_some(a.tail.tail))
    }
}

impl Read for InflatedZip {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.pos >= self.len || out.is_empty() {
            return Ok(0);
        }
        let mut s = self.state.borrow_mut();
        let n = if self.pos >= s.dir_at {
            let from = (self.pos - s.dir_at) as usize;
            let n = out.len().min(s.dir.len() - from);
            out[..n].copy_from_slice(&s.dir[from..from + n]);
            n
        } else {
            let i = s.entries.partition_point(|e| e.header_at <= self.pos) - 1;
            let e = &s.entries[i];
            if self.pos < e.data_at {
                let from = (self.pos - e.header_at) as usize;
                let n = out.len().min(e.header.len() - from);
                out[..n].copy_from_slice(&e.header[from..from + n]);
                n
            } else {
                let offset = self.pos - e.data_at;
                s.part(i, offset, out)?
            }
        };
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for InflatedZip {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let pos = match to {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::End(d) => self.len.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        self.pos = pos.ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek"))?;
        Ok(self.pos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(parts: &[(&str, &[u8], zip::CompressionMethod)]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
        for (name, bytes, method) in parts {
            let opts = zip::write::SimpleFileOptions::default().compression_method(*method);
            w.start_file(*name, opts).unwrap();
            w.write_all(bytes).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn sheet_xml(rows: usize) -> Vec<u8> {
        let mut x = String::from("<worksheet><sheetData>");
        for r in 1..=rows {
            x.push_str(&format!(
                r#"<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>单位{r}</t></is></c><c r="B{r}"><v>{r}.5</v></c></row>"#
            ));
        }
        x.push_str(r#"</sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells></worksheet>"#);
        x.into_bytes()
    }

    #[test]
    fn parts_read_through_the_view_are_the_original_bytes() {
        let sheet = sheet_xml(5000);
        let deflated = zip::CompressionMethod::Deflated;
        let src = zip_of(&[
            ("xl/workbook.xml", b"<workbook/>", deflated),
            ("xl/worksheets/sheet1.xml", &sheet, deflated),
            (
                "docProps/app.xml",
                b"<app/>",
                zip::CompressionMethod::Stored,
            ),
        ]);
        let Ok(Opened::View(view, parts)) = open(src, |_, _, _| None) else {
            panic!("the view opens");
        };
        let mut z = zip::ZipArchive::new(view).unwrap();
        let mut got = Vec::new();
        z.by_name("xl/worksheets/sheet1.xml")
            .unwrap()
            .read_to_end(&mut got)
            .unwrap();
        assert_eq!(got, sheet);
        let mut app = String::new();
        z.by_name("docProps/app.xml")
            .unwrap()
            .read_to_string(&mut app)
            .unwrap();
        assert_eq!(app, "<app/>");
        // Read out of order: again from the start.
        let mut again = vec![0u8; 100];
        z.by_name("xl/worksheets/sheet1.xml")
            .unwrap()
            .read_exact(&mut again)
            .unwrap();
        assert_eq!(again, sheet[..100]);
        let tail = parts.tail("xl/worksheets/sheet1.xml").unwrap().unwrap();
        assert!(tail.starts_with(b"</sheetData><mergeCells"), "{tail:?}");
        assert_eq!(
            parts.whole("xl/workbook.xml").unwrap().as_deref(),
            Some(&b"<workbook/>"[..])
        );
        assert_eq!(parts.whole("xl/none.xml").unwrap(), None);
        assert!(tail.ends_with(b"</worksheet>"));
    }

    #[test]
    fn the_tail_is_found_after_a_partial_read_and_across_chunks() {
        let sheet = sheet_xml(20_000);
        let src = zip_of(&[(
            "xl/worksheets/sheet1.xml",
            &sheet,
            zip::CompressionMethod::Deflated,
        )]);
        let at = memchr::memmem::find(&sheet, b"</sheetData>").unwrap();
        for stop in [1000, at - 5, at + 3] {
            let Ok(Opened::View(view, parts)) = open(src.clone(), |_, _, _| None) else {
                panic!("the view opens");
            };
            let mut z = zip::ZipArchive::new(view).unwrap();
            let mut f = z.by_name("xl/worksheets/sheet1.xml").unwrap();
            let mut head = vec![0u8; stop];
            f.read_exact(&mut head).unwrap();
            drop(f);
            drop(z);
            let tail = parts.tail("xl/worksheets/sheet1.xml").unwrap().unwrap();
            assert_eq!(tail, sheet[at..], "stopped at {stop}");
        }
    }

    #[test]
    fn the_tail_is_kept_whatever_the_chunks() {
        let xml = sheet_xml(40);
        let at = memchr::memmem::find(&xml, b"</sheetData>").unwrap();
        for size in [1, 2, 5, 11, 12, 13, 64, 4096, xml.len()] {
            let mut scan = TailScan::default();
            for chunk in xml.chunks(size) {
                scan.feed(chunk);
            }
            assert!(scan.found, "chunks of {size}");
            assert_eq!(scan.tail, xml[at..], "chunks of {size}");
        }
    }

    #[test]
    fn the_end_of_sheet_data_is_its_closing_or_empty_tag() {
        assert_eq!(end_of_data(b"<sheetData><row/></sheetData><x/>"), Some(17));
        assert_eq!(end_of_data(b"<dimension/><sheetData/><x/>"), Some(12));
        assert_eq!(end_of_data(b"<sheetData><row/>"), None);
        assert_eq!(end_of_data(b"sheetData>"), None);
    }

    #[test]
    fn a_part_that_inflates_beyond_its_declared_size_is_refused() {
        let sheet = sheet_xml(3000);
        let mut src = zip_of(&[(
            "xl/worksheets/sheet1.xml",
            &sheet,
            zip::CompressionMethod::Deflated,
        )]);
        // Declare 1,000 bytes in both headers (a lie).
        let lie = 1000u32.to_le_bytes();
        src[22..26].copy_from_slice(&lie);
        let dir = memchr::memmem::find(&src, &0x0201_4b50u32.to_le_bytes()).unwrap();
        src[dir + 24..dir + 28].copy_from_slice(&lie);
        let Ok(Opened::View(_view, parts)) = open(src, |_, _, _| None) else {
            panic!("the view opens");
        };
        let err = parts.tail("xl/worksheets/sheet1.xml").unwrap_err();
        assert!(err.contains("解压后超过其声明的"), "{err}");
    }

    #[test]
    fn declared_sizes_are_checked_before_reading() {
        let src = zip_of(&[(
            "xl/sharedStrings.xml",
            b"<sst/>",
            zip::CompressionMethod::Deflated,
        )]);
        let refused = open(src, |name, size, _| Some(format!("{name} {size}")));
        assert_eq!(refused.err().as_deref(), Some("xl/sharedStrings.xml 6"));
    }
}
