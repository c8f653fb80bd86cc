//! Property tests on generated ledgers and on the value parsers.

mod common;
use calamine::Data;
use jixiao::config::Config;
use jixiao::stages::normalise::{
    AmountUnit, header_name, parse_date, parse_econ, parse_fund, parse_indicator_number,
    parse_money, split_code, title_unit,
};
use proptest::prelude::*;
use std::path::Path;

/// Cents as the ledgers type them: plain, with thousands separators, in parentheses.
fn yuan_text(c: i64, style: u8) -> String {
    let neg = c < 0;
    let a = c.unsigned_abs();
    let int = (a / 100).to_string();
    let grouped = if style % 2 == 1 {
        let mut g = String::new();
        for (i, ch) in int.chars().enumerate() {
            if i > 0 && (int.len() - i).is_multiple_of(3) {
                g.push(',');
            }
            g.push(ch);
        }
        g
    } else {
        int
    };
    let body = format!("{grouped}.{:02}", a % 100);
    match (neg, style / 2 % 3) {
        (false, 1) => format!("¥{body}"),
        (false, _) => body,
        (true, 0) => format!("-{body}"),
        (true, 1) => format!("（{body}）"),
        (true, _) => format!("－{body}"),
    }
}

proptest! {
    #[test]
    fn money_text_round_trips(c in -1_000_000_000_000i64..1_000_000_000_000i64, style in 0u8..6) {
        let text = yuan_text(c, style);
        let (got, warn) = parse_money(&Data::String(text.clone()), AmountUnit::Yuan).unwrap();
        prop_assert_eq!(got, c, "{}", text);
        prop_assert!(warn.is_none());
    }

    #[test]
    fn money_numbers_round_trip(c in -100_000_000_000i64..100_000_000_000i64) {
        let (got, _) = parse_money(&Data::Float(c as f64 / 100.0), AmountUnit::Yuan).unwrap();
        prop_assert_eq!(got, c);
        let (got, _) = parse_money(&Data::Float(c as f64 / 1_000_000.0), AmountUnit::Wan).unwrap();
        prop_assert_eq!(got, c);
    }

    #[test]
    fn no_string_makes_a_parser_panic(s in "\\PC{0,40}") {
        let d = Data::String(s.clone());
        let _ = parse_money(&d, AmountUnit::Yuan);
        let _ = parse_money(&d, AmountUnit::Wan);
        let _ = parse_date(&d);
        let _ = parse_econ(&d);
        let _ = parse_fund(&s);
        let _ = parse_indicator_number(&s);
        let _ = split_code(&s);
        let _ = header_name(&s);
        let _ = title_unit(&s);
    }

    #[test]
    fn no_number_makes_a_parser_panic(x in proptest::num::f64::ANY) {
        let d = Data::Float(x);
        let _ = parse_money(&d, AmountUnit::Yuan);
        let _ = parse_money(&d, AmountUnit::Wan);
        let _ = parse_date(&d);
        let _ = parse_econ(&d);
    }
}

const CONFIG: &str = r#"[report]
department = "生成局"
year = 2023

[[unit]]
name = "生成局本级"
code = "900001"
aliases = ["本级"]
projects = ["甲项目", "乙项目"]

[[unit]]
name = "生成局一中心"
projects = ["丙项目"]
"#;

/// One generated payment row: (unit, project, econ, fund, cents, readable?).
type Row = (usize, usize, usize, usize, i64, bool);

fn row() -> impl Strategy<Value = Row> {
    (
        0usize..2,
        0usize..4,
        0usize..4,
        0usize..3,
        -5_000_000i64..50_000_000,
        prop::bool::weighted(0.9),
    )
}

