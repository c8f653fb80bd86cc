//! Stage 6 — render: the report workbook, the audit workbook and the detail CSV (SPEC §7,
//! §8). The only users of rust_xlsxwriter. They lay out numbers computed elsewhere.

pub mod audit;
mod direct;
pub mod docx;
pub mod forms;
pub mod report;
pub mod style;

use anyhow::Result;
use std::io::Write;
use std::path::Path;

/// What an output's builder leaves to free once its bytes are made: the workbook with its
/// thousands of cells or sheets (the benchmark year's forms, ~0.03 s to free; the audit's,
/// ~0.02 s). The caller frees it off the run's path with [`drop_later`].
pub type Leftover = Box<dyn Send>;

static DROPPING: std::sync::Mutex<Vec<std::thread::JoinHandle<()>>> =
    std::sync::Mutex::new(Vec::new());

/// Frees `leftovers` on a thread of its own, while the outputs are written (a single run's
/// process may end before it is done). [`wait_dropped`] waits for it.
pub fn drop_later(leftovers: Vec<Leftover>) {
    let freeing = std::thread::Builder::new()
        .name("jixiao-free".into())
        .spawn(move || drop(leftovers));
    // No thread to be had: the closure, and `leftovers` with it, is freed here instead.
    if let (Ok(handle), Ok(mut pending)) = (freeing, DROPPING.lock()) {
        pending.push(handle);
    }
}

/// Waits until everything given to [`drop_later`] is freed (a batch, before it hands the
/// memory back to the system and starts the next department).
pub fn wait_dropped() {
    let pending = match DROPPING.lock() {
        Ok(mut pending) => std::mem::take(&mut *pending),
        Err(_) => return,
    };
    for handle in pending {
        let _ = handle.join();
    }
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, then a rename,
/// so a failed or killed run never leaves a half-written file nor replaces a good one.
///
/// # Errors
/// The file system error, naming the file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_with(path, |w| w.write_all(bytes).map_err(Into::into))
}

/// Like [`write_atomic`], streaming the content through `fill`.
///
/// # Errors
/// The file system error or the error of `fill`, naming the file.
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    write_pending_with(path, fill)?.commit()
}

/// An output written completely under its temporary name: [`Pending::commit`] renames it
/// into place; dropped uncommitted, it is removed (the output never appears).
#[must_use]
pub struct Pending {
    tmp: std::path::PathBuf,
    path: std::path::PathBuf,
    committed: bool,
}

