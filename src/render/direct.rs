//! A large output written around the page cache (Linux: `O_DIRECT`).
//!
//! The detail CSV of a city's year is ~212 MB. Written through the page cache, the kernel
//! copies every byte into freshly allocated cache pages: ~3.5 % of a whole run's CPU on the
//! 12-file benchmark year (`copy_folio_from_iter_atomic` alone 2.9 %), work no reader of
//! the run needs. Written with `O_DIRECT`, the device reads the bytes from our buffer. The
//! file's content is the same byte for byte.
//!
//! Direct I/O wants the buffer's address, the length and the file offset aligned to the
//! device's block: the bytes go through one aligned buffer, written whole; the last partial
//! block is written after `O_DIRECT` is switched off. Any refusal (a file system without
//! direct I/O: tmpfs, some network mounts; an odd block size) falls back to ordinary writes
//! for the rest of the file, so the output never depends on the file system.

use std::fs::File;
use std::io::{self, Write};

/// The alignment asked of address, length and offset (covers 512- and 4096-byte blocks).
const ALIGN: usize = 4096;

/// The buffer: whole blocks, written to the file when full.
const BUFFER: usize = 8 << 20;

#[repr(C, align(4096))]
struct Block([u8; ALIGN]);

/// A file written through an aligned buffer with `O_DIRECT` while the file system takes it,
/// with ordinary writes (through `fallback`) after it refuses.
pub struct DirectFile<W: Write> {
    file: File,
    fallback: W,
    blocks: Vec<Block>,
    len: usize,
    direct: bool,
}

