//! Writes the benchmark year of SPEC §9: 12 monthly payment ledgers of 100,000 rows each,
//! 60 units, 3,000 projects, a budget ledger, the config — and `expected.txt`, the figures
//! F1–F14 in cents from a slow reference computation over the generated rows (a plain sum
//! with the definitions re-stated here, independent of jixiao's code).
//!
//! `cargo run --release --example gen_bench -- DIR [ROWS_PER_MONTH] [standard|yitihua|minimal]
//! [UNITS] [PROJECTS_PER_UNIT] [DEPARTMENT]` (defaults: 100,000, standard, 60, 50, 基准局; the
//! batch benchmark writes departments of other sizes and names).
//!
//! With `yitihua`, the payment ledgers take the layout of a real 一体化 export (15 columns:
//! two dates, the economic class as code and name apart, the government class, a purpose of
//! some 25 characters per row, the amount twice — one row in five as text with thousands
//! separators —, the 指标文号 and 指标类型; basic rows carry their 人员类/运转类 project): the
//! same figures, more cells per row that jixiao reads past. With `minimal`, only the seven
//! columns that decide a figure (no voucher, no memo): fewer cells per row, so jixiao's own
//! work per row weighs the most.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};
use std::fmt::Write as _;
use std::path::PathBuf;

/// Units, projects per unit and the department's name: set once from the command line.
static SHAPE: std::sync::OnceLock<(usize, usize, String)> = std::sync::OnceLock::new();

fn units() -> usize {
    SHAPE.get().map_or(60, |s| s.0)
}

fn projects_per_unit() -> usize {
    SHAPE.get().map_or(50, |s| s.1)
}

fn department() -> &'static str {
    SHAPE.get().map_or("基准局", |s| s.2.as_str())
}
const ECON: &[&str] = &[
    "30101 基本工资",
    "30102 津贴补贴",
    "30201 办公费",
    "30211 差旅费",
    "30217 公务接待费",
    "30231 公务用车运行维护费",
    "30227 委托业务费",
    "31005 基础设施建设",
    "30302 退休费",
    "31013 公务用车购置",
];
const FUNDS: &[&str] = &[
    "一般公共预算",
    "一般公共预算",
    "一般公共预算",
    "单位资金",
    "政府性基金",
];

struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

fn unit_name(u: usize) -> String {
    format!("基准局第{:02}单位", u + 1)
}

fn project_name(u: usize, p: usize) -> String {
    format!("第{:02}单位专项{:02}", u + 1, p + 1)
}

/// The slow reference: sums by the SPEC §5 definitions, one row at a time.
#[derive(Default)]
struct Reference {
    f: [i64; 14],
}

impl Reference {
    fn add(
        &mut self,
        budget: bool,
        initial: bool,
        econ: &str,
        fund: &str,
        project: bool,
        cents: i64,
    ) {
        let general = fund == "一般公共预算";
        let other = fund == "单位资金";
        let code = &econ[..5];
        let personnel = code.starts_with("301") || code.starts_with("303");
        let public = code.starts_with("302") || code.starts_with("310");
        let sangong = ["30231", "31013", "30913", "30217", "30212"].contains(&code);
        let basic = !project;
        let mut add = |i: usize, yes: bool| {
            if yes {
                self.f[i] += cents;
            }
        };
        if budget {
            add(3, general && sangong);
            add(5, initial && general && project);
            add(6, general && project);
            add(8, true);
        } else {
            add(0, general && basic);
            add(1, general && basic && personnel);
            add(2, general && basic && public);
            add(4, general && sangong);
            add(7, general && project);
            add(9, true);
            add(10, basic);
            add(11, other && basic);
            add(12, project);
            add(13, other && project);
        }
    }
}

/// One payment row's random values (the same draws in every layout).
struct Draw {
    u: usize,
    project: bool,
    p: usize,
    econ: &'static str,
    fund: &'static str,
    cents: i64,
    day: u32,
}

impl Draw {
    fn new(rng: &mut Lcg) -> Draw {
        // Fields are evaluated in the order written: the draws' order is the generator's.
        Draw {
            u: (rng.next() % units() as u64) as usize,
            project: !rng.next().is_multiple_of(3),
            p: (rng.next() % projects_per_unit() as u64) as usize,
            econ: ECON[(rng.next() % ECON.len() as u64) as usize],
            fund: FUNDS[(rng.next() % FUNDS.len() as u64) as usize],
            cents: (rng.next() % 5_000_000) as i64 + 1,
            day: (rng.next() % 28) as u32 + 1,
        }
    }
}

