//! An export folder unlike the sample, built here as a user's budget system would write it:
//! a two-row header with merged cells above the data, Excel date cells, amounts in 万元 set by
//! the title, spend kinds typed 人员类/运转类/特定目标类, a budget sheet in the same workbook
//! with a typed-negative 调减, 合计 in column B, code-prefixed and alias unit names, no
//! indicator sheet. Every expectation is computed by hand in the comments.

mod common;
use common::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

fn write_exports(dir: &std::path::Path) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join("jixiao.toml"),
        "[report]\ndepartment = \"某区水务局\"\nyear = 2025\n\n[[unit]]\nname = \"某区水务局机关\"\ncode = \"800001\"\naliases = [\"水务局机关\"]\n\n[[unit]]\nname = \"某区水利站\"\n",
    )
    .unwrap();
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let ws = wb.add_worksheet();
    ws.set_name("Sheet1").unwrap();
    ws.write(0, 0, "支出明细查询结果").unwrap();
    ws.write(1, 5, "单位：万元").unwrap();
    let f = Format::new();
    ws.merge_range(2, 0, 3, 0, "序号", &f).unwrap();
    ws.merge_range(2, 1, 3, 1, "预算单位", &f).unwrap();
    ws.merge_range(2, 2, 2, 4, "支出信息", &f).unwrap();
    ws.merge_range(2, 5, 2, 6, "资金", &f).unwrap();
    for (c, h) in ["凭证日期", "经济科目", "预算类型", "资金性质", "支出金额"]
        .iter()
        .enumerate()
    {
        ws.write(3, c as u16 + 2, *h).unwrap();
    }
    // (unit, month, econ, kind, fund, 万元)
    let rows = [
        ("水务局机关", 1, "30101", "人员类", "财政拨款", 12.5), // 125,000 元 general basic personnel
        (
            "800001 某区水务局机关",
            2,
            "30201",
            "运转类",
            "财政拨款",
            1.2345,
        ), // 12,345 元 general basic public
        ("某区水利站", 3, "31005", "特定目标类", "政府性基金", 20.0), // 200,000 元 政府性基金 project
        ("某区水利站", 4, "30101", "人员类", "事业收入", 3.0),        // 30,000 元 other basic
    ];
    for (i, (unit, m, econ, kind, fund, wan)) in rows.iter().enumerate() {
        let r = 4 + i as u32;
        ws.write(r, 0, i as u32 + 1).unwrap();
        ws.write(r, 1, *unit).unwrap();
        ws.write_datetime_with_format(r, 2, ExcelDateTime::from_ymd(2025, *m, 10).unwrap(), &date)
            .unwrap();
        ws.write(r, 3, *econ).unwrap();
        ws.write(r, 4, *kind).unwrap();
        ws.write(r, 5, *fund).unwrap();
        ws.write(r, 6, *wan).unwrap();
    }
    ws.write(8, 1, "合 计").unwrap();
    ws.write(8, 6, 36.7345).unwrap();
    ws.write(10, 0, "制表：赵六").unwrap();

    let ws = wb.add_worksheet();
    ws.set_name("指标").unwrap();
    for (c, h) in ["预算单位名称", "支出类型", "经济分类", "调整类型", "金额"]
        .iter()
        .enumerate()
    {
        ws.write(0, c as u16, *h).unwrap();
    }
    // No fund column: all 一般公共预算. In 元 (the config's default).
    let budget = [
        ("某区水务局机关", "基本支出", "30101", "年初", 150_000.0),
        ("某区水务局机关", "基本支出", "30201", "调增", 20_000.0),
        ("某区水利站", "项目支出", "31005", "年初", 300_000.0),
        ("某区水利站", "基本支出", "30101", "结转", 50_000.0),
        ("某区水利站", "项目支出", "31005", "调减", -100_000.0),
    ];
    for (i, (unit, kind, econ, bk, yuan)) in budget.iter().enumerate() {
        let r = 1 + i as u32;
        ws.write(r, 0, *unit).unwrap();
        ws.write(r, 1, *kind).unwrap();
        ws.write(r, 2, *econ).unwrap();
        ws.write(r, 3, *bk).unwrap();
        ws.write(r, 4, *yuan).unwrap();
    }
    ws.write(6, 0, "合计").unwrap();
    ws.write(6, 4, 420_000.0).unwrap();
    wb.save(dir.join("导出数据(1).xlsx")).unwrap();
}

#[test]
fn an_unseen_export_folder_gives_the_right_figures() {
    let w = Workdir::new("unseen-exports");
    write_exports(&w.path("in"));
    let run = w.run(&["run", "--input", "in", "--output", "out"]);
    run.expect_code(0);
    assert!(
        run.stderr().contains("没有绩效指标表"),
        "{}",
        run.describe()
    );
    let book = Book::open(&w.path("out/2025年度某区水务局部门整体支出绩效自评表.xlsx"));
    let expect = [
        ("支出概况", "B4", "13.73"),  // F1 137,345 元
        ("支出概况", "B5", "12.5"),   // F2
        ("支出概况", "B6", "1.23"),   // F3 12,345 元
        ("支出概况", "B7", "0"),      // F4
        ("支出概况", "B9", "30"),     // F6
        ("支出概况", "B10", "20"),    // F7 = 300,000 − |−100,000|
        ("支出概况", "B11", "0"),     // F8
        ("支出概况", "B12", "42"),    // F9 = 170,000 + 250,000
        ("支出概况", "B13", "36.73"), // F10 = 367,345
        ("支出概况", "B14", "16.73"), // F11 = 167,345
        ("支出概况", "B15", "3"),     // F12
        ("支出概况", "B16", "20"),    // F13
        ("支出概况", "B17", "0"),     // F14
        ("支出概况", "A18", "其中：政府性基金项目支出"),
        ("支出概况", "B18", "20"),
        ("支出概况", "B19", "0.8746"), // 367,345 / 420,000
        ("单位执行", "B4", "17"),
        ("单位执行", "C4", "13.73"),
        ("单位执行", "E4", "8.08"), // 137,345 / 170,000 × 10
        ("单位执行", "B5", "25"),
        ("单位执行", "E5", "9.2"), // 230,000 / 250,000 × 10
        ("绩效评分", "C4", "8.08"),
        ("绩效评分", "D4", "未评"),
        ("绩效评分", "G4", "8.08"),
        ("绩效评分", "C6", "8.6"), // (8.0791 + 9.2) / 2
        ("绩效评分", "G7", "差"),
        ("项目支出", "A4", "合   计"), // no general-fund project spending
        ("项目支出", "C4", "0"),
    ];
    let bad: Vec<String> = expect
        .iter()
        .filter_map(|(s, a, v)| check_cell(&book, s, a, v))
        .collect();
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
