//! `jixiao run [--input DIR] [--output DIR] [--config FILE]`: the report, the audit and
//! the detail CSV. Exit 0 done, 1 input errors (the audit and CSV are written, the report
//! is not), 2 usage or config error.

use crate::cmd::{Paths, print_problems};
use crate::config::Config;
use crate::pipeline;
use crate::render::{Writing, audit, remove_stale_temporaries, report, write_pending_with};
use anyhow::{Context, Result};
use std::io::Write;
use std::path::PathBuf;

/// Runs the pipeline and writes the outputs — of one department, or of each department of a
/// batch (SPEC §11, `cmd::batch`). Returns the exit code (0 or 1); an `Err` is a usage error
/// (exit 2).
pub fn run(paths: &Paths) -> Result<i32> {
    if let Some(departments) = crate::cmd::batch::departments(paths) {
        return crate::cmd::batch::run(paths, &departments);
    }
    execute(paths, false, &mut |_| {})
}

/// What a finished run hands on before its results are dropped.
pub struct Finished<'a> {
    pub cfg: &'a Config,
    pub outcome: &'a pipeline::Outcome,
    /// 0, or 1 (input errors).
    pub code: i32,
    /// Warnings printed beside the outcome's (the draft's sections to fill).
    pub extra_warnings: usize,
    /// On exit 1: the note naming the report files an earlier run left in the output folder.
    pub earlier: Option<&'a str>,
}

/// Called once a run has written its outputs, with what it leaves.
pub type OnFinished<'a> = &'a mut dyn FnMut(&Finished);

