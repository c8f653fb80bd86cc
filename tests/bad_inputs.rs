//! The bad-input corpus: every `fixtures/bad/<case>/` is an export folder with one defect and
//! an `expect.txt` (first line `exit N`, then fragments the messages must contain). Each case
//! must exit with its code, say what it says, never panic, and (when it fails) leave an earlier
//! good report in the output folder untouched. Cases that exit 0 are defaults that must be
//! said: their fragments are the warnings.

mod common;
use common::*;

const REPORT: &str = "2023年度测试局部门整体支出绩效自评表.xlsx";

#[test]
fn every_case_of_the_bad_input_corpus() {
    let corpus = root().join("fixtures/bad");
    let mut cases: Vec<_> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 20, "the corpus has {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let expect = std::fs::read_to_string(case.join("expect.txt")).unwrap();
        let mut lines = expect.lines().filter(|l| !l.trim().is_empty());
        let code: i32 = lines
            .next()
            .unwrap()
            .trim_start_matches("exit ")
            .trim()
            .parse()
            .unwrap();
        let fragments: Vec<&str> = lines.collect();

        let w = Workdir::new(&format!("bad-{name}"));
        copy_dir(&case.join("input"), &w.path("in"));
        std::fs::create_dir_all(w.path("out")).unwrap();
        let sentinel = b"an earlier good report".to_vec();
        std::fs::write(w.path(&format!("out/{REPORT}")), &sentinel).unwrap();

        let run = w.run(&["run", "--input", "in", "--output", "out"]);
        let all = format!("{}{}", run.stdout(), run.stderr());
        let mut problems = Vec::new();
        if run.code() != code {
            problems.push(format!("exit {} instead of {code}", run.code()));
        }
        for f in &fragments {
            if !all.contains(f) {
                problems.push(format!("message lacks “{f}”"));
            }
        }
        if all.contains("panicked") {
            problems.push("panicked".into());
        }
        // Exit 0 cases (a default that must be warned about) write the report; the others
        // must leave the earlier one untouched.
        let report_now = std::fs::read(w.path(&format!("out/{REPORT}"))).unwrap();
        if code != 0 && report_now != sentinel {
            problems.push("the earlier report was replaced".into());
        }
        if code == 0 && report_now == sentinel {
            problems.push("the report was not written".into());
        }
        let leftovers: Vec<_> = std::fs::read_dir(w.path("out"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        if !leftovers.is_empty() {
            problems.push(format!("temporary files left: {leftovers:?}"));
        }
        if code == 1 && !w.path("out/2023年度核对底稿.xlsx").exists() {
            problems.push("the audit workbook was not written".into());
        }
        // `check` agrees with `run` and writes nothing.
        let check = w.run(&["check", "--input", "in"]);
        if check.code() != code {
            problems.push(format!("check exits {} instead of {code}", check.code()));
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{name}: {}\n{}",
                problems.join("; "),
                run.describe()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
