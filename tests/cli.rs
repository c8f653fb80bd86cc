//! The command line: subcommands, exit codes, determinism, `check` and `diff`.

mod common;
use common::*;

fn sample() -> String {
    root().join("input").display().to_string()
}

const OUTPUTS: [&str; 4] = [
    "2023年度岳阳市住房和城乡建设局部门整体支出绩效自评表.xlsx",
    "2023年度核对底稿.xlsx",
    "2023年度支出明细.csv",
    "2023年度项目支出绩效自评表.xlsx",
];

#[test]
fn two_runs_give_byte_identical_outputs() {
    let w = Workdir::new("cli-deterministic");
    w.run(&["run", "--input", &sample(), "--output", "a"])
        .expect_code(0);
    w.run(&["--input", &sample(), "--output", "b"])
        .expect_code(0); // no subcommand = run
    for name in OUTPUTS {
        let (a, b) = (
            std::fs::read(w.path(&format!("a/{name}"))).unwrap(),
            std::fs::read(w.path(&format!("b/{name}"))).unwrap(),
        );
        assert!(a == b, "{name} differs between two runs");
    }
}

#[test]
fn defaults_are_input_to_output_in_the_current_folder() {
    let w = Workdir::new("cli-defaults");
    copy_dir(&root().join("input"), &w.path("input"));
    w.run(&[]).expect_code(0);
    for name in OUTPUTS {
        assert!(w.path(&format!("output/{name}")).exists(), "output/{name}");
    }
}

#[test]
fn check_prints_a_summary_and_writes_nothing() {
    let w = Workdir::new("cli-check");
    let run = w.run(&["check", "--input", &sample()]);
    run.expect_code(0);
    let out = run.stdout();
    for fragment in [
        "文件 15 个",
        "支出明细 12、预算指标 1、绩效指标 2、未识别 2",
        "单位：配置 9 个",
        "部门实际支出总额：15698.18 万元",
        "预算执行率：70.53%",
        "项目支出绩效自评表：26 张（其中 4 张尚无绩效指标）",
        "0 个错误",
    ] {
        assert!(
            out.contains(fragment),
            "check lacks “{fragment}”\n{}",
            run.describe()
        );
    }
    assert!(out.lines().count() <= 24, "more than one screen:\n{out}");
    assert_eq!(
        std::fs::read_dir(&w.dir).unwrap().count(),
        0,
        "check wrote something"
    );
}

#[test]
fn the_detail_csv_has_a_bom_and_one_line_per_used_row() {
    let w = Workdir::new("cli-csv");
    w.run(&["run", "--input", &sample(), "--output", "out"])
        .expect_code(0);
    let bytes = std::fs::read(w.path(&format!("out/{}", OUTPUTS[2]))).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let mut total: i64 = 0;
    let mut n = 0;
    for r in rdr.records() {
        let r = r.unwrap();
        let amount = &r[13];
        let (int, frac) = amount.split_once('.').unwrap_or((amount, "0"));
        let sign = if int.starts_with('-') { -1 } else { 1 };
        total += int.parse::<i64>().unwrap() * 100
            + sign * format!("{frac:0<2}").parse::<i64>().unwrap();
        n += 1;
    }
    assert_eq!(n, 1610, "used payment rows");
    assert_eq!(total, 15_698_180_000, "F10 in cents: 15698.18 万元");
}