/// One department's run. `quiet`: nothing on the terminal (a batch says it per department).
///
/// # Errors
/// A usage error (exit 2 on its own).
pub fn execute(paths: &Paths, quiet: bool, finished: OnFinished) -> Result<i32> {
    let config = paths.config();
    let cfg = crate::cmd::load_config(paths)?;
    let out_dir: PathBuf = paths.output();
    std::fs::create_dir_all(&out_dir).map_err(|e| {
        anyhow::anyhow!(
            "无法创建输出文件夹 {}：{}",
            out_dir.display(),
            crate::diag::io_text(&e)
        )
    })?;
    let [report_name, audit_name, csv_name, draft_file, forms_name] = cfg.output_names();
    let stale = remove_stale_temporaries(
        &out_dir,
        &[
            &report_name,
            &audit_name,
            &csv_name,
            &draft_file,
            &forms_name,
        ],
    );
    if !stale.is_empty() && !quiet {
        eprintln!("已删除上次中断的运行留下的临时文件：{}", stale.join("、"));
    }
    // Report files of an earlier run: said on exit 1, so that nobody hands them in as today's.
    let earlier = earlier_reports(&out_dir, &[&report_name, &draft_file, &forms_name]);
    let csv_path = out_dir.join(&csv_name);
    let cannot_write_csv = format!("无法写入输出文件 {}", csv_path.display());
    let evicting = evict_previous(&csv_path);
    // The detail CSV (large; it needs only the validated rows) is written under its
    // temporary name file by file, as each file is validated while later ones are read.
    let mut csv = Writing::create(&csv_path)?;
    let mut detail = audit::DetailCsv::new(&cfg, csv.writer()).context(cannot_write_csv.clone())?;
    let mut csv_error: Option<anyhow::Error> = None;
    // The rows of the files validated once every file had been read: written at the end,
    // beside the figures and workbooks, rather than before them.
    let mut later: std::ops::Range<usize> = 0..0;
    let read = pipeline::read_validate_each(
        &paths.input(),
        &config,
        &cfg,
        Some(&out_dir),
        if quiet {
            &pipeline::silent
        } else {
            &crate::cmd::progress
        },
        &mut |validator, reading| {
            let (ledger, rows, display) = validator.last_file();
            if !reading || !later.is_empty() {
                later = if later.is_empty() {
                    rows
                } else {
                    later.start..rows.end
                };
            } else if csv_error.is_none() {
                let end = rows.end;
                crate::timing::time("detail-csv-file", || {
                    if let Err(e) = detail.append(ledger, rows, display, csv.writer()) {
                        csv_error = Some(e);
                    }
                });
                // Written: their memos are not read again.
                validator.release_memos(end);
            }
        },
    )?;
    if let Some(e) = csv_error {
        return Err(e.context(cannot_write_csv));
    }
    if !quiet {
        crate::cmd::progress_writing();
    }
    // The CSV's last rows are written and the file synced, on a thread of its own, while the
    // figures are computed and the workbooks built in memory. It is renamed into place as
    // soon as the report draft's template has been checked (a broken custom template is a
    // usage error: then nothing is written): replacing the previous 212 MB CSV frees its
    // blocks (~0.04 s), which then happens beside the workbooks rather than at the very end.
    let validated = read.validated.clone();
    let (template_ok, template_checked) = std::sync::mpsc::channel::<()>();
    let (csv, built) = std::thread::scope(|scope| {
        let csv = scope.spawn(move || -> Result<()> {
            let pending = crate::timing::time("detail-csv", || -> Result<_> {
                let v = &validated;
                detail
                    .append(&v.payments, later, &v.first_names, csv.writer())
                    .context(cannot_write_csv)?;
                csv.finish()
            })?;
            // No signal (the sender dropped): the template failed, or nothing was built;
            // the temporary file is removed with `pending`.
            if template_checked.recv().is_ok() {
                let _ = evicting.join();
                crate::timing::time("detail-csv-commit", || pending.commit())?;
            }
            Ok(())
        });
        let built = crate::timing::time("workbooks", || {
            build(&cfg, read, &config, earlier.as_deref(), template_ok)
        });
        let csv = csv.join().unwrap_or_else(|_| {
            Err(anyhow::anyhow!(
                "内部错误，请报告：写支出明细时线程异常退出"
            ))
        });
        (csv, built)
    });
    let (outcome, unfilled, mut books) = built?;
    crate::render::drop_later(std::mem::take(&mut books.leftovers));
    if !quiet {
        print_problems(&outcome, &unfilled);
    }
    let draft_warning = usize::from(crate::cmd::draft_warns(&outcome, &unfilled));
    // The other outputs are written (and synced) side by side under their temporary
    // names, then all are renamed into place.
    csv?;
    let pending = |name: &str, bytes: &[u8]| {
        write_pending_with(&out_dir.join(name), |w| Ok(w.write_all(bytes)?))
    };
    let (audit, report) = crate::timing::time("write-outputs", || {
        rayon::join(
            || pending(&audit_name, &books.audit),
            || {
                books.report.as_ref().map(|(report, draft, forms)| {
                    let ((report, draft), forms) = rayon::join(
                        || {
                            rayon::join(
                                || pending(&report_name, report),
                                || pending(&draft_file, draft),
                            )
                        },
                        || pending(&forms_name, forms),
                    );
                    (report, draft, forms)
                })
            },
        )
    });
    audit?.commit()?;
    let Some((report, draft, forms)) = report else {
        finished(&Finished {
            cfg: &cfg,
            outcome: &outcome,
            code: 1,
            extra_warnings: draft_warning,
            earlier: earlier.as_deref(),
        });
        if quiet {
            return Ok(1);
        }
        eprintln!(
            "输入有错误，未生成报表。请查看上面的错误，或打开 {}（“错误与警告”“异常”两页）。",
            out_dir.join(&audit_name).display()
        );
        if let Some(note) = &earlier {
            eprintln!("{note}");
        }
        return Ok(1);
    };
    report?.commit()?;
    draft?.commit()?;
    forms?.commit()?;
    finished(&Finished {
        cfg: &cfg,
        outcome: &outcome,
        code: 0,
        extra_warnings: draft_warning,
        earlier: None,
    });
    if quiet {
        return Ok(0);
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "已生成：")?;
    for n in [
        &report_name,
        &draft_file,
        &forms_name,
        &audit_name,
        &csv_name,
    ] {
        writeln!(out, "  {}", out_dir.join(n).display())?;
    }
    Ok(0)
}

/// The report files `names` that an earlier run left in `dir`, as a note naming them and
/// when they were written (Beijing time), or None.
fn earlier_reports(dir: &std::path::Path, names: &[&str]) -> Option<String> {
    let found: Vec<String> = names
        .iter()
        .filter_map(|n| {
            let modified = std::fs::metadata(dir.join(n)).ok()?.modified().ok()?;
            let secs = modified
                .duration_since(std::time::UNIX_EPOCH)
                .ok()?
                .as_secs() as i64
                + 8 * 3600;
            let d = crate::text::civil_from_days(secs.div_euclid(86_400));
            let t = secs.rem_euclid(86_400);
            Some(format!(
                "{n}（{}年{}月{}日 {:02}:{:02}）",
                d.year,
                d.month,
                d.day,
                t / 3600,
                t % 3600 / 60
            ))
        })
        .collect();
    (!found.is_empty()).then(|| {
        format!(
            "注意：输出文件夹中的 {} 是此前一次运行生成的（北京时间），不是本次的结果；改正输入后重新运行才会更新。",
            found.join("、")
        )
    })
}

