//! Real folders that broke the promise "nothing lost, nothing wrong" (issue 10): a stray value
//! in a far cell, a zip bomb, and a few hundred random mutations of the sample's files. Every
//! run ends with exit 0, 1 or 2 and a message — never a signal, a panic or an abort — and
//! stays within 600 MiB.

mod common;
use common::*;
use std::path::Path;

const JAN: &str = "支付明细/2023年01月支付明细.xlsx";

/// A copy of the sample in `w/in`, with `JAN` (or another file) rewritten part by part.
fn sample_with(w: &Workdir, file: &str, f: impl FnMut(&str, &[u8]) -> Option<Vec<u8>>) {
    copy_dir(&root().join("input"), &w.path("in"));
    rewrite_zip(
        &root().join("input").join(file),
        &w.path("in").join(file),
        f,
    );
}

/// Adds `cell_xml` as the last row of a worksheet's XML.
fn with_last_row(xml: &[u8], row_xml: &str) -> Vec<u8> {
    let s = String::from_utf8(xml.to_vec()).unwrap();
    s.replacen("</sheetData>", &format!("{row_xml}</sheetData>"), 1)
        .into_bytes()
}

#[test]
fn a_stray_value_in_the_last_cell_of_the_sheet_is_named_and_ignored() {
    // Issue 10: was `memory allocation of 549755813888 bytes failed` and SIGABRT.
    let w = Workdir::new("robust-far-cell");
    sample_with(&w, JAN, |name, xml| {
        (name == "xl/worksheets/sheet1.xml").then(|| {
            with_last_row(
                xml,
                r#"<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>"#,
            )
        })
    });
    let run = w.run(&["run", "--input", "in", "--output", "out"]);
    run.expect_code(0);
    assert!(
        run.stderr()
            .contains("2023年01月支付明细.xlsx › 支付明细 › 第1048576行 XFD列: XFD1048576：表格范围外的单元格，已忽略"),
        "{}",
        run.describe()
    );
    let book = Book::open(&w.path("out/2023年度岳阳市住房和城乡建设局部门整体支出绩效自评表.xlsx"));
    let bad = check_expected_cells(
        &book,
        &root().join("fixtures/yueyang-2023-xls-ods/expected_cells.txt"),
    );
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    assert!(children_peak_rss_mib() < 600);
}

