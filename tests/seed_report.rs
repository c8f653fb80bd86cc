//! The bundled sample year reproduces the seed report figure for figure
//! (`../shared/seed/2023年度岳阳市住房和城乡建设局部门整体支出绩效自评报告.txt`). Every number
//! below is typed from the seed report, not taken from the program's output.

mod common;
use common::*;

const REPORT: &str = "out/2023年度岳阳市住房和城乡建设局部门整体支出绩效自评表.xlsx";

fn run_sample(name: &str) -> (Workdir, Book) {
    let w = Workdir::new(name);
    let input = root().join("input");
    w.run(&["run", "--input", input.to_str().unwrap(), "--output", "out"])
        .expect_code(0);
    let book = Book::open(&w.path(REPORT));
    (w, book)
}

fn money_of(book: &Book, sheet: &str) -> Vec<(String, Vec<V>)> {
    book.rows(sheet)
        .into_iter()
        .filter_map(|r| match &r[0] {
            V::T(s) => Some((s.clone(), r[1..].to_vec())),
            _ => None,
        })
        .collect()
}

fn n(x: f64) -> V {
    V::N(x)
}

fn close(a: &V, b: f64) -> bool {
    matches!(a, V::N(x) if (x - b).abs() < 1e-9)
}

#[test]
fn headline_figures_f1_to_f15() {
    let (_, book) = run_sample("seed-figures");
    // (label, 万元) as the seed report states them.
    let want: [(&str, f64); 15] = [
        ("一般公共预算基本支出", 8204.44),
        ("其中：人员经费", 7200.80),
        ("其中：公用经费", 1003.64),
        ("“三公”经费预算", 29.00),
        ("“三公”经费支出", 13.05),
        ("项目支出年初预算", 1458.80),
        ("项目支出调整后预算", 12507.50),
        ("一般公共预算项目支出", 6788.47),
        ("部门预算支出总额", 22257.69),
        ("部门实际支出总额", 15698.18),
        ("基本支出（含其他资金）", 8797.85),
        ("其中：其他资金基本支出", 593.41),
        ("项目支出（含其他资金）", 6900.33),
        ("其中：其他资金项目支出", 111.86),
        ("预算执行率", 0.7053),
    ];
    let rows = money_of(&book, "支出概况");
    for (i, (label, value)) in want.iter().enumerate() {
        let row = 3 + i; // data from Excel row 4
        let (l, v) = &rows
            .iter()
            .find(|(l, _)| l == label)
            .unwrap_or_else(|| panic!("支出概况: no row {label}"));
        assert!(
            close(&v[0], *value),
            "支出概况!B{}: expected {value}, got {}",
            row + 1,
            v[0]
        );
        assert_eq!(
            book.get("支出概况", &format!("A{}", row + 1)),
            V::T(l.clone()),
            "row order of 支出概况"
        );
    }
}

