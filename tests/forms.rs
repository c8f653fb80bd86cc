//! The 项目支出绩效自评表 (issue 17, SPEC §10): the sample's forms against cells worked out
//! from its ledgers without jixiao, the audit's proof, project indicators from a 项目名称 column
//! and from the 财政部 template's title, `project_aliases`, and the bad inputs.

mod common;
use common::*;

const FORMS: &str = "2023年度项目支出绩效自评表.xlsx";
const AUDIT: &str = "2023年度核对底稿.xlsx";

/// A copy of the sample in a fresh work folder, with `extra` files written into it.
fn sample_with(name: &str, extra: &[(&str, &str)]) -> Workdir {
    let w = Workdir::new(name);
    copy_dir(&root().join("fixtures/yueyang-2023/input"), &w.path("in"));
    for (path, text) in extra {
        std::fs::write(w.path(&format!("in/{path}")), text).unwrap();
    }
    w
}

fn run(w: &Workdir) -> Run {
    w.run(&["run", "--input", "in", "--output", "out"])
}

/// A project indicator sheet (CSV) for 本级's project `project`: the points of each row given.
fn indicators_csv(project: &str, rows: &[(&str, &str, &str, &str, &str)]) -> String {
    let mut s = String::from(
        "单位名称,项目名称,一级指标,二级指标,三级指标,分值,指标方向,年度指标值,实际完成值,自评得分,偏差原因\n",
    );
    for (l1, name, points, actual, given) in rows {
        s.push_str(&format!(
            "岳阳市住房和城乡建设局本级,{project},{l1},数量指标,{name},{points},正向,≥10项,{actual},{given},\n"
        ));
    }
    s
}

fn full_set<'a>() -> Vec<(&'a str, &'a str, &'a str, &'a str, &'a str)> {
    vec![
        ("产出指标", "天桥建成数", "50", "10项", ""),
        ("效益指标", "通行便利", "30", "10项", ""),
        ("满意度指标", "群众满意", "10", "10项", ""),
    ]
}

#[test]
fn sample_forms_match_the_cells_worked_out_from_the_ledgers() {
    let w = Workdir::new("forms-sample");
    let input = root().join("fixtures/yueyang-2023/input");
    w.run(&["run", "--input", input.to_str().unwrap(), "--output", "out"])
        .expect_code(0);
    let book = Book::open(&w.path(&format!("out/{FORMS}")));
    let mut bad = check_expected_cells(
        &book,
        &root().join("fixtures/yueyang-2023/expected_forms.txt"),
    );
    bad.extend(check_expected_cells(
        &book,
        &root().join("fixtures/yueyang-2023/expected_form_sheets.txt"),
    ));
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    // One form per project with money: 26, plus 汇总.
    assert_eq!(book.sheets.len(), 27, "{:?}", book.sheets.keys());
}

#[test]
fn the_audit_proves_every_form_and_the_sums_over_them() {
    let w = Workdir::new("forms-audit");
    let input = root().join("fixtures/yueyang-2023/input");
    w.run(&["run", "--input", input.to_str().unwrap(), "--output", "out"])
        .expect_code(0);
    let audit = Book::open(&w.path(&format!("out/{AUDIT}")));
    let rows = audit.rows("核对");
    let forms: Vec<&Vec<V>> = rows
        .iter()
        .filter(|r| matches!(&r[0], V::T(s) if s == "项目自评表"))
        .collect();
    assert_eq!(forms.len(), 4, "{forms:?}");
    for r in &forms {
        assert!(matches!(&r[5], V::T(s) if s == "一致"), "{r:?}");
    }
    // Σ 全年执行数 = F13 = 6900.33 万元 (the seed's 项目支出（含其他资金）).
    let f13 = forms
        .iter()
        .find(|r| matches!(&r[1], V::T(s) if s.contains("F13")))
        .unwrap();
    assert!(
        matches!(f13[2], V::N(x) if (x - 69_003_300.0).abs() < 0.5),
        "{f13:?}"
    );
    // The 项目资金 sheet: four lines a form, each 一致.
    let money = audit.rows("项目资金");
    let lines: Vec<&Vec<V>> = money
        .iter()
        .filter(|r| matches!(&r[3], V::T(s) if s == "年度资金总额"))
        .collect();
    assert_eq!(lines.len(), 26);
    assert!(
        money
            .iter()
            .filter(|r| r.len() > 10 && matches!(&r[3], V::T(_)))
            .all(|r| !matches!(&r[10], V::T(s) if s == "不一致"))
    );
}

