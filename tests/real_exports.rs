//! The bundled sample re-exported under the header names real 预算管理一体化 systems write
//! (issue 10): same rows and amounts, only headers renamed, columns split, added or removed.
//! Where the needed columns are there, the report must give the seed's figures (typed from
//! `../shared/seed/`, in `fixtures/yueyang-2023-xls-ods/expected_cells.txt`); where a field
//! that decides a figure is missing, the run must say so — never a wrong figure in silence.

mod common;
use common::reexport::{Cell, Grid, reexport, split_econ};
use common::*;
use std::path::Path;

const REPORT: &str = "2023年度岳阳市住房和城乡建设局部门整体支出绩效自评表.xlsx";

/// Re-exports the sample with `f`, runs jixiao on it, and returns the run and its folder.
fn variant(name: &str, f: &dyn Fn(&mut Grid)) -> (Workdir, Run) {
    let w = Workdir::new(&format!("real-{name}"));
    reexport(&root().join("input"), &w.path("in"), f);
    let run = w.run(&["run", "--input", "in", "--output", "out"]);
    (w, run)
}

/// The seed's figures, or every cell that differs.
fn seed_figures(w: &Workdir) -> Vec<String> {
    let book = Book::open(&w.path(&format!("out/{REPORT}")));
    check_expected_cells(
        &book,
        &root().join("fixtures/yueyang-2023-xls-ods/expected_cells.txt"),
    )
}

fn gives_the_seed(name: &str, f: &dyn Fn(&mut Grid)) -> Run {
    let (w, run) = variant(name, f);
    run.expect_code(0);
    let bad = seed_figures(&w);
    assert!(
        bad.is_empty(),
        "{name}:\n{}\n{}",
        bad.join("\n"),
        run.describe()
    );
    run
}

const ECON: &[&str] = &["经济分类", "部门经济分类科目"];

#[test]
fn econ_under_its_department_names() {
    gives_the_seed("econ-spend", &|g| {
        g.rename(ECON, "部门支出经济分类");
    });
    gives_the_seed("econ-budget", &|g| {
        g.rename(ECON, "部门预算经济分类");
    });
}

#[test]
fn econ_split_into_code_and_name_with_a_government_class_beside() {
    let run = gives_the_seed("econ-split", &|g| {
        let Some(c) = g.col(ECON) else { return };
        g.insert(c, "部门支出经济分类名称", |row| {
            Cell::Text(split_econ(&row[c].text()).1)
        });
        g.map(ECON, |row| Cell::Text(split_econ(&row[c].text()).0));
        g.rename(ECON, "部门支出经济分类代码");
        g.insert(c + 1, "政府支出经济分类", |_| {
            Cell::Text("50201 办公经费".into())
        });
    });
    // The 政府 class is named as not read, never taken for the 部门 one.
    assert!(
        run.stderr()
            .contains("“政府支出经济分类”，政府经济分类不是部门经济分类")
    );
}

#[test]
fn amount_and_date_under_their_real_names() {
    gives_the_seed("actual-amount", &|g| {
        g.rename(&["支付金额", "发生额（元）"], "实际支付金额");
        g.rename(&["支付日期", "记账日期"], "实际支付日期");
    });
    gives_the_seed("this-amount", &|g| {
        g.rename(&["支付金额", "发生额（元）"], "本次支付金额");
        g.rename(&["支付日期", "记账日期"], "支付时间");
    });
}

#[test]
fn actual_amount_wins_over_the_requested_one() {
    // 支付金额 (the amount applied for) beside 实际支付金额 (the amount paid): the paid one
    // decides, whatever the column order.
    let run = gives_the_seed("both-amounts", &|g| {
        let Some(c) = g.col(&["支付金额", "发生额（元）"]) else {
            return;
        };
        g.rename(&["支付金额", "发生额（元）"], "实际支付金额");
        g.insert(c - 1, "支付金额", |_| Cell::Num(1.0));
    });
    assert!(run.stderr().contains("已使用"));
}

#[test]
fn a_payment_export_with_indicator_columns_is_a_payment_ledger() {
    gives_the_seed("payment-with-indicator", &|g| {
        if g.is_payment() {
            g.append("指标文号", |_| Cell::Text("岳财预〔2023〕1号".into()));
            g.append("指标类型", |_| Cell::Text("正常指标".into()));
        }
    });
}

