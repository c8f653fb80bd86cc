//! Several departments in one run (SPEC §11, issue 19): `fixtures/batch-three/` — the sample,
//! a department of its own (某市水利局, worked out by hand) and one with a bad row — and
//! variants made at test time (a broken config, a department without a config for `init`).

mod common;
use common::*;

const SUMMARY: &str = "2023年度部门整体支出绩效自评汇总表.xlsx";

fn batch_input() -> std::path::PathBuf {
    root().join("fixtures/batch-three/input")
}

#[test]
fn three_departments_give_the_summary_worked_out_by_hand() {
    let w = Workdir::new("batch-three");
    let input = batch_input();
    let run = w.run(&["run", "--input", input.to_str().unwrap(), "--output", "out"]);
    // One department has errors: the batch exits 1, the others are done.
    run.expect_code(1);
    let said = run.stdout();
    for line in [
        "共 3 个部门，逐个处理：",
        "[1/3] 市住建局：完成，5 个警告",
        "[2/3] 市园林局：1 个错误、2 个警告，未生成报表（见其核对底稿）\n    错误：支付明细.csv › 支付明细 › 第3行 G列: 金额“二十万”不是数字\n",
        "[3/3] 市水利局：完成，3 个警告",
        "完成 2 个，年中 0 个，有错误 1 个，无法运行 0 个。",
    ] {
        assert!(said.contains(line), "{line}\n{}", run.describe());
    }
    let book = Book::open(&w.path(&format!("out/{SUMMARY}")));
    let bad = check_expected_cells(
        &book,
        &root().join("fixtures/batch-three/expected_cells.txt"),
    );
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    // The broken department wrote its audit and CSV as a single run does, and no report.
    let broken = files_below(&w.path("out/市园林局"));
    let names: Vec<&str> = broken.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(names, ["2023年度支出明细.csv", "2023年度核对底稿.xlsx"]);
}

#[test]
fn each_department_s_outputs_are_its_single_run_s_bytes() {
    let w = Workdir::new("batch-isolation");
    let input = batch_input();
    w.run(&["run", "--input", input.to_str().unwrap(), "--output", "out"])
        .expect_code(1);
    for (dept, code) in [("市住建局", 0), ("市园林局", 1), ("市水利局", 0)] {
        let one = input.join(dept);
        w.run(&[
            "run",
            "--input",
            one.to_str().unwrap(),
            "--output",
            &format!("single/{dept}"),
        ])
        .expect_code(code);
        let n = assert_same_files(
            &w.path(&format!("out/{dept}")),
            &w.path(&format!("single/{dept}")),
            &format!("{dept}: the batch against its single run"),
        );
        assert!(n >= 2, "{dept}: {n} files");
    }
    // Reruns are byte-identical, the summary included.
    let first = std::fs::read(w.path(&format!("out/{SUMMARY}"))).unwrap();
    w.run(&["run", "--input", input.to_str().unwrap(), "--output", "out"])
        .expect_code(1);
    assert!(first == std::fs::read(w.path(&format!("out/{SUMMARY}"))).unwrap());
}

#[test]
fn a_broken_config_is_reported_and_the_others_go_on() {
    let w = Workdir::new("batch-broken-config");
    copy_dir(&batch_input(), &w.path("in"));
    std::fs::remove_dir_all(w.path("in/市园林局")).unwrap();
    // A department folder nested one level deeper, whose config names no year.
    std::fs::create_dir_all(w.path("in/县区/某县财政局")).unwrap();
    std::fs::write(
        w.path("in/县区/某县财政局/jixiao.toml"),
        "[report]\ndepartment = \"某县财政局\"\n",
    )
    .unwrap();
    let run = w.run(&["run", "--input", "in", "--output", "out"]);
    run.expect_code(1);
    assert!(
        run.stdout().contains("[1/3] 县区/某县财政局：无法运行："),
        "{}",
        run.describe()
    );
    assert!(
        run.stdout().contains("[3/3] 市水利局：完成"),
        "{}",
        run.describe()
    );
    let book = Book::open(&w.path(&format!("out/{SUMMARY}")));
    assert_eq!(book.get("部门汇总", "A4"), V::T("某县财政局".into()));
    assert_eq!(
        book.get("部门汇总", "S4"),
        V::T("配置错误，见运行情况".into())
    );
    assert_eq!(book.get("运行情况", "B4"), V::T("县区/某县财政局".into()));
    assert_eq!(book.get("运行情况", "C4"), V::N(2.0));
    assert!(
        matches!(book.get("运行情况", "H4"), V::T(s) if s.contains("year")),
        "{:?}",
        book.get("运行情况", "H4")
    );
    // The others as in the fixture: 住建局 and 水利局 with their figures.
    assert_eq!(book.get("部门汇总", "C5"), V::N(22257.69));
    assert_eq!(book.get("部门汇总", "C6"), V::N(135.0));
    assert_eq!(book.get("部门汇总", "C7"), V::N(22392.69), "合计");
}

