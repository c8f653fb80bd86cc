//! One file per subcommand: `run`, `check`, `diff`, `init`; `batch` runs them on each
//! department of a folder of departments; `args` parses the command line.
pub mod args;
pub mod batch;
pub mod check;
pub mod diff;
pub mod init;
pub mod run;

use std::path::PathBuf;

/// The options `run` and `check` share.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paths {
    pub input: Option<PathBuf>,
    pub output: Option<PathBuf>,
    pub config: Option<PathBuf>,
}

impl Paths {
    pub fn input(&self) -> PathBuf {
        self.input.clone().unwrap_or_else(|| PathBuf::from("input"))
    }
    pub fn output(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| PathBuf::from("output"))
    }
    /// `--config`, by default `jixiao.toml` in the input folder.
    pub fn config(&self) -> PathBuf {
        self.config
            .clone()
            .unwrap_or_else(|| self.input().join("jixiao.toml"))
    }
}

/// The config of a run or a check: a missing input folder, and a folder without its
/// `jixiao.toml`, each say what to do (usage errors, exit 2).
///
/// # Errors
/// As [`crate::config::Config::load`], and the two cases above.
pub fn load_config(paths: &Paths) -> anyhow::Result<crate::config::Config> {
    let input = paths.input();
    if !input.is_dir() {
        anyhow::bail!(
            "输入文件夹 {} 不存在：请用 --input 指定导出表所在的文件夹",
            input.display()
        );
    }
    let config = paths.config();
    if paths.config.is_none() && !config.exists() {
        anyhow::bail!(
            "输入文件夹 {} 中没有配置文件 jixiao.toml：请先运行 jixiao init --input {} 起草一份，核对后再运行",
            input.display(),
            input.display()
        );
    }
    crate::config::Config::load(&config)
}

/// Prints every problem to stderr, errors first, and a count line.
pub fn print_problems(o: &crate::pipeline::Outcome, unfilled: &[String]) {
    let errors: Vec<_> = o.errors().collect();
    let mut warnings: Vec<String> = o.warnings().map(|w| w.to_string()).collect();
    // The draft's sections the data cannot fill: a warning like the others, counted.
    if draft_warns(o, unfilled) {
        warnings.push(unfilled_warning(unfilled));
    }
    for w in &warnings {
        eprintln!("警告：{w}");
    }
    for e in &errors {
        eprintln!("错误：{e}");
    }
    if !errors.is_empty() {
        eprintln!("共 {} 个错误、{} 个警告。", errors.len(), warnings.len());
    } else if !warnings.is_empty() {
        eprintln!("共 {} 个警告。", warnings.len());
    }
}

/// True when a run warns of the draft's sections to fill: some are unfilled and there is a
/// draft (no errors).
pub fn draft_warns(o: &crate::pipeline::Outcome, unfilled: &[String]) -> bool {
    !unfilled.is_empty() && !o.has_errors()
}

/// The warning for the report draft's sections that the data cannot fill.
pub fn unfilled_warning(unfilled: &[String]) -> String {
    format!(
        "报告初稿中以下部分待填写（可在 jixiao.toml 的 [narrative] 中写好，下次自动填入）：{}",
        unfilled.join("、")
    )
}

/// The progress the pipeline reports, drawn on stderr when it is a terminal (silent otherwise).
pub fn progress(p: crate::pipeline::Progress) {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return;
    }
    match p {
        crate::pipeline::Progress::Read { done, total } => {
            let width = 30;
            let filled = done * width / total.max(1);
            eprint!(
                "\r读取文件 [{}{}] {done}/{total}",
                "#".repeat(filled),
                " ".repeat(width - filled)
            );
            if done == total {
                eprintln!();
            }
        }
    }
}

/// Says, on a terminal, that the outputs are being written.
pub fn progress_writing() {
    use std::io::IsTerminal;
    if std::io::stderr().is_terminal() {
        eprintln!("正在写入输出文件……");
    }
}

/// True when `e` comes from writing to a closed pipe.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Tunes glibc's malloc for a run: each file's sheet is built, normalised and freed in turn.
///
/// - Arenas capped at two. The files are read on every core, and glibc gives each reading
///   thread its own arena; the read buffers those arenas freed stayed resident through the
///   output phase (about 40 MB more peak RSS on the benchmark year, for no speed).
/// - 64 MiB kept at the top of the heap when it grows or shrinks (`M_TOP_PAD`, which also
///   fixes the mmap threshold at 128 KiB). A sheet's buffers were returned to the system and
///   faulted in again for the next file; on the benchmark year this cut system time from
///   ~0.46 to ~0.34 s and peak RSS from ~250 to ~232 MiB (16 MiB: less memory, more system
///   time than before; 128 MiB: 274 MiB for little more).
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator parameters; called first thing in main, before
    // any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
        libc::mallopt(libc::M_TOP_PAD, 64 << 20);
    }
}

/// Gives the memory a finished department freed back to the system before the next starts
/// (a batch, SPEC §11): glibc keeps freed heap pages for reuse, so without this a batch's
/// resident memory grew with the mix of its departments, not with the largest.
pub fn release_memory() {
    crate::render::wait_dropped();
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free heap memory to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}