/// The payment rows of one month in the layout of a real 一体化 export (see the module doc);
/// returns their total in cents.
fn yitihua_rows(
    ws: &mut rust_xlsxwriter::Worksheet,
    month: u32,
    rows: usize,
    rng: &mut Lcg,
    voucher: &mut u64,
    reference: &mut Reference,
) -> i64 {
    ws.write(1, 0, format!("编制单位：{}", department()))
        .unwrap();
    ws.write(1, 10, "单位：元").unwrap();
    let headers = [
        "实际支付日期",
        "凭证日期",
        "支付凭证号",
        "预算单位名称",
        "预算项目",
        "项目类别",
        "部门支出经济分类代码",
        "部门支出经济分类名称",
        "政府支出经济分类",
        "资金性质名称",
        "资金用途",
        "实际支付金额（元）",
        "支付金额（元）",
        "指标文号",
        "指标类型",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write(2, c as u16, *h).unwrap();
    }
    let mut total = 0i64;
    for i in 0..rows {
        let r = 3 + i as u32;
        *voucher += 1;
        let Draw {
            u,
            project,
            p,
            econ,
            fund,
            cents,
            day,
        } = Draw::new(rng);
        let (code, name) = econ.split_at(5);
        let personnel = code.starts_with("301") || code.starts_with("303");
        let date = format!("2023-{month:02}-{day:02}");
        ws.write(r, 0, &date).unwrap();
        ws.write(r, 1, &date).unwrap();
        ws.write(r, 2, format!("ZF{:09}", *voucher)).unwrap();
        ws.write(
            r,
            3,
            if i % 4 == 0 {
                format!("9{:05}-{}", u + 1, unit_name(u))
            } else {
                unit_name(u)
            },
        )
        .unwrap();
        let (project_name, class) = if project {
            (project_name(u, p), "特定目标类项目")
        } else if personnel {
            ("人员类项目（工资福利）".to_string(), "人员类项目")
        } else {
            ("运转类项目（日常公用）".to_string(), "运转类项目")
        };
        ws.write(r, 4, project_name).unwrap();
        ws.write(r, 5, class).unwrap();
        ws.write(r, 6, code).unwrap();
        ws.write(r, 7, name.trim()).unwrap();
        ws.write(r, 8, "50502 商品和服务支出").unwrap();
        ws.write(r, 9, fund).unwrap();
        // What real exports carry here: a sentence per payment (~25 characters).
        ws.write(
            r,
            10,
            format!("支付{}{month}月{}", unit_name(u), name.trim()),
        )
        .unwrap();
        for c in [11, 12] {
            if i % 5 == 0 {
                ws.write(r, c, thousands(cents)).unwrap();
            } else {
                ws.write(r, c, cents as f64 / 100.0).unwrap();
            }
        }
        ws.write(r, 13, format!("基财预〔2023〕{}号", u % 40 + 1))
            .unwrap();
        ws.write(r, 14, "正常指标").unwrap();
        total += cents;
        reference.add(false, false, econ, fund, project, cents);
    }
    total
}