#[test]
fn check_on_a_batch_writes_nothing_and_names_the_department_with_errors() {
    let w = Workdir::new("batch-check");
    let input = batch_input();
    let before = files_below(&input);
    let run = w.run(&["check", "--input", input.to_str().unwrap()]);
    run.expect_code(1);
    let said = run.stdout();
    assert!(said.contains("== [2/3] 市园林局 =="), "{}", run.describe());
    assert!(
        said.contains("共 3 个部门，1 个有错误：市园林局"),
        "{}",
        run.describe()
    );
    assert!(files_below(&input) == before, "check wrote into the batch");
    assert!(!w.path("output").exists());
}

#[test]
fn init_on_a_batch_drafts_the_missing_configs_and_says_which() {
    let w = Workdir::new("batch-init");
    copy_dir(&batch_input(), &w.path("in"));
    // A fourth department, exported but without its config.
    copy_dir(&w.path("in/市水利局"), &w.path("in/市水务局"));
    std::fs::remove_file(w.path("in/市水务局/jixiao.toml")).unwrap();
    let before = std::fs::read(w.path("in/市水利局/jixiao.toml")).unwrap();
    let run = w.run(&["init", "--input", "in"]);
    run.expect_code(0);
    assert!(
        run.stdout()
            .contains("已起草 1 个部门的 jixiao.toml：市水务局"),
        "{}",
        run.describe()
    );
    let drafted = std::fs::read_to_string(w.path("in/市水务局/jixiao.toml")).unwrap();
    assert!(drafted.contains("name = \"某市水文站\""), "{drafted}");
    assert_eq!(
        std::fs::read(w.path("in/市水利局/jixiao.toml")).unwrap(),
        before
    );
    assert!(!w.path("in/jixiao.toml").exists());
}

#[test]
fn a_folder_with_no_config_anywhere_keeps_today_s_message() {
    let w = Workdir::new("batch-none");
    std::fs::create_dir_all(w.path("in/甲局")).unwrap();
    std::fs::write(w.path("in/甲局/支付明细.csv"), "支付日期,支付金额\n").unwrap();
    let run = w.run(&["run", "--input", "in", "--output", "out"]);
    run.expect_code(2);
    assert!(
        run.stderr()
            .contains("没有配置文件 jixiao.toml：请先运行 jixiao init"),
        "{}",
        run.describe()
    );
}

#[test]
fn the_fixture_s_first_department_is_the_bundled_sample() {
    assert_same_files(
        &root().join("input"),
        &batch_input().join("市住建局"),
        "fixtures/batch-three/input/市住建局 against input/",
    );
}

#[test]
fn the_summary_rows_are_each_department_s_own_report() {
    // Read independently: each department's own report workbook (支出概况, 绩效评分) against its
    // row of 部门汇总 — the summary computes nothing a second time.
    let w = Workdir::new("batch-rows");
    let input = batch_input();
    w.run(&["run", "--input", input.to_str().unwrap(), "--output", "out"])
        .expect_code(1);
    let summary = Book::open(&w.path(&format!("out/{SUMMARY}")));
    for (row, dept, report) in [
        (
            4,
            "市住建局",
            "2023年度岳阳市住房和城乡建设局部门整体支出绩效自评表.xlsx",
        ),
        (
            6,
            "市水利局",
            "2023年度某市水利局部门整体支出绩效自评表.xlsx",
        ),
    ] {
        let own = Book::open(&w.path(&format!("out/{dept}/{report}")));
        let lines = own.rows("支出概况");
        let figure = |label: &str| {
            lines
                .iter()
                .find(|r| r[0] == V::T(label.into()))
                .map(|r| r[1].clone())
                .unwrap_or_else(|| panic!("{dept}: no {label}"))
        };
        for (col, label) in [
            ("C", "部门预算支出总额"),
            ("D", "部门实际支出总额"),
            ("E", "预算执行率"),
            ("F", "基本支出（含其他资金）"),
            ("G", "项目支出（含其他资金）"),
            ("H", "“三公”经费预算"),
            ("I", "“三公”经费支出"),
        ] {
            assert_eq!(
                summary.get("部门汇总", &format!("{col}{row}")),
                figure(label),
                "{dept} {label}"
            );
        }
        let scores = own.rows("绩效评分");
        let dept_row = scores
            .iter()
            .find(|r| r[0] == V::T("部门加权平均分".into()))
            .unwrap();
        let grade = scores
            .iter()
            .find(|r| r[0] == V::T("评价等级".into()))
            .unwrap();
        for (col, k) in [("J", 2), ("K", 3), ("L", 4), ("M", 5), ("N", 6)] {
            assert_eq!(
                summary.get("部门汇总", &format!("{col}{row}")),
                dept_row[k],
                "{dept} 绩效评分 column {k}"
            );
        }
        assert_eq!(summary.get("部门汇总", &format!("O{row}")), grade[6]);
    }
}