#[test]
fn budget_kind_in_its_source_column_beside_a_normal_indicator_type() {
    gives_the_seed("budget-source", &|g| {
        if g.is_budget() {
            let c = g.col(&["指标类型"]).unwrap();
            g.rename(&["指标类型"], "指标来源");
            // 指标类型 before 指标来源 in the sheet: its values decide, not its position.
            g.insert(c - 1, "指标类型", |_| Cell::Text("正常指标".into()));
        }
    });
}

#[test]
fn indicators_with_nature_beside_direction_and_the_long_reason_name() {
    gives_the_seed("indicators", &|g| {
        if g.is_indicators() {
            common::reexport::indicators_with_nature(g);
        }
    });
}

#[test]
fn fund_under_its_data_element_name() {
    // Issue 10: was exit 0 with F1 8797.85, F12 = F14 = 0 and no warning.
    gives_the_seed("fund-name", &|g| {
        g.rename(&["资金性质", "资金来源"], "资金性质名称");
    });
}

#[test]
fn project_as_budget_project_without_a_kind_column() {
    // Issue 10: was exit 0 with every payment basic and F8 = 0, no warning. The kind is now
    // inferred from the project, and said with its money.
    let run = gives_the_seed("budget-project", &|g| {
        g.rename(&["项目名称", "支出项目"], "预算项目");
        if g.is_payment() {
            g.remove(&["支出类型"]);
        }
    });
    assert!(
        run.stderr().contains("本表没有支出类型列"),
        "{}",
        run.describe()
    );
}

#[test]
fn yitihua_style_kind_only_in_project_category() {
    // Issue 10: basic payments under 人员类/运转类 projects, the kind only in 项目类别: was
    // exit 0 with F1 = 0. The whole 一体化 re-export (fixtures/yueyang-2023-yitihua) too.
    gives_the_seed("yitihua", &common::reexport::yitihua);
}

#[test]
fn no_fund_column_is_said_with_its_money() {
    // Every row taken as general: the figures that need the fund are wrong, and the run says so.
    let (w, run) = variant("no-fund", &|g| {
        if g.is_payment() {
            g.remove(&["资金性质", "资金来源"]);
        }
    });
    run.expect_code(0);
    let err = run.stderr();
    assert_eq!(
        err.matches("本表没有资金性质列").count(),
        12,
        "one warning per payment sheet\n{}",
        run.describe()
    );
    assert!(err.contains("全部按一般公共预算计算"));
    let book = Book::open(&w.path(&format!("out/{REPORT}")));
    assert_eq!(
        book.get("支出概况", "B15"),
        V::N(0.0),
        "F12 with no fund column"
    );
}

#[test]
fn an_unknown_project_header_is_named() {
    let (_w, run) = variant("unknown-project-header", &|g| {
        // The ledgers' project column (the project indicators keep theirs: SPEC §10).
        if !g.is_indicators() {
            g.rename(&["项目名称", "支出项目"], "预算项目全称");
        }
        if g.is_payment() {
            g.remove(&["支出类型"]);
        }
    });
    let err = run.stderr();
    assert!(err.contains("“预算项目全称”"), "{}", run.describe());
    assert!(err.contains("本表没有支出类型列"), "{}", run.describe());
    // Since issue 17 the sample's project indicators name projects the ledgers no longer
    // show: an error, never forms silently missing their indicators.
    run.expect_code(1);
    assert!(
        err.contains("绩效指标表中的项目“城乡建设事务管理经费”（岳阳市住房和城乡建设局本级）在预算指标和支出明细中都没有"),
        "{}",
        run.describe()
    );
}

#[test]
fn yitihua_fixture_is_the_sample_reexported() {
    // fixtures/yueyang-2023-yitihua/input is written by `cargo run --example reexport`; it
    // must stay what the transform makes of the sample (no hand edits drifting from it).
    let w = Workdir::new("real-fixture");
    reexport(
        &root().join("input"),
        &w.path("in"),
        &common::reexport::yitihua,
    );
    let fixture = root().join("fixtures/yueyang-2023-yitihua/input");
    // Every file, both ways: the same names, and each workbook the same sheets cell by cell.
    let names = |dir: &Path| -> Vec<String> { files_below(dir).into_iter().map(|f| f.0).collect() };
    let (made, kept) = (names(&w.path("in")), names(&fixture));
    assert_eq!(made, kept, "the fixture's files");
    assert_eq!(made.len(), 16, "{made:?}");
    for sub in &made {
        if sub.ends_with(".toml") {
            assert_eq!(
                std::fs::read(w.path(&format!("in/{sub}"))).unwrap(),
                std::fs::read(fixture.join(sub)).unwrap(),
                "{sub}"
            );
            continue;
        }
        let a = Book::open(&w.path(&format!("in/{sub}")));
        let b = Book::open(&fixture.join(sub));
        assert_eq!(a.sheets, b.sheets, "{sub}");
    }
}