/// Drops the page cache of the previous run's detail CSV, on a thread of its own while the
/// input is read: replacing a 212 MB CSV cost ~0.045 s at the rename, at the very end of the
/// run, ~0.02 s of it freeing the old file's cached pages. The file itself stays until the
/// new one is renamed over it (a failed run still leaves it).
fn evict_previous(path: &std::path::Path) -> std::thread::JoinHandle<()> {
    let path = path.to_path_buf();
    std::thread::spawn(move || {
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        if let Ok(file) = std::fs::File::open(&path) {
            use std::os::fd::AsRawFd;
            // SAFETY: the descriptor is our open file; the call only advises the kernel
            // that its cached pages are not needed (an error is harmless).
            unsafe {
                libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_DONTNEED);
            }
        }
        #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
        let _ = path;
    })
}

/// The outputs of a run, in memory: the audit workbook, and unless the input has errors
/// the report workbook and the report draft; and the workbooks to free.
struct Books {
    audit: Vec<u8>,
    report: Documents,
    leftovers: Vec<crate::render::Leftover>,
}

/// The report workbook, the report draft and the project forms workbook, unless the input
/// has errors.
type Documents = Option<(Vec<u8>, Vec<u8>, Vec<u8>)>;

/// Computes the figures and builds the workbooks and the draft; also returns the outcome and
/// the draft's unfilled sections.
/// `template_ok` is signalled once the draft's template has been filled without error.
fn build(
    cfg: &Config,
    read: pipeline::Read,
    config: &std::path::Path,
    earlier: Option<&str>,
    template_ok: std::sync::mpsc::Sender<()>,
) -> Result<(pipeline::Outcome, Vec<String>, Books)> {
    let computed = crate::timing::time("compute", || pipeline::compute(cfg, &read))?;
    let outcome = pipeline::assemble(read, computed);
    let config_dir = config.parent().unwrap_or(std::path::Path::new("."));
    // The project forms (thousands of sheets in a city's year) are filled first, on every
    // core. Then two paths of about the same length run side by side: the audit workbook,
    // the draft's text and the draft; the forms' save (the longest single step) and the
    // report workbook.
    let no_forms = crate::forms::Forms::default();
    let filled = if outcome.has_errors() {
        None
    } else {
        Some(crate::timing::time("forms-sheets", || {
            crate::render::forms::forms_workbook(cfg, outcome.forms.as_ref().unwrap_or(&no_forms))
        })?)
    };
    let tables = outcome
        .report
        .as_ref()
        .map(|r| r.tables.as_slice())
        .unwrap_or(&[]);
    type Saved = (Vec<u8>, crate::render::Leftover);
    // The audit workbook, the draft (unless the input has errors), its unfilled sections.
    type AuditAndDraft = (Vec<u8>, Option<Vec<u8>>, Vec<String>);
    let (audit_and_draft, forms_and_report) = rayon::join(
        || -> Result<AuditAndDraft> {
            let (audit, audit_left) =
                crate::timing::time("audit-bytes", || audit::audit_bytes(cfg, &outcome, earlier))?;
            // Freed now, on a thread of its own: kept to the end, the audit's cells raised
            // the peak memory of the benchmark year by ~12 MiB.
            crate::render::drop_later(vec![audit_left]);
            let (draft_blocks, unfilled) = crate::timing::time("narrative", || {
                crate::narrative::draft(cfg, &outcome, config_dir)
            })?;
            let _ = template_ok.send(());
            if outcome.has_errors() {
                return Ok((audit, None, unfilled));
            }
            let title = format!(
                "{}年度{}部门整体支出绩效自评报告（初稿）",
                cfg.report.year, cfg.report.department
            );
            let draft = crate::timing::time("docx-bytes", || {
                crate::render::docx::docx_bytes(&title, cfg.report.year, &draft_blocks, tables)
            })?;
            Ok((audit, Some(draft), unfilled))
        },
        || -> Result<Option<(Saved, Vec<u8>)>> {
            let Some(filled) = filled else {
                return Ok(None);
            };
            let forms = crate::timing::time("forms-bytes", || crate::render::forms::save(filled))?;
            let report = crate::timing::time("report-bytes", || {
                report::report_bytes(cfg.report.year, &cfg.report.department, tables)
            })?;
            Ok(Some((forms, report)))
        },
    );
    // A broken custom template (the draft's) is the error to report first.
    let (audit, draft, unfilled) = audit_and_draft?;
    let mut leftovers = Vec::new();
    let report = match (draft, forms_and_report?) {
        (Some(draft), Some(((forms, forms_left), report))) => {
            leftovers.push(forms_left);
            Some((report, draft, forms))
        }
        _ => None,
    };
    Ok((
        outcome,
        unfilled,
        Books {
            audit,
            report,
            leftovers,
        },
    ))
}