/// Opens `path` for writing (created or truncated), with `O_DIRECT` where the system offers
/// it; `fallback` wraps the same file for ordinary writes.
///
/// # Errors
/// The file cannot be created.
pub fn create<W: Write>(
    path: &std::path::Path,
    fallback: impl FnOnce(File) -> W,
) -> io::Result<DirectFile<W>> {
    let (file, direct) = open(path)?;
    let plain = file.try_clone()?;
    let blocks = if direct {
        (0..BUFFER / ALIGN).map(|_| Block([0; ALIGN])).collect()
    } else {
        Vec::new()
    };
    Ok(DirectFile {
        file,
        fallback: fallback(plain),
        blocks,
        len: 0,
        direct,
    })
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn open(path: &std::path::Path) -> io::Result<(File, bool)> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    match o.clone().custom_flags(libc::O_DIRECT).open(path) {
        Ok(f) => Ok((f, true)),
        // EINVAL: this file system has no direct I/O.
        Err(e) if e.raw_os_error() == Some(libc::EINVAL) => Ok((o.open(path)?, false)),
        Err(e) => Err(e),
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn open(path: &std::path::Path) -> io::Result<(File, bool)> {
    Ok((File::create(path)?, false))
}

/// The blocks as one byte slice.
fn bytes(blocks: &mut [Block]) -> &mut [u8] {
    let n = blocks.len() * ALIGN;
    // SAFETY: `blocks` is `n` contiguous initialised bytes (`Block` is a `u8` array with no
    // padding), borrowed mutably for the slice's life.
    unsafe { std::slice::from_raw_parts_mut(blocks.as_mut_ptr().cast::<u8>(), n) }
}

impl<W: Write> DirectFile<W> {
    /// Writes the buffer's first `n` bytes (whole blocks) directly; on a refusal, switches to
    /// ordinary writes and writes them that way.
    fn write_blocks(&mut self, n: usize) -> io::Result<()> {
        let mut at = 0;
        while at < n {
            let r = (&self.file).write(&bytes(&mut self.blocks)[at..n]);
            match r {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(k) if k % ALIGN == 0 => at += k,
                // A short, unaligned write: the rest goes the ordinary way.
                Ok(k) => {
                    at += k;
                    return self.fall_back(at, n);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if e.raw_os_error() == Some(EINVAL) => return self.fall_back(at, n),
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Switches the file to ordinary writes and writes the buffer's bytes `from..to`.
    fn fall_back(&mut self, from: usize, to: usize) -> io::Result<()> {
        self.direct = false;
        clear_direct(&self.file)?;
        self.fallback.write_all(&bytes(&mut self.blocks)[from..to])
    }

    /// Writes what is buffered, leaves the file in ordinary mode and returns the fallback
    /// writer (to flush and sync).
    ///
    /// # Errors
    /// The write failed.
    pub fn finish(mut self) -> io::Result<W> {
        let whole = self.len / ALIGN * ALIGN;
        if self.direct {
            // May fall back (then it wrote them the ordinary way).
            self.write_blocks(whole)?;
        }
        if self.direct {
            self.direct = false;
            clear_direct(&self.file)?;
        }
        let len = self.len;
        self.fallback
            .write_all(&bytes(&mut self.blocks)[whole..len])?;
        Ok(self.fallback)
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
const EINVAL: i32 = libc::EINVAL;
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
const EINVAL: i32 = 22;

/// Switches `file` (and every descriptor sharing its open file) to ordinary writes.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn clear_direct(file: &File) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    let fd = file.as_raw_fd();
    // SAFETY: `fd` is our open file; F_GETFL/F_SETFL only read and set its status flags.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    if flags < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: as above.
    if unsafe { libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_DIRECT) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn clear_direct(_: &File) -> io::Result<()> {
    Ok(())
}

impl<W: Write> Write for DirectFile<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if !self.direct {
            return self.fallback.write(data);
        }
        let room = BUFFER - self.len;
        let n = data.len().min(room);
        let len = self.len;
        bytes(&mut self.blocks)[len..len + n].copy_from_slice(&data[..n]);
        self.len += n;
        if self.len == BUFFER {
            self.write_blocks(BUFFER)?;
            self.len = 0;
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        // Whole blocks only reach the file in `finish`; ordinary writes pass through.
        self.fallback.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(n: usize) -> Vec<u8> {
        (0..n).map(|i| (i * 7 % 251) as u8).collect()
    }

    /// Every size around the block and buffer boundaries, in pieces of odd sizes: the file
    /// holds exactly the bytes written.
    #[test]
    fn writes_exactly_the_bytes() {
        let dir = std::env::temp_dir().join(format!("jixiao-direct-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        for size in [
            0,
            1,
            ALIGN - 1,
            ALIGN,
            ALIGN + 1,
            BUFFER - 1,
            BUFFER,
            BUFFER + 1,
            2 * BUFFER + 12_345,
        ] {
            let want = content(size);
            let path = dir.join(format!("{size}.bin"));
            let mut w = create(&path, std::io::BufWriter::new).expect("create");
            for piece in want.chunks(3_000_017) {
                w.write_all(piece).expect("write");
            }
            let mut plain = w.finish().expect("finish");
            plain.flush().expect("flush");
            drop(plain);
            assert_eq!(std::fs::read(&path).expect("read"), want, "size {size}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// After a refusal the rest goes the ordinary way, and nothing is lost or repeated.
    #[test]
    fn falls_back_midway() {
        let dir = std::env::temp_dir().join(format!("jixiao-direct-fb-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("out.bin");
        let want = content(BUFFER + 5_000);
        let mut w = create(&path, std::io::BufWriter::new).expect("create");
        w.write_all(&want[..ALIGN * 3 + 10]).expect("write");
        if w.direct {
            // As if the file system refused the next direct write.
            let len = w.len;
            w.fall_back(0, len).expect("fall back");
            w.len = 0;
        }
        w.write_all(&want[ALIGN * 3 + 10..]).expect("write");
        let mut plain = w.finish().expect("finish");
        plain.flush().expect("flush");
        drop(plain);
        assert_eq!(std::fs::read(&path).expect("read"), want);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