/// The sample's indicators in the 财政部 self-evaluation template: one sheet per unit, the
/// unit in the title block (`单位名称：…`), no unit column, the group's points in the level-1
/// cell (`产出指标(50分)`), a 预算执行 row the ledgers decide. `title` and `direction` say
/// whether the title line and the direction column are there.
fn mof_template(w: &Workdir, title: bool, direction: bool) {
    copy_dir(&root().join("input"), &w.path("in"));
    let file = "绩效指标/2023年度绩效自评指标.xlsx";
    let g = &common::reexport::read(&root().join("input").join(file))[0];
    let h = g.header.unwrap();
    let col = |name: &str| g.col(&[name]).unwrap();
    let (unit, l1) = (col("单位名称"), col("一级指标"));
    let keep: Vec<usize> = (0..g.rows[h].len())
        .filter(|&c| c != unit && (direction || c != col("指标方向")))
        .collect();
    let mut units: Vec<String> = Vec::new();
    for row in &g.rows[h + 1..] {
        let u = row[unit].text();
        if !row[l1].text().is_empty() && !units.contains(&u) {
            units.push(u);
        }
    }
    let mut sheets = Vec::new();
    for (i, u) in units.iter().enumerate() {
        let mut rows = vec![
            vec![Cell::Text("部门整体支出绩效自评表".into())],
            vec![if title {
                Cell::Text(format!("单位名称：{u}      填报日期：2024年3月"))
            } else {
                Cell::Text("填报日期：2024年3月".into())
            }],
        ];
        let header: Vec<Cell> = keep.iter().map(|&c| g.rows[h][c].clone()).collect();
        rows.push(header.clone());
        let mut budget_row = vec![Cell::Empty; keep.len()];
        budget_row[0] = Cell::Text("预算执行(10分)".into());
        budget_row[2] = Cell::Text("预算执行率".into());
        budget_row[3] = Cell::Num(10.0);
        rows.push(budget_row);
        for row in g.rows[h + 1..].iter().filter(|r| r[unit].text() == *u) {
            let mut out: Vec<Cell> = keep.iter().map(|&c| row[c].clone()).collect();
            let points = match row[l1].text().as_str() {
                "产出指标" => 50,
                "效益指标" => 30,
                _ => 10,
            };
            out[0] = Cell::Text(format!("{}({points}分)", row[l1].text()));
            rows.push(out);
        }
        sheets.push(Grid {
            name: format!("自评表{}", i + 1),
            rows,
            header: Some(2),
            merges: Vec::new(),
        });
    }
    common::reexport::write(&w.path("in").join(file), &sheets);
}

#[test]
fn the_mof_self_evaluation_template_is_read() {
    let w = Workdir::new("real-mof-template");
    mof_template(&w, true, true);
    let run = w.run(&["run", "--input", "in", "--output", "out"]);
    run.expect_code(0);
    assert!(
        run.stderr()
            .contains("预算执行得分由支出明细和预算指标计算，表中此行已忽略"),
        "{}",
        run.describe()
    );
    let bad = seed_figures(&w);
    assert!(bad.is_empty(), "{}\n{}", bad.join("\n"), run.describe());
}

#[test]
fn the_mof_template_without_what_it_needs_says_what_to_add() {
    let w = Workdir::new("real-mof-template-no-title");
    mof_template(&w, false, true);
    let run = w.run(&["run", "--input", "in", "--output", "out"]);
    run.expect_code(1);
    assert!(
        run.stderr()
            .contains("或在表头上方写明“单位名称：…”（财政部自评表格式）"),
        "{}",
        run.describe()
    );
    let w = Workdir::new("real-mof-template-no-direction");
    mof_template(&w, true, false);
    let run = w.run(&["run", "--input", "in", "--output", "out"]);
    run.expect_code(1);
    assert!(
        run.stderr()
            .contains("请增加一列“指标方向”，填写正向、反向、等于或定性"),
        "{}",
        run.describe()
    );
}