#[test]
fn a_run_into_its_input_folder_does_not_read_its_own_outputs_next_time() {
    // `jixiao run --input . --output .`, twice: the second run must not take the first
    // run's workbooks and CSV for ledgers (they would be read as payments).
    let w = Workdir::new("cli-output-in-input");
    copy_dir(&root().join("input"), &w.path("in"));
    w.run(&["run", "--input", "in", "--output", "b"])
        .expect_code(0);
    w.run(&["run", "--input", "in", "--output", "in"])
        .expect_code(0);
    let first: Vec<Vec<u8>> = OUTPUTS
        .iter()
        .map(|n| std::fs::read(w.path(&format!("in/{n}"))).unwrap())
        .collect();
    w.run(&["run", "--input", "in", "--output", "in"])
        .expect_code(0);
    for (name, first) in OUTPUTS.iter().zip(first) {
        let again = std::fs::read(w.path(&format!("in/{name}"))).unwrap();
        let apart = std::fs::read(w.path(&format!("b/{name}"))).unwrap();
        assert!(again == first, "{name} differs in the second run");
        assert!(
            again == apart,
            "{name} differs from a run into another folder"
        );
    }
}

#[test]
fn usage_errors_exit_2() {
    let w = Workdir::new("cli-usage");
    let r = w.run(&["run", "--bogus"]);
    r.expect_code(2);
    assert!(
        r.stderr().contains("未知的选项“--bogus”"),
        "{}",
        r.describe()
    );
    // Issue 18: a missing folder says so (it used to say the config was missing).
    let r = w.run(&["run", "--input", "nowhere"]);
    r.expect_code(2);
    assert!(
        r.stderr().contains("输入文件夹 nowhere 不存在"),
        "{}",
        r.describe()
    );
    w.run(&["diff", "only-one.xlsx"]).expect_code(2);
}

#[test]
fn diff_says_equal_or_names_the_cell() {
    let w = Workdir::new("cli-diff");
    w.run(&["run", "--input", &sample(), "--output", "a"])
        .expect_code(0);
    let other = root().join("fixtures/wenlv-2024/input");
    w.run(&["run", "--input", other.to_str().unwrap(), "--output", "b"])
        .expect_code(0);
    let a = format!("a/{}", OUTPUTS[0]);
    w.run(&["diff", &a, &a]).expect_code(0);
    let b = "b/2024年度某市文化和旅游局部门整体支出绩效自评表.xlsx";
    let r = w.run(&["diff", &a, b]);
    r.expect_code(1);
    assert!(
        r.stdout().contains("支出概况!B4：A为8204.44，B为27.7"),
        "{}",
        r.describe()
    );
}

#[test]
fn an_output_folder_inside_the_input_folder_is_not_read_back() {
    let w = Workdir::new("cli-output-inside-input");
    copy_dir(&root().join("input"), &w.path("exports"));
    w.run(&["run", "--input", "exports", "--output", "exports/报表"])
        .expect_code(0);
    w.run(&["run", "--input", "exports", "--output", "exports/报表"])
        .expect_code(0);
}

/// Issue 18: what a newcomer met — a missing folder, a folder without its config, a typo in
/// an option, an output path that is a file — each says what to do, in Chinese.
#[test]
fn issue_18_a_newcomers_mistakes_each_say_what_to_do() {
    let w = Workdir::new("cli-newcomer");
    let r = w.run(&["run", "--input", "不存在的目录"]);
    r.expect_code(2);
    assert!(
        r.stderr().contains("输入文件夹 不存在的目录 不存在"),
        "{}",
        r.describe()
    );
    std::fs::create_dir_all(w.path("exports")).unwrap();
    let r = w.run(&["check", "--input", "exports"]);
    r.expect_code(2);
    assert!(
        r.stderr()
            .contains("没有配置文件 jixiao.toml：请先运行 jixiao init --input exports"),
        "{}",
        r.describe()
    );
    let r = w.run(&["run", "--inptu", "exports"]);
    r.expect_code(2);
    assert!(r.stderr().contains("是否要用“--input”"), "{}", r.describe());
    std::fs::write(w.path("afile"), "x").unwrap();
    let r = w.run(&["run", "--input", &sample(), "--output", "afile"]);
    r.expect_code(2);
    assert!(
        r.stderr()
            .contains("无法创建输出文件夹 afile：已有同名的文件或文件夹")
            && !r.stderr().contains("os error"),
        "{}",
        r.describe()
    );
    let r = w.run(&["run", "--help"]);
    assert!(r.stdout().contains("（初稿）.docx") && r.stdout().contains("项目支出绩效自评表.xlsx"));
}