/// 4720943 cents → `47,209.43`.
fn thousands(cents: i64) -> String {
    let whole = (cents / 100).to_string();
    let mut out = String::new();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    format!("{out}.{:02}", cents % 100)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "target/bench-year".into()));
    let rows: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let layout = args.next().unwrap_or_default();
    let (yitihua, minimal) = (layout == "yitihua", layout == "minimal");
    assert!(
        ["", "standard", "yitihua", "minimal"].contains(&layout.as_str()),
        "unknown layout {layout}"
    );
    let n_units: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(60);
    let projects: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(50);
    let name = args.next().unwrap_or_else(|| "基准局".into());
    SHAPE
        .set((n_units.max(1), projects.max(1), name))
        .expect("set once");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut reference = Reference::default();
    let mut rng = Lcg(9);
    let props =
        DocProperties::new().set_creation_datetime(&ExcelDateTime::from_ymd(2024, 1, 1).unwrap());

    let mut config = format!("[report]\ndepartment = \"{}\"\nyear = 2023\n", department());
    for u in 0..units() {
        let _ = write!(
            config,
            "\n[[unit]]\nname = \"{}\"\ncode = \"9{:05}\"\n",
            unit_name(u),
            u + 1
        );
    }
    std::fs::write(dir.join("jixiao.toml"), config).unwrap();

    let mut voucher = 0u64;
    for month in 1..=12u32 {
        let mut wb = Workbook::new();
        wb.set_properties(&props);
        let ws = wb.add_worksheet();
        ws.write(0, 0, format!("{}2023年{month:02}月支付明细", department()))
            .unwrap();
        if yitihua {
            let total = yitihua_rows(ws, month, rows, &mut rng, &mut voucher, &mut reference);
            let r = 3 + rows as u32;
            ws.write(r, 0, "合计").unwrap();
            ws.write(r, 11, total as f64 / 100.0).unwrap();
            ws.write(r, 12, total as f64 / 100.0).unwrap();
        } else {
            let headers: Vec<&str> = [
                "支付日期",
                "支付凭证号",
                "预算单位",
                "项目名称",
                "支出类型",
                "经济分类",
                "资金性质",
                "摘要",
                "支付金额",
            ]
            .into_iter()
            .filter(|h| !minimal || !["支付凭证号", "摘要"].contains(h))
            .collect();
            let col = |name: &str| headers.iter().position(|h| *h == name).map(|c| c as u16);
            let amount = col("支付金额").unwrap();
            ws.write(1, amount, "单位：元").unwrap();
            for (c, h) in headers.iter().enumerate() {
                ws.write(2, c as u16, *h).unwrap();
            }
            let mut total = 0i64;
            for i in 0..rows {
                let r = 3 + i as u32;
                voucher += 1;
                let Draw {
                    u,
                    project,
                    p,
                    econ,
                    fund,
                    cents,
                    day,
                } = Draw::new(&mut rng);
                let mut put = |name: &str, v: &str| {
                    if let Some(c) = col(name) {
                        ws.write(r, c, v).unwrap();
                    }
                };
                put("支付日期", &format!("2023-{month:02}-{day:02}"));
                put("支付凭证号", &format!("ZF{voucher:09}"));
                put(
                    "预算单位",
                    &if i % 4 == 0 {
                        format!("9{:05}-{}", u + 1, unit_name(u))
                    } else {
                        unit_name(u)
                    },
                );
                if project {
                    put("项目名称", &project_name(u, p));
                }
                put(
                    "支出类型",
                    if project {
                        "项目支出"
                    } else {
                        "基本支出"
                    },
                );
                put("经济分类", econ);
                put("资金性质", fund);
                put("摘要", "日常支付");
                ws.write(r, amount, cents as f64 / 100.0).unwrap();
                total += cents;
                reference.add(false, false, econ, fund, project, cents);
            }
            let r = 3 + rows as u32;
            ws.write(r, 0, "合计").unwrap();
            ws.write(r, amount, total as f64 / 100.0).unwrap();
        }
        wb.save(dir.join(format!("2023年{month:02}月支付明细.xlsx")))
            .unwrap();
        eprintln!("month {month} written");
    }

    let mut wb = Workbook::new();
    wb.set_properties(&props);
    let ws = wb.add_worksheet();
    for (c, h) in [
        "预算单位",
        "项目名称",
        "支出类型",
        "经济分类",
        "资金性质",
        "指标类型",
        "指标金额",
    ]
    .iter()
    .enumerate()
    {
        ws.write(0, c as u16, *h).unwrap();
    }
    let mut r = 1u32;
    for u in 0..units() {
        let mut line = |project: Option<usize>, econ: &str, fund: &str, kind: &str, cents: i64| {
            ws.write(r, 0, unit_name(u)).unwrap();
            if let Some(p) = project {
                ws.write(r, 1, project_name(u, p)).unwrap();
            }
            ws.write(
                r,
                2,
                if project.is_some() {
                    "项目支出"
                } else {
                    "基本支出"
                },
            )
            .unwrap();
            ws.write(r, 3, econ).unwrap();
            ws.write(r, 4, fund).unwrap();
            ws.write(r, 5, kind).unwrap();
            ws.write(r, 6, cents as f64 / 100.0).unwrap();
            r += 1;
            let signed = if kind == "调减" { -cents } else { cents };
            reference.add(
                true,
                kind == "年初预算",
                econ,
                fund,
                project.is_some(),
                signed,
            );
        };
        for (k, econ) in ECON.iter().enumerate() {
            for fund in ["一般公共预算", "单位资金", "政府性基金"] {
                line(None, econ, fund, "年初预算", 20_000_000 + k as i64 * 1_000);
            }
        }
        for p in 0..projects_per_unit() {
            line(
                Some(p),
                "30227 委托业务费",
                "一般公共预算",
                "年初预算",
                30_000_000,
            );
            line(
                Some(p),
                "30227 委托业务费",
                "一般公共预算",
                "追加",
                5_000_000,
            );
            line(
                Some(p),
                "30227 委托业务费",
                "一般公共预算",
                "调减",
                1_000_000,
            );
            line(
                Some(p),
                "30227 委托业务费",
                "单位资金",
                "上年结转",
                2_000_000,
            );
            line(
                Some(p),
                "30227 委托业务费",
                "政府性基金",
                "年初预算",
                3_000_000,
            );
        }
    }
    wb.save(dir.join("2023年度预算指标.xlsx")).unwrap();

    let mut expected = String::new();
    for (i, v) in reference.f.iter().enumerate() {
        let _ = writeln!(expected, "F{} {v}", i + 1);
    }
    std::fs::create_dir_all(dir.join("..")).ok();
    std::fs::write(dir.with_extension("expected.txt"), expected).unwrap();
    eprintln!("wrote {} payment rows to {}", rows * 12, dir.display());
}