/// Issue 18: exports grouped by unit carry a subtotal row after each unit's rows
/// (`岳阳市城市建设档案馆小计`, `小计：…`): total rows, checked against the rows above them.
#[test]
fn issue_18_named_subtotal_rows_are_totals_and_checked() {
    const UNIT: &[&str] = &["预算单位", "预算单位名称"];
    const AMOUNT: &[&str] = &["支付金额", "发生额（元）"];
    let run = gives_the_seed("unit-subtotals", &|g| {
        if g.is_payment() {
            g.subtotal(UNIT, AMOUNT, |u| format!("{u}小计"), 0);
        }
    });
    assert!(
        !run.stderr().contains("小计”行金额为"),
        "{}",
        run.describe()
    );
    let run = gives_the_seed("unit-subtotals-colon", &|g| {
        if g.is_payment() {
            g.subtotal(UNIT, AMOUNT, |u| format!("小计：{u}"), 0);
        }
    });
    assert!(!run.stderr().contains("行金额为"), "{}", run.describe());
    // A subtotal one yuan off: a warning naming it, the figures unchanged.
    let run = gives_the_seed("unit-subtotal-off", &|g| {
        if g.is_payment() {
            g.subtotal(UNIT, AMOUNT, |u| format!("{u}小计"), 100);
        }
    });
    assert!(
        run.stderr().contains("小计”行金额为") && run.stderr().contains("相差 1.00 元"),
        "{}",
        run.describe()
    );
}

const FUND: &[&str] = &["资金性质", "资金来源"];

/// The sample's fund words rewritten by `words` (general, other).
fn fund_words(g: &mut Grid, general: &str, other: &str) {
    let Some(c) = g.col(FUND) else { return };
    let (general, other) = (general.to_string(), other.to_string());
    g.map(FUND, move |row| match row[c].text().as_str() {
        "一般公共预算" => Cell::Text(general.clone()),
        "" => Cell::Empty,
        _ => Cell::Text(other.clone()),
    });
}

/// Issue 18: payment systems write funds in their own words, with codes: 经费拨款 (the fiscal
/// appropriation) and 单位资金 are built in.
#[test]
fn issue_18_the_systems_own_fund_words_with_codes_are_read() {
    gives_the_seed("fund-words", &|g| fund_words(g, "经费拨款", "单位资金"));
    gives_the_seed("fund-words-coded", &|g| {
        fund_words(g, "111 经费拨款", "[3]单位资金")
    });
}

/// Issue 18: a word no vocabulary knows is one error naming it with the `[values]` line to
/// add — not one per row; with the line added, the seed's figures.
#[test]
fn issue_18_an_unknown_fund_word_is_one_error_with_the_line_to_add() {
    let words = |g: &mut Grid| fund_words(g, "国库集中支付资金", "单位资金");
    let (w, run) = variant("fund-unknown", &words);
    run.expect_code(1);
    let err = run.stderr();
    assert_eq!(
        err.matches("资金性质“国库集中支付资金”无法识别").count(),
        1,
        "{}",
        run.describe()
    );
    assert!(
        err.contains("[values.fund]") && err.contains("\"国库集中支付资金\" = \"\""),
        "{}",
        run.describe()
    );
    let config = std::fs::read_to_string(w.path("in/jixiao.toml")).unwrap();
    std::fs::write(
        w.path("in/jixiao.toml"),
        format!("{config}\n[values.fund]\n\"国库集中支付资金\" = \"一般公共预算\"\n"),
    )
    .unwrap();
    let run = w.run(&["run", "--input", "in", "--output", "out"]);
    run.expect_code(0);
    let bad = seed_figures(&w);
    assert!(bad.is_empty(), "{}\n{}", bad.join("\n"), run.describe());
}