/// Issue 20: `diff` speaks Chinese throughout — a closing count, and a missing file said in
/// Chinese; `jixiao rnu` is an unknown subcommand with the closest one, `jixiao help` the help.
#[test]
fn issue_20_diff_and_subcommands_speak_chinese() {
    let w = Workdir::new("cli-diff-chinese");
    w.run(&["run", "--input", &sample(), "--output", "a"])
        .expect_code(0);
    let a = format!("a/{}", OUTPUTS[0]);
    let audit = format!("a/{}", OUTPUTS[1]);
    let r = w.run(&["diff", &a, &audit]);
    r.expect_code(1);
    assert!(r.stdout().contains("处不同（A："), "{}", r.describe());
    assert!(
        r.stdout().contains("：只在A中有此工作表"),
        "{}",
        r.describe()
    );
    let r = w.run(&["diff", &a, "没有这个文件.xlsx"]);
    r.expect_code(2);
    assert!(
        r.stderr().contains("文件或文件夹不存在") && !r.stderr().contains("os error"),
        "{}",
        r.describe()
    );
    let r = w.run(&["rnu"]);
    r.expect_code(2);
    assert!(
        r.stderr().contains("未知的子命令“rnu”，是否要用“run”？"),
        "{}",
        r.describe()
    );
    let r = w.run(&["help"]);
    r.expect_code(0);
    assert!(r.stdout().contains("用法："), "{}", r.describe());
}

/// Issue 20: the count of warnings counts what is printed — the draft's sections to fill
/// included, before the count — and `check` says what the draft will lack.
#[test]
fn issue_20_the_warning_count_counts_what_is_printed() {
    let w = Workdir::new("cli-warning-count");
    for args in [
        vec!["run", "--input", &sample(), "--output", "out"],
        vec!["check", "--input", &sample()],
    ] {
        let r = w.run(&args);
        r.expect_code(0);
        let err = r.stderr();
        let printed = err.lines().filter(|l| l.starts_with("警告：")).count();
        assert!(
            err.contains("报告初稿中以下部分待填写")
                && err.contains(&format!("共 {printed} 个警告。")),
            "{}",
            r.describe()
        );
        let count_at = err.find("个警告。").unwrap();
        assert!(err.rfind("警告：").unwrap() < count_at, "{}", r.describe());
    }
}

/// Issue 20: a failed run leaves the earlier report beside a new audit; the message and the
/// audit's first sheet say that those files are from an earlier run, and when.
#[test]
fn issue_20_a_failed_run_says_the_report_in_the_folder_is_an_earlier_one() {
    let w = Workdir::new("cli-stale-report");
    copy_dir(&root().join("input"), &w.path("in"));
    w.run(&["run", "--input", "in", "--output", "out"])
        .expect_code(0);
    std::fs::write(
        w.path("in/支付明细/坏行.csv"),
        "支付日期,预算单位,项目名称,支出类型,经济分类,资金性质,支付金额\n\
         2023-12-20,岳阳市住房和城乡建设局本级,,基本支出,30201 办公费,一般公共预算,12a\n",
    )
    .unwrap();
    let r = w.run(&["run", "--input", "in", "--output", "out"]);
    r.expect_code(1);
    assert!(
        r.stderr()
            .contains(&format!("注意：输出文件夹中的 {}（", OUTPUTS[0]))
            && r.stderr().contains("不是本次的结果"),
        "{}",
        r.describe()
    );
    let audit = Book::open(&w.path(&format!("out/{}", OUTPUTS[1])));
    let notes: String = audit
        .rows("来源文件")
        .iter()
        .flatten()
        .map(|v| v.to_string())
        .collect();
    assert!(notes.contains("此前一次运行生成的"), "{notes}");
}