#[test]
fn a_far_cell_inside_the_table_columns_is_a_row_not_an_extent() {
    // A stray value in column A, a million rows down: one note row, not a million blank ones
    // read. The run stays small and its accounting balances.
    let w = Workdir::new("robust-far-row");
    sample_with(&w, JAN, |name, xml| {
        (name == "xl/worksheets/sheet1.xml").then(|| {
            with_last_row(
                xml,
                r#"<row r="1048000"><c r="A1048000" t="inlineStr"><is><t>x</t></is></c></row>"#,
            )
        })
    });
    let run = w.run(&["run", "--input", "in", "--output", "out"]);
    run.expect_code(0);
    assert!(children_peak_rss_mib() < 600);
    // The balance: every row down to the far one read and placed — the 121 payments used, the
    // far row a note (a text without amount), the empty rows between counted as blank.
    let audit = Book::open(&w.path("out/2023年度核对底稿.xlsx"));
    let row = audit
        .rows("来源文件")
        .into_iter()
        .find(|r| r[0] == V::T(JAN.into()))
        .unwrap();
    let n = |i: usize| match &row[i] {
        V::N(x) => *x as u64,
        other => panic!("column {i}: {other:?}"),
    };
    let (read, used, rejected, blank, notes, totals) = (n(5), n(6), n(7), n(8), n(9), n(10));
    assert_eq!(
        read,
        1_048_000 - 3,
        "rows below the header down to the far one"
    );
    assert_eq!((used, rejected, notes, totals), (121, 0, 2, 1), "{row:?}");
    assert_eq!(read, used + rejected + blank + notes + totals);
    assert_eq!(row[11], V::T("一致".into()));
    assert_eq!(row[15], V::T("一致".into()), "the sheet's 合计 row agrees");
    // And the figures are the seed's.
    let book = Book::open(&w.path("out/2023年度岳阳市住房和城乡建设局部门整体支出绩效自评表.xlsx"));
    let bad = check_expected_cells(
        &book,
        &root().join("fixtures/yueyang-2023-xls-ods/expected_cells.txt"),
    );
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// A deflated part that inflates to `mib` MiB of repeated XML, streamed into the zip.
fn bomb_zip(src: &Path, dst: &Path, part: &str, mib: usize) {
    use std::io::{Read, Write};
    let mut zin = zip::ZipArchive::new(std::fs::File::open(src).unwrap()).unwrap();
    let mut zout = zip::ZipWriter::new(std::fs::File::create(dst).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1))
        .large_file(true);
    for i in 0..zin.len() {
        let mut p = zin.by_index(i).unwrap();
        let name = p.name().unwrap().to_string();
        let mut bytes = Vec::new();
        p.read_to_end(&mut bytes).unwrap();
        zout.start_file(name.as_str(), opts).unwrap();
        if name == part {
            let chunk = "<si><t>岳阳市住房和城乡建设局</t></si>".repeat(1 << 14);
            zout.write_all(b"<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">").unwrap();
            let mut written = 0;
            while written < mib << 20 {
                zout.write_all(chunk.as_bytes()).unwrap();
                written += chunk.len();
            }
            zout.write_all(b"</sst>").unwrap();
        } else {
            zout.write_all(&bytes).unwrap();
        }
    }
    zout.finish().unwrap();
}

#[test]
fn a_zip_bomb_is_refused_by_name_and_the_run_goes_on() {
    // Issue 10: a 1 MB indicator workbook whose shared strings inflate to 1 GiB took 3 GiB.
    let w = Workdir::new("robust-zip-bomb");
    copy_dir(&root().join("input"), &w.path("in"));
    let file = "绩效指标/2023年度绩效自评指标.xlsx";
    bomb_zip(
        &root().join("input").join(file),
        &w.path("in").join(file),
        "xl/sharedStrings.xml",
        256,
    );
    let size = std::fs::metadata(w.path("in").join(file)).unwrap().len();
    assert!(size < 8 << 20, "the bomb is small: {size} bytes");
    let run = w.run(&["run", "--input", "in", "--output", "out"]);
    run.expect_code(1);
    let err = run.stderr();
    assert!(
        err.contains("2023年度绩效自评指标.xlsx: 文件内部的“xl/sharedStrings.xml”解压后超过"),
        "{}",
        run.describe()
    );
    // The other files were read: the audit accounts for the payment ledgers.
    assert!(w.path("out/2023年度核对底稿.xlsx").exists());
    assert!(children_peak_rss_mib() < 600);
}

/// One random change to a worksheet's XML or to the file's bytes.
fn mutate(rng: &mut Rng, name: &str, bytes: &[u8]) -> Option<Vec<u8>> {
    if !name.ends_with(".xml") {
        return None;
    }
    let s = String::from_utf8_lossy(bytes).to_string();
    let tags: Vec<usize> = s.match_indices("<v>").map(|(i, _)| i + 3).collect();
    let pick = |rng: &mut Rng| tags[rng.below(tags.len())];
    let out = match rng.below(9) {
        // A number replaced by garbage, a huge or negative value, or an index out of range.
        0 | 1 if !tags.is_empty() => {
            let at = pick(rng);
            let end = at + s[at..].find("</v>").unwrap_or(0);
            let v = [
                "x1",
                "1e308",
                "-1",
                "99999999",
                "",
                "NaN",
                "1.5",
                "4294967296",
            ][rng.below(8)];
            format!("{}{v}{}", &s[..at], &s[end..])
        }
        // A cell's type changed (shared string ↔ number ↔ boolean ↔ error ↔ date).
        2 => {
            let types = [
                r#"t="s""#,
                r#"t="n""#,
                r#"t="b""#,
                r#"t="e""#,
                r#"t="d""#,
                r#"t="str""#,
            ];
            let from = types[rng.below(types.len())];
            let to = types[rng.below(types.len())];
            s.replacen(from, to, 1 + rng.below(50))
        }
        // A far cell.
        3 => {
            let col = ["XFD", "AAA", "Z", "A"][rng.below(4)];
            let row = [1048576, 1048000, 70000, 2][rng.below(4)];
            s.replacen(
                "</sheetData>",
                &format!(r#"<row r="{row}"><c r="{col}{row}"><v>1</v></c></row></sheetData>"#),
                1,
            )
        }
        // A cell reference mangled.
        4 => {
            let at = s.find(r#" r=""#).map(|i| i + 4).unwrap_or(0);
            let bad = ["", "0", "A0", "ZZZZZ9", "A99999999999", "-1"][rng.below(6)];
            let end = at + s[at..].find('"').unwrap_or(0);
            format!("{}{bad}{}", &s[..at], &s[end..])
        }
        // Truncated XML.
        5 => s[..s.floor_char_boundary(s.len() * rng.below(100) / 100)].to_string(),
        // A tag removed.
        6 => {
            let tags = ["</c>", "</row>", "<v>", "</si>", "<t>", "</sheetData>"];
            s.replacen(tags[rng.below(tags.len())], "", 1)
        }
        // A random byte range overwritten.
        _ => {
            let mut b = s.into_bytes();
            if !b.is_empty() {
                let at = rng.below(b.len());
                for x in b.iter_mut().skip(at).take(1 + rng.below(16)) {
                    *x = rng.next() as u8;
                }
            }
            return Some(b);
        }
    };
    Some(out.into_bytes())
}

#[test]
fn hundreds_of_random_mutations_end_with_exit_0_1_or_2() {
    let files = [
        JAN,
        "支付明细/2023年06月支付明细.xlsx",
        "支付明细/2023年11月支付明细.xlsx",
        "预算指标/2023年度预算指标.xlsx",
        "绩效指标/2023年度绩效自评指标.xlsx",
    ];
    let n = 300;
    let base = Workdir::new("robust-mutations");
    copy_dir(&root().join("input"), &base.path("sample"));
    let failures = std::sync::Mutex::new(Vec::new());
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if i >= n {
                        break;
                    }
                    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ ((i as u64 + 1) * 0x1000_0001));
                    let file = files[rng.below(files.len())];
                    let w = Workdir::new(&format!("robust-mutations/{i}"));
                    copy_dir(&base.path("sample"), &w.path("in"));
                    let target = w.path("in").join(file);
                    if rng.below(10) == 0 {
                        // Bytes of the zip itself.
                        let mut b = std::fs::read(&target).unwrap();
                        for _ in 0..1 + rng.below(8) {
                            let at = rng.below(b.len());
                            b[at] = rng.next() as u8;
                        }
                        std::fs::write(&target, b).unwrap();
                    } else {
                        let parts = [
                            "xl/worksheets/sheet1.xml",
                            "xl/sharedStrings.xml",
                            "xl/styles.xml",
                            "xl/workbook.xml",
                        ];
                        let part = parts[rng.below(parts.len())];
                        rewrite_zip(&base.path("sample").join(file), &target, |name, bytes| {
                            if name == part {
                                mutate(&mut rng, name, bytes)
                            } else {
                                None
                            }
                        });
                    }
                    let run = w.run(&["run", "--input", "in", "--output", "out"]);
                    let ok = matches!(run.code(), 0..=2) && !run.stderr().contains("panicked");
                    if !ok {
                        failures
                            .lock()
                            .unwrap()
                            .push(format!("mutation {i} of {file}:\n{}", run.describe()));
                    } else {
                        let _ = std::fs::remove_dir_all(&w.dir);
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} of {n} mutations failed:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    assert!(
        children_peak_rss_mib() < 600,
        "{} MiB",
        children_peak_rss_mib()
    );
}

#[test]
fn a_sheet_copied_inside_its_workbook_is_one_error_and_not_counted() {
    // Issue 10: `支付明细 (2)` counted January twice (15698.18 → 17004.20) with 124 warnings
    // that each said “本表” of another sheet.
    let w = Workdir::new("robust-copied-sheet");
    copy_dir(&root().join("input"), &w.path("in"));
    let mut grids = common::reexport::read(&root().join("input").join(JAN));
    let copy = common::reexport::Grid {
        name: "支付明细 (2)".into(),
        rows: grids[0].rows.clone(),
        header: grids[0].header,
        merges: Vec::new(),
    };
    grids.push(copy);
    common::reexport::write(&w.path("in").join(JAN), &grids);
    let run = w.run(&["run", "--input", "in", "--output", "out"]);
    run.expect_code(1);
    let err = run.stderr();
    let line = "2023年01月支付明细.xlsx › 支付明细 (2) › 第4行: 本表有";
    assert_eq!(err.matches(line).count(), 1, "{}", run.describe());
    assert!(
        err.contains("与“支付明细/2023年01月支付明细.xlsx › 支付明细”的行完全相同"),
        "{}",
        run.describe()
    );
    assert!(!err.contains("与本表第"), "{}", run.describe());
    // January is counted once: the audit's detail has the sample's rows only.
    let detail = std::fs::read_to_string(w.path("out/2023年度支出明细.csv")).unwrap();
    assert!(!detail.contains("支付明细 (2)"));
}

#[test]
fn a_run_killed_at_random_points_leaves_good_outputs_and_the_next_run_cleans_up() {
    // Issue 10: an interrupted run left hidden `.{name}.{pid}.tmp` files that nothing removed.
    let w = Workdir::new("robust-killed");
    let input = root().join("input");
    let args = ["run", "--input", input.to_str().unwrap(), "--output", "out"];
    let started = std::time::Instant::now();
    w.run(&args).expect_code(0);
    let full_ms = started.elapsed().as_millis().max(20) as usize;
    let names = [
        "2023年度岳阳市住房和城乡建设局部门整体支出绩效自评表.xlsx",
        "2023年度核对底稿.xlsx",
        "2023年度支出明细.csv",
    ];
    let good: Vec<Vec<u8>> = names
        .iter()
        .map(|n| std::fs::read(w.path(&format!("out/{n}"))).unwrap())
        .collect();
    // Files that only look like ours: never touched.
    for decoy in [
        ".notes.txt.123.tmp",
        "2023年度核对底稿.xlsx.tmp",
        ".其他.xlsx.1.tmp",
    ] {
        std::fs::write(w.path(&format!("out/{decoy}")), b"keep").unwrap();
    }
    let mut rng = Rng(20231231);
    let mut killed_mid_write = 0;
    for i in 0..20 {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_jixiao"))
            .args(args)
            .current_dir(&w.dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(
            rng.below(full_ms * 12 / 10) as u64,
        ));
        let _ = child.kill();
        let _ = child.wait();
        for (n, bytes) in names.iter().zip(&good) {
            let now = std::fs::read(w.path(&format!("out/{n}"))).unwrap();
            assert!(&now == bytes, "kill {i}: {n} is not the complete output");
        }
        let temporaries = std::fs::read_dir(w.path("out"))
            .unwrap()
            .filter(|e| {
                let n = e
                    .as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .to_string();
                names.iter().any(|x| n.starts_with(&format!(".{x}.")))
            })
            .count();
        if temporaries > 0 {
            killed_mid_write += 1;
        }
    }
    eprintln!("killed mid-write: {killed_mid_write} of 20 (a full run: {full_ms} ms)");
    // Whether a kill landed mid-write is chance; what a kill mid-write leaves is not: a
    // temporary of a process that is gone. Plant one for each output (the pid of a finished
    // child), and one of a live process (this test's), which must be left alone.
    let mut gone = std::process::Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .arg("--version")
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let dead = gone.id();
    gone.wait().unwrap();
    for n in names {
        std::fs::write(w.path(&format!("out/.{n}.{dead}.tmp")), b"half").unwrap();
    }
    let live = format!(".{}.{}.tmp", names[0], std::process::id());
    std::fs::write(w.path(&format!("out/{live}")), b"being written").unwrap();
    // A clean next run removes what the killed ones left, and nothing else.
    let run = w.run(&args);
    run.expect_code(0);
    let left: Vec<String> = std::fs::read_dir(w.path("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    let mut left = left;
    left.sort();
    assert_eq!(
        left,
        {
            let mut keep = vec![
                ".notes.txt.123.tmp".to_string(),
                ".其他.xlsx.1.tmp".to_string(),
                "2023年度核对底稿.xlsx.tmp".to_string(),
                live,
            ];
            keep.sort();
            keep
        },
        "killed mid-write {killed_mid_write} times"
    );
    for (n, bytes) in names.iter().zip(&good) {
        assert!(&std::fs::read(w.path(&format!("out/{n}"))).unwrap() == bytes);
    }
}