/// Issue 17: an indicator project that matches no project of its unit is an error naming the
/// closest project (and the alias to add); the alias makes it the project's.
#[test]
fn issue_17_an_unknown_indicator_project_names_the_closest_and_an_alias_fixes_it() {
    let csv = indicators_csv("四中人行天桥EPC项目", &full_set());
    let w = sample_with("forms-unknown-project", &[("绩效指标/补充指标.csv", &csv)]);
    let r = run(&w);
    r.expect_code(1);
    let err = r.stderr();
    for fragment in [
        "绩效指标/补充指标.csv",
        "第2行",
        "项目“四中人行天桥EPC项目”",
        "最接近的项目是“四中人行天桥EPC建设项目”",
        "project_aliases",
    ] {
        assert!(
            err.contains(fragment),
            "lacks “{fragment}”\n{}",
            r.describe()
        );
    }
    // Exit 1: the audit only, never the forms.
    assert!(w.path(&format!("out/{AUDIT}")).exists());
    assert!(!w.path(&format!("out/{FORMS}")).exists());

    let config = std::fs::read_to_string(w.path("in/jixiao.toml")).unwrap();
    let config = config.replacen(
        "code = \"501001\"\n",
        "code = \"501001\"\nproject_aliases = { \"四中人行天桥EPC项目\" = \"四中人行天桥EPC建设项目\" }\n",
        1,
    );
    std::fs::write(w.path("in/jixiao.toml"), config).unwrap();
    run(&w).expect_code(0);
    let book = Book::open(&w.path(&format!("out/{FORMS}")));
    // Form 9: 预算执行 9.4 (5.64 of 6 万元) + 50 + 30 + 10.
    let sheet = "9.四中人行天桥EPC建设项目";
    for (addr, want) in [("L12", "99.4"), ("M12", "优秀")] {
        assert_eq!(check_cell(&book, "汇总", addr, want), None);
    }
    assert_eq!(check_cell(&book, sheet, "C14", "天桥建成数"), None);
    assert_eq!(check_cell(&book, sheet, "A14", "产出指标（50分）"), None);
}

#[test]
fn a_given_score_above_its_points_is_an_error_at_its_row() {
    let mut rows = full_set();
    rows[2].4 = "12";
    let csv = indicators_csv("四中人行天桥EPC建设项目", &rows);
    let w = sample_with("forms-score-above", &[("绩效指标/补充指标.csv", &csv)]);
    let r = run(&w);
    r.expect_code(1);
    let err = r.stderr();
    assert!(
        err.contains("补充指标.csv › 补充指标 › 第4行") && err.contains("自评得分 12 超出 [0, 10]"),
        "{}",
        r.describe()
    );
    assert!(!w.path(&format!("out/{FORMS}")).exists());
}

#[test]
fn a_group_whose_points_do_not_add_up_is_a_warning_and_the_form_shows_what_is_there() {
    let mut rows = full_set();
    rows[0].2 = "40";
    let csv = indicators_csv("四中人行天桥EPC建设项目", &rows);
    let w = sample_with("forms-points", &[("绩效指标/补充指标.csv", &csv)]);
    let r = run(&w);
    r.expect_code(0);
    assert!(
        r.stderr()
            .contains("项目“四中人行天桥EPC建设项目”的产出指标分值合计为 40，应为 50"),
        "{}",
        r.describe()
    );
    let book = Book::open(&w.path(&format!("out/{FORMS}")));
    // 9.4 + 40 + 30 + 10.
    assert_eq!(check_cell(&book, "汇总", "L12", "89.4"), None);
    assert_eq!(check_cell(&book, "汇总", "M12", "良好"), None);
}

/// The 财政部 template: one sheet per project, `项目名称：…` and `实施单位：…` in its title
/// block, no unit or project column.
#[test]
fn the_template_with_the_project_in_its_title_block_is_read() {
    let csv = "项目支出绩效自评表\n项目名称：四中人行天桥EPC建设项目  实施单位：岳阳市住房和城乡建设局本级\n一级指标,二级指标,三级指标,分值,指标方向,年度指标值,实际完成值,偏差原因\n产出指标,数量指标,天桥建成数,50,正向,≥10项,8项,受征拆影响，2座天桥延至次年\n效益指标,社会效益指标,通行便利,30,正向,≥10项,10项,\n满意度指标,服务对象满意度指标,群众满意,10,正向,≥90%,95%,\n";
    let w = sample_with("forms-template", &[("绩效指标/天桥项目自评表.csv", csv)]);
    let r = run(&w);
    r.expect_code(0);
    let book = Book::open(&w.path(&format!("out/{FORMS}")));
    // 9.4 + 50 × 8/10 + 30 + 10 = 89.4.
    assert_eq!(check_cell(&book, "汇总", "I12", "40"), None);
    assert_eq!(check_cell(&book, "汇总", "L12", "89.4"), None);
    let sheet = "9.四中人行天桥EPC建设项目";
    assert_eq!(
        check_cell(&book, sheet, "H14", "受征拆影响，2座天桥延至次年"),
        None
    );
}

/// SPEC §10 attribution: a payment whose ledger says which budget it drew (指标来源) goes to
/// that row; the payments that do not say fill what is left of the carry-over first.
#[test]
fn the_budget_a_payment_drew_decides_its_row_and_the_rule_takes_the_rest() {
    let csv = "支付日期,预算单位,项目名称,支出类型,经济分类,资金性质,指标来源,支付金额\n\
               2023-12-20,岳阳市城乡建设事务中心,2022年非税收入结转,项目支出,30227 委托业务费,一般公共预算,年初预算,10000.00\n\
               2023-12-21,岳阳市城乡建设事务中心,2022年非税收入结转,项目支出,30227 委托业务费,一般公共预算,上年结转,5000.00\n";
    let w = sample_with("forms-drawn", &[("支付明细/补充支付.csv", csv)]);
    run(&w).expect_code(0);
    let book = Book::open(&w.path(&format!("out/{FORMS}")));
    // 上年结转 budget 43 万元. Said: 1.00 this year's, 0.50 carry-over; not said: the sample's
    // 42.18, all within what is left of the carry-over (42.50).
    let sheet = "15.2022年非税收入结转";
    let mut bad = Vec::new();
    for (addr, want) in [("E6", "43.68"), ("E7", "1"), ("E8", "42.68"), ("D8", "43")] {
        bad.extend(check_cell(&book, sheet, addr, want));
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