fn ledger_csv(rows: &[(usize, Row)]) -> String {
    let units = [
        ["生成局本级", "900001-生成局本级", "本级"],
        ["生成局一中心", "生成局一中心", "生成局 一中心"],
    ];
    let projects = [["甲项目", "乙项目", "", "基本支出"], ["丙项目", "", "", ""]];
    let econs = [
        "30101 基本工资",
        "30201 办公费",
        "30217 公务接待费",
        "30227 委托业务费",
    ];
    let funds = ["一般公共预算", "单位资金", "政府性基金"];
    let mut s = String::from("支付日期,支付凭证号,单位名称,项目名称,经济分类,资金性质,支付金额\n");
    for (i, (u, p, e, f, c, ok)) in rows {
        let amount = if *ok {
            format!("\"{}\"", yuan_text(*c, (*i % 6) as u8))
        } else {
            "坏数".to_string()
        };
        s.push_str(&format!(
            "2023-{:02}-{:02},V{i:06},{},{},{},{},{amount}\n",
            i % 12 + 1,
            i % 28 + 1,
            units[*u][i % 3],
            projects[*u][*p],
            econs[*e],
            funds[*f]
        ));
    }
    s
}

const BUDGET: &str = "单位名称,项目名称,经济分类,资金性质,指标类型,指标金额\n生成局本级,,30101,一般公共预算,年初预算,100000\n生成局一中心,,30101,一般公共预算,年初预算,100000\n";

fn write_folder(dir: &Path, files: &[(String, String)]) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("jixiao.toml"), CONFIG).unwrap();
    std::fs::write(dir.join("预算.csv"), BUDGET).unwrap();
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
}

fn run(dir: &Path) -> (jixiao::pipeline::Outcome, Vec<u8>) {
    let cfg = Config::load(&dir.join("jixiao.toml")).unwrap();
    let o = jixiao::pipeline::run(dir, &dir.join("jixiao.toml"), &cfg).unwrap();
    let tables = o.report.as_ref().unwrap().tables.clone();
    let bytes = jixiao::render::report::report_bytes(2023, "生成局", &tables).unwrap();
    (o, bytes)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn generated_ledgers_reconcile_and_ignore_row_and_file_order(
        rows in prop::collection::vec(row(), 1..60),
        files in 1usize..4,
        seed in any::<u64>(),
    ) {
        let numbered: Vec<(usize, Row)> = rows.into_iter().enumerate().collect();
        let split = |rows: &[(usize, Row)], prefix: &str| -> Vec<(String, String)> {
            (0..files)
                .map(|f| {
                    let part: Vec<(usize, Row)> = rows.iter().filter(|(i, _)| i % files == f).cloned().collect();
                    (format!("{prefix}{f}.csv"), ledger_csv(&part))
                })
                .collect()
        };
        let base = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("jixiao-props");
        let a = base.join(format!("a{seed}"));
        write_folder(&a, &split(&numbered, "支出"));
        let (oa, report_a) = run(&a);

        // Input sum = used + rejected, per file and in all; both figure paths agree.
        for c in &oa.checks {
            prop_assert!(c.ok(), "{} {}: {} != {}", c.category, c.object, c.left, c.right);
        }
        // The aggregate equals a naive sum of the readable rows.
        let naive: i64 = numbered.iter().filter(|(_, r)| r.5).map(|(_, r)| r.4).sum();
        let f10 = jixiao::figures::FIGURES[9].from_aggregates(&Config::parse(CONFIG).unwrap().classification, oa.agg.as_ref().unwrap());
        prop_assert_eq!(f10, naive);
        let bad = numbered.iter().filter(|(_, r)| !r.5).count();
        prop_assert_eq!(oa.validated.rejected.len(), bad);
        prop_assert_eq!(oa.validated.payments.len(), numbered.len() - bad);

        // Shuffled rows, files renamed and in another order: the same report, byte for byte.
        let mut shuffled = numbered.clone();
        let mut s = seed;
        for i in (1..shuffled.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (s >> 33) as usize % (i + 1));
        }
        let mut renamed = split(&shuffled, "导出");
        renamed.reverse();
        let renamed: Vec<(String, String)> = renamed.into_iter().enumerate().map(|(k, (_, t))| (format!("z{k}-另存.csv"), t)).collect();
        let b = base.join(format!("b{seed}"));
        write_folder(&b, &renamed);
        let (_, report_b) = run(&b);
        prop_assert!(report_a == report_b, "the report changed with row or file order");
        let _ = std::fs::remove_dir_all(&a);
        let _ = std::fs::remove_dir_all(&b);
    }
}