/// The sample under a grouped two-row header, as a provincial 一体化 grid exports it:
/// `预算单位` › `编码` | `名称`, `部门支出经济分类` › `编码` | `名称`, `支付金额` › `金额` |
/// `其中：中央直达资金`, the other columns merged down both rows (or, `merged = false`, the CSV
/// form: a group's name over its first sub-column, the cells right of it empty).
fn grouped(g: &mut Grid, merged: bool) {
    if !g.is_payment() {
        return;
    }
    let unit = g.col(&["预算单位", "预算单位名称"]).unwrap();
    g.insert(unit.saturating_sub(1), "编码", |_| Cell::Empty);
    g.rename(&["预算单位", "预算单位名称"], "名称");
    let econ = g.col(ECON).unwrap();
    g.insert(econ, "经济分类名称", |row| {
        Cell::Text(split_econ(&row[econ].text()).1)
    });
    g.map(ECON, move |row| Cell::Text(split_econ(&row[econ].text()).0));
    g.rename(ECON, "编码");
    g.rename(&["经济分类名称"], "名称");
    let amount = g.col(&["支付金额", "发生额（元）"]).unwrap();
    g.rename(&["支付金额", "发生额（元）"], "金额");
    g.insert(amount, "其中：中央直达资金", |_| Cell::Num(0.0));
    g.group_header(
        &[
            ("预算单位", &["编码", "名称"]),
            ("部门支出经济分类", &["编码", "名称"]),
            ("支付金额", &["金额", "其中：中央直达资金"]),
        ],
        merged,
    );
}

/// Issue 18: grouped two-row headers, merged (xlsx) and in the CSV form, give the seed.
#[test]
fn issue_18_grouped_two_row_headers_give_the_seed() {
    for merged in [true, false] {
        let run = gives_the_seed(
            if merged {
                "grouped-merged"
            } else {
                "grouped-csv-form"
            },
            &|g| grouped(g, merged),
        );
        // The breakdown column is named as unread, never taken as the amount.
        assert!(
            run.stderr().contains("其中:中央直达资金"),
            "{}",
            run.describe()
        );
    }
}

/// Issue 18: a grouped header in a real CSV file (a CSV cannot merge: each group's name stands
/// over its first sub-column, the cells to its right empty) gives the seed too.
#[test]
fn issue_18_a_grouped_header_in_a_csv_file_gives_the_seed() {
    let (w, _) = variant("grouped-csv-file", &|g| grouped(g, false));
    // One month's ledger as the CSV the system would export instead of its workbook.
    let month = "支付明细/2023年03月支付明细";
    let grids = common::reexport::read(&w.path(&format!("in/{month}.xlsx")));
    let mut text = String::new();
    for row in &grids[0].rows {
        let cells: Vec<String> = row
            .iter()
            .map(|c| {
                let t = match c {
                    Cell::Num(x) => format!("{x}"),
                    other => other.text(),
                };
                if t.contains(',') || t.contains('"') {
                    format!("\"{}\"", t.replace('"', "\"\""))
                } else {
                    t
                }
            })
            .collect();
        text.push_str(&cells.join(","));
        text.push('\n');
    }
    std::fs::remove_file(w.path(&format!("in/{month}.xlsx"))).unwrap();
    std::fs::write(w.path(&format!("in/{month}.csv")), text).unwrap();
    let run = w.run(&["run", "--input", "in", "--output", "out"]);
    run.expect_code(0);
    let bad = seed_figures(&w);
    assert!(bad.is_empty(), "{}\n{}", bad.join("\n"), run.describe());
}

/// Issue 18: the grouped header in `.xls` and `.ods` (the re-export of the merged variant
/// above, saved by LibreOffice: `fixtures/grouped-headers/`) in place of two months' workbooks.
#[test]
fn issue_18_grouped_headers_in_xls_and_ods_give_the_seed() {
    let w = Workdir::new("grouped-xls-ods");
    copy_dir(&root().join("input"), &w.path("in"));
    for (month, ext) in [("03", "xls"), ("07", "ods")] {
        let name = format!("2023年{month}月支付明细");
        std::fs::remove_file(w.path(&format!("in/支付明细/{name}.xlsx"))).unwrap();
        std::fs::copy(
            root().join(format!("fixtures/grouped-headers/{name}.{ext}")),
            w.path(&format!("in/支付明细/{name}.{ext}")),
        )
        .unwrap();
    }
    let run = w.run(&["run", "--input", "in", "--output", "out"]);
    run.expect_code(0);
    let bad = seed_figures(&w);
    assert!(bad.is_empty(), "{}\n{}", bad.join("\n"), run.describe());
}