#[test]
fn sangong_table_every_cell() {
    let (_, book) = run_sample("seed-sangong");
    // 单位名称 | 公车运行维护 预算, 决算 | 公车购置 预算, 决算 | 公务接待 预算, 决算 | 出国经费 预算, 决算
    let want: [(&str, [f64; 8]); 10] = [
        (
            "岳阳市住房和城乡建设局本级",
            [7.50, 5.34, 0.0, 0.0, 7.00, 1.11, 0.0, 0.0],
        ),
        (
            "岳阳市城市建设档案馆",
            [0.0, 0.0, 0.0, 0.0, 1.00, 0.0, 0.0, 0.0],
        ),
        (
            "岳阳市城乡建设事务中心",
            [0.0, 0.0, 0.0, 0.0, 1.00, 0.0, 0.0, 0.0],
        ),
        ("岳阳市房地产交易中心", [0.0; 8]),
        (
            "岳阳市房地产市场服务中心",
            [0.0, 0.0, 0.0, 0.0, 0.50, 0.0, 0.0, 0.0],
        ),
        ("岳阳市建设工程质量安全监督站", [0.0; 8]),
        ("岳阳市绿色建筑产业发展服务中心", [0.0; 8]),
        (
            "岳阳市污水处理监督中心",
            [6.00, 2.47, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        ),
        (
            "岳阳市住房保障服务中心",
            [6.00, 4.13, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        ),
        ("合  计", [19.50, 11.94, 0.0, 0.0, 9.50, 1.11, 0.0, 0.0]),
    ];
    assert_eq!(book.get("三公经费", "A3"), V::T("单位名称".into()));
    assert_eq!(book.get("三公经费", "B3"), V::T("公车运行维护".into()));
    assert_eq!(book.get("三公经费", "B4"), V::T("2023年预算数".into()));
    assert_eq!(book.get("三公经费", "I4"), V::T("2023年决算数".into()));
    for (i, (unit, cells)) in want.iter().enumerate() {
        let r = 5 + i;
        assert_eq!(
            book.get("三公经费", &format!("A{r}")),
            V::T(unit.to_string()),
            "三公经费!A{r}"
        );
        for (k, value) in cells.iter().enumerate() {
            let addr = format!("{}{r}", (b'B' + k as u8) as char);
            let got = book.get("三公经费", &addr);
            assert!(
                close(&got, *value),
                "三公经费!{addr}: expected {value}, got {got}"
            );
        }
    }
}

#[test]
fn project_table_every_row() {
    let (_, book) = run_sample("seed-projects");
    // (unit, project, 万元, remark) — the seed's 24 rows.
    let want: [(&str, &str, f64, &str); 24] = [
        (
            "岳阳市住房和城乡建设局本级",
            "城乡建设事务管理经费",
            419.77,
            "",
        ),
        ("岳阳市住房和城乡建设局本级", "施工图审查经费", 299.77, ""),
        (
            "岳阳市住房和城乡建设局本级",
            "可再生能源、绿色建筑产业发展配套资金",
            29.58,
            "",
        ),
        (
            "岳阳市住房和城乡建设局本级",
            "采石场及砂石公司专项补助",
            12.60,
            "",
        ),
        (
            "岳阳市住房和城乡建设局本级",
            "防范化解房地产项目风险工作经费",
            21.04,
            "",
        ),
        (
            "岳阳市住房和城乡建设局本级",
            "居民自建房安全专项整治工作经费",
            467.17,
            "",
        ),
        (
            "岳阳市住房和城乡建设局本级",
            "城市管网及污水处理补助资金",
            1629.28,
            "",
        ),
        (
            "岳阳市住房和城乡建设局本级",
            "住房城乡建设引导专项资金",
            95.06,
            "",
        ),
        (
            "岳阳市住房和城乡建设局本级",
            "四中人行天桥EPC建设项目",
            5.64,
            "",
        ),
        (
            "岳阳市住房和城乡建设局本级",
            "历史文化名城保护经费",
            68.43,
            "",
        ),
        ("岳阳市城市建设档案馆", "建设档案事务管理经费", 89.86, ""),
        ("岳阳市城市建设档案馆", "城市管网及污水处理补助", 440.08, ""),
        (
            "岳阳市城市建设档案馆",
            "地下管线平台运行维护经费",
            61.28,
            "",
        ),
        ("岳阳市城乡建设事务中心", "城乡建设事务管理经费", 143.59, ""),
        ("岳阳市城乡建设事务中心", "2022年非税收入结转", 42.18, ""),
        (
            "岳阳市城乡建设事务中心",
            "财政补助（城市管网及污水补助资金）",
            783.97,
            "",
        ),
        ("岳阳市污水处理监督中心", "污水处理事务经费", 128.55, ""),
        (
            "岳阳市污水处理监督中心",
            "城市管网及污水处理补助（污水处理监督系统）",
            146.69,
            "",
        ),
        ("岳阳市住房保障服务中心", "保障房建设资金", 1500.00, ""),
        ("岳阳市住房保障服务中心", "老旧小区配套改造", 32.81, ""),
        (
            "岳阳市住房保障服务中心",
            "工作经费及其他资金",
            66.33,
            "未包括其他资金支出11.76万元",
        ),
        ("岳阳市住房保障服务中心", "业务工作经费", 146.86, ""),
        ("岳阳市住房保障服务中心", "运行维护经费", 116.29, ""),
        ("岳阳市建设工程质量安全监督站", "业务工作经费", 41.64, ""),
    ];
    let rows: Vec<Vec<V>> = book.rows("项目支出").into_iter().skip(3).collect();
    assert_eq!(rows.len(), want.len() + 1, "24 project rows and the total");
    for (unit, project, amount, remark) in want {
        let row = rows
            .iter()
            .find(|r| r[0] == V::T(unit.into()) && r[1] == V::T(project.into()))
            .unwrap_or_else(|| panic!("项目支出: no row {unit} / {project}"));
        assert!(
            close(&row[2], amount),
            "项目支出 {unit}/{project}: expected {amount}, got {}",
            row[2]
        );
        let got_remark = match &row[3] {
            V::T(s) => s.clone(),
            _ => String::new(),
        };
        assert_eq!(got_remark, remark, "项目支出 {unit}/{project} 备注");
    }
    let total = rows.last().unwrap();
    assert_eq!(total[0], V::T("合   计".into()));
    assert!(
        close(&total[2], 6788.47),
        "项目支出 total: got {}",
        total[2]
    );
    // Units in config order: the seed lists 质安站 last; SPEC §7 says config order (docs/decisions.md).
    assert_eq!(rows[0][0], V::T("岳阳市住房和城乡建设局本级".into()));
}

#[test]
fn scoring_table_every_cell() {
    let (_, book) = run_sample("seed-scores");
    assert_eq!(book.get("绩效评分", "C3"), V::T("预算执行（10分）".into()));
    assert_eq!(book.get("绩效评分", "D3"), V::T("产出指标（50分）".into()));
    assert_eq!(book.get("绩效评分", "E3"), V::T("效益指标（30分）".into()));
    assert_eq!(
        book.get("绩效评分", "F3"),
        V::T("满意度指标（10分）".into())
    );
    let want: [(&str, [f64; 5]); 9] = [
        (
            "岳阳市住房和城乡建设局本级",
            [6.95, 50.0, 29.0, 10.0, 95.95],
        ),
        ("岳阳市城市建设档案馆", [7.39, 47.55, 30.0, 10.0, 94.94]),
        ("岳阳市城乡建设事务中心", [4.13, 50.0, 26.0, 10.0, 90.13]),
        ("岳阳市房地产交易中心", [9.69, 50.0, 27.21, 10.0, 96.90]),
        ("岳阳市房地产市场服务中心", [7.73, 50.0, 30.0, 10.0, 97.73]),
        (
            "岳阳市建设工程质量安全监督站",
            [9.42, 50.0, 30.0, 10.0, 99.42],
        ),
        (
            "岳阳市绿色建筑产业发展服务中心",
            [9.2, 50.0, 30.0, 10.0, 99.2],
        ),
        ("岳阳市污水处理监督中心", [6.77, 50.0, 28.0, 10.0, 94.77]),
        ("岳阳市住房保障服务中心", [9.94, 49.0, 29.0, 10.0, 97.94]),
    ];
    for (i, (unit, cells)) in want.iter().enumerate() {
        let r = 4 + i;
        assert_eq!(
            book.get("绩效评分", &format!("A{r}")),
            n((i + 1) as f64),
            "绩效评分!A{r}"
        );
        assert_eq!(
            book.get("绩效评分", &format!("B{r}")),
            V::T(unit.to_string()),
            "绩效评分!B{r}"
        );
        for (k, value) in cells.iter().enumerate() {
            let addr = format!("{}{r}", (b'C' + k as u8) as char);
            let got = book.get("绩效评分", &addr);
            assert!(
                close(&got, *value),
                "绩效评分!{addr}: expected {value}, got {got}"
            );
        }
    }
    assert_eq!(book.get("绩效评分", "A13"), V::T("部门加权平均分".into()));
    for (addr, value) in [
        ("C13", 7.9),
        ("D13", 49.6),
        ("E13", 28.8),
        ("F13", 10.0),
        ("G13", 96.3),
    ] {
        let got = book.get("绩效评分", addr);
        assert!(
            close(&got, value),
            "绩效评分!{addr}: expected {value}, got {got}"
        );
    }
    assert_eq!(book.get("绩效评分", "A14"), V::T("评价等级".into()));
    assert_eq!(book.get("绩效评分", "G14"), V::T("优秀".into()));
}

#[test]
fn every_sheet_has_its_title_and_unit_note() {
    let (_, book) = run_sample("seed-layout");
    for (sheet, title, in_wan) in [
        ("支出概况", "2023年度部门整体支出情况表", true),
        ("三公经费", "2023年度“三公”经费支出明细表", true),
        ("项目支出", "2023年度项目支出明细表", true),
        ("绩效评分", "2023年度部门整体支出绩效自评评分表", false),
        ("单位执行", "2023年度单位预算执行情况表", true),
        ("指标得分", "2023年度绩效指标自评得分表", false),
        ("执行进度", "2023年度预算执行进度表", true),
    ] {
        assert_eq!(book.get(sheet, "A1"), V::T(title.into()), "{sheet}!A1");
        let row2: Vec<V> = book.rows(sheet)[1].clone();
        assert_eq!(
            row2.contains(&V::T("单位：万元".into())),
            in_wan,
            "{sheet} row 2"
        );
    }
    // 指标得分 keeps targets as typed.
    let rows = book.rows("指标得分");
    assert!(
        rows.iter()
            .any(|r| r[6] == V::T("≥2201套".into()) && r[7] == V::T("1981套".into()))
    );
}

#[test]
fn unit_execution_progress_and_indicator_scores_worked_out_by_hand() {
    // 单位执行, 指标得分 and 执行进度 are not in the seed; their cells are worked out from the
    // sample's ledgers by `fixtures/yueyang-2023/unit_sheets_by_hand.py` (not by jixiao), so
    // these sheets are checked by more than the golden workbook (the program's own output).
    let (_w, book) = run_sample("seed-unit-sheets");
    let bad = check_expected_cells(
        &book,
        &root().join("fixtures/yueyang-2023/expected_unit_sheets.txt"),
    );
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