impl Pending {
    /// Renames the output into place.
    ///
    /// # Errors
    /// The rename failed (the temporary file is removed).
    pub fn commit(mut self) -> Result<()> {
        std::fs::rename(&self.tmp, &self.path).map_err(|e| {
            anyhow::anyhow!(
                "无法写入输出文件 {}：{}",
                self.path.display(),
                crate::diag::io_text(&e)
            )
        })?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Writes `path`'s content with `fill` under a temporary name in its folder, synced, without
/// renaming it into place yet (see [`Pending`]).
///
/// # Errors
/// Creating, filling or syncing the file failed (the temporary file is removed).
pub fn write_pending_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<Pending> {
    let pending = pending_for(path);
    (|| -> Result<()> {
        let file = std::fs::File::create(&pending.tmp)?;
        let mut w = std::io::BufWriter::new(WritingBack::new(file));
        fill(&mut w)?;
        synced(w)
    })()
    .map_err(|e| cannot_write(path, &e))?;
    Ok(pending)
}

/// A large output (the detail CSV) being written under its temporary name, around the page
/// cache where the file system allows it (see [`direct`]), with the same content: filled
/// through [`Writing::writer`] over a run, then [`Writing::finish`]ed. Dropped unfinished,
/// the temporary file is removed.
pub struct Writing {
    pending: Pending,
    w: direct::DirectFile<std::io::BufWriter<WritingBack>>,
}

impl Writing {
    /// Creates `path`'s temporary file.
    ///
    /// # Errors
    /// The file cannot be created.
    pub fn create(path: &Path) -> Result<Writing> {
        let pending = pending_for(path);
        let w = direct::create(&pending.tmp, |f| {
            std::io::BufWriter::new(WritingBack::new(f))
        })
        .map_err(|e| cannot_write(path, &e.into()))?;
        Ok(Writing { pending, w })
    }

    pub fn writer(&mut self) -> &mut dyn Write {
        &mut self.w
    }

    /// Writes what is buffered and syncs the file; it is then ready to be renamed into place.
    ///
    /// # Errors
    /// Writing or syncing failed (the temporary file is removed).
    pub fn finish(self) -> Result<Pending> {
        let Writing { pending, w } = self;
        (|| synced(w.finish()?))().map_err(|e| cannot_write(&pending.path, &e))?;
        Ok(pending)
    }
}

/// “Cannot write output file X: why”, the why in Chinese.
fn cannot_write(path: &Path, e: &anyhow::Error) -> anyhow::Error {
    anyhow::anyhow!(
        "无法写入输出文件 {}：{}",
        path.display(),
        crate::diag::error_text(e)
    )
}

/// Flushes `w` and syncs its file to disk.
fn synced(w: std::io::BufWriter<WritingBack>) -> Result<()> {
    let file = w.into_inner().map_err(|e| e.into_error())?.file;
    file.sync_all()?;
    Ok(())
}

/// The [`Pending`] output of `path`: its temporary name in the same folder.
fn pending_for(path: &Path) -> Pending {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    Pending {
        tmp: dir.join(temporary_name(&name, std::process::id())),
        path: path.to_path_buf(),
        committed: false,
    }
}

/// A file that asks the system to start writing its content to disk every
/// [`WritingBack::EVERY`] bytes (Linux: `sync_file_range`, not waiting), so the `fsync`
/// before the rename has little left to wait for: for the 212 MB detail CSV of a city's
/// year it waited ~0.07 s at the very end of the run.
struct WritingBack {
    file: std::fs::File,
    written: u64,
    started: u64,
}

impl WritingBack {
    const EVERY: u64 = 16 << 20;

    fn new(file: std::fs::File) -> WritingBack {
        WritingBack {
            file,
            written: 0,
            started: 0,
        }
    }
}

impl Write for WritingBack {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.file.write(buf)?;
        self.written += n as u64;
        if self.written - self.started >= Self::EVERY {
            #[cfg(all(target_os = "linux", target_env = "gnu"))]
            {
                use std::os::fd::AsRawFd;
                // SAFETY: the descriptor is our open file; the call only starts writeback
                // of the range just written (an error here is harmless: fsync follows).
                unsafe {
                    libc::sync_file_range(
                        self.file.as_raw_fd(),
                        self.started as libc::off64_t,
                        (self.written - self.started) as libc::off64_t,
                        libc::SYNC_FILE_RANGE_WRITE,
                    );
                }
            }
            self.started = self.written;
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// The temporary name of an output while it is written: hidden, with the writer's process id.
fn temporary_name(name: &str, pid: u32) -> String {
    format!(".{name}.{pid}.tmp")
}

/// Removes the temporaries that an interrupted run left in `dir` for the outputs `names`:
/// only files of [`temporary_name`]'s pattern for those names, and only when the process that
/// wrote them is gone (Linux: no `/proc/PID`; elsewhere: untouched for an hour). Returns the
/// names removed.
pub fn remove_stale_temporaries(dir: &Path, names: &[&str]) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let proc_fs = Path::new("/proc/self").exists();
    let mut removed = Vec::new();
    for e in entries.flatten() {
        let file = e.file_name().to_string_lossy().to_string();
        let Some(pid) = names.iter().find_map(|n| {
            file.strip_prefix(&format!(".{n}."))?
                .strip_suffix(".tmp")?
                .parse::<u32>()
                .ok()
        }) else {
            continue;
        };
        if pid == std::process::id() {
            continue;
        }
        let gone = if proc_fs {
            !Path::new(&format!("/proc/{pid}")).exists()
        } else {
            e.metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 3600)
        };
        if gone && std::fs::remove_file(e.path()).is_ok() {
            removed.push(file);
        }
    }
    removed.sort();
    removed
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    /// Sets its flag when freed, slowly (a large workbook takes a while).
    struct Slow(Arc<AtomicBool>);

    impl Drop for Slow {
        fn drop(&mut self) {
            std::thread::sleep(std::time::Duration::from_millis(50));
            self.0.store(true, Ordering::SeqCst);
        }
    }

    #[test]
    fn what_is_dropped_later_is_freed_by_the_time_wait_dropped_returns() {
        let freed = Arc::new(AtomicBool::new(false));
        drop_later(vec![Box::new(Slow(Arc::clone(&freed)))]);
        // Not on the caller's path: drop_later returns before the value is freed.
        assert!(!freed.load(Ordering::SeqCst));
        wait_dropped();
        assert!(freed.load(Ordering::SeqCst));
    }
}