#[test]
fn init_on_a_fresh_batch_drafts_every_department_then_run_reads_them() {
    // No config anywhere: the sub-folders holding both ledgers are departments (the sample
    // alone — its ledgers in separate sub-folders — stays one department: tests/init.rs).
    let w = Workdir::new("batch-init-fresh");
    copy_dir(&batch_input(), &w.path("in"));
    for dept in ["市住建局", "市园林局", "市水利局"] {
        std::fs::remove_file(w.path(&format!("in/{dept}/jixiao.toml"))).unwrap();
    }
    std::fs::create_dir_all(w.path("in/说明")).unwrap();
    std::fs::write(w.path("in/说明/填报说明.csv"), "说明\n各部门导出表\n").unwrap();
    let run = w.run(&["init", "--input", "in"]);
    run.expect_code(0);
    let said = run.stdout();
    assert!(
        said.contains("已起草 3 个部门的 jixiao.toml：市住建局、市园林局、市水利局"),
        "{}",
        run.describe()
    );
    assert!(
        said.contains("未起草（文件夹中没有同时找到支出明细和预算指标）：说明"),
        "{said}"
    );
    assert!(!w.path("in/jixiao.toml").exists());
    assert!(!w.path("in/说明/jixiao.toml").exists());
    // CSV exports carry no title: the department's name is the one line to fill (a run
    // refuses the placeholder). Then 市水利局 as drafted gives the hand-worked figures.
    let toml = w.path("in/市水利局/jixiao.toml");
    let drafted = std::fs::read_to_string(&toml).unwrap();
    assert!(drafted.contains("【请填写部门名称】"), "{drafted}");
    std::fs::write(&toml, drafted.replace("【请填写部门名称】", "某市水利局")).unwrap();
    let run = w.run(&["run", "--input", "in", "--output", "out"]);
    run.expect_code(1);
    assert!(
        run.stdout().contains("[3/3] 市水利局：完成"),
        "{}",
        run.describe()
    );
    let book = Book::open(&w.path(&format!("out/{SUMMARY}")));
    assert_eq!(book.get("部门汇总", "C6"), V::N(135.0));
    assert_eq!(book.get("部门汇总", "N6"), V::N(97.2));
}

#[test]
fn a_department_that_fails_beside_an_earlier_report_says_so() {
    // Issue 20's stale-report warning holds in a batch too: on the terminal and in 运行情况.
    let w = Workdir::new("batch-earlier");
    copy_dir(&batch_input(), &w.path("in"));
    let ledger = w.path("in/市园林局/支付明细.csv");
    let bad = std::fs::read_to_string(&ledger).unwrap();
    std::fs::write(&ledger, bad.replace("二十万", "200000.00")).unwrap();
    w.run(&["run", "--input", "in", "--output", "out"])
        .expect_code(0);
    assert!(
        w.path("out/市园林局/2023年度某市园林局部门整体支出绩效自评表.xlsx")
            .exists()
    );
    std::fs::write(&ledger, bad).unwrap();
    let run = w.run(&["run", "--input", "in", "--output", "out"]);
    run.expect_code(1);
    let note = "注意：输出文件夹中的 2023年度某市园林局部门整体支出绩效自评表.xlsx（";
    assert!(run.stdout().contains(note), "{}", run.describe());
    let book = Book::open(&w.path(&format!("out/{SUMMARY}")));
    assert!(
        matches!(book.get("运行情况", "I5"), V::T(s) if s.starts_with(note) && s.contains("不是本次的结果")),
        "{:?}",
        book.get("运行情况", "I5")
    );
    assert_eq!(book.get("运行情况", "I4"), V::Empty);
}
