//! In the year, not after it (issue 9): with January–June only, every title says 截至, the
//! progress table runs to June, each unit has a projected year-end rate and what each
//! remaining month must spend, and the units projected below 80% are findings. The full year
//! is unchanged and says nothing of 截至.

mod common;
use common::*;

const REPORT: &str = "2023年度岳阳市住房和城乡建设局部门整体支出绩效自评表.xlsx";

/// The sample with only the monthly ledgers of `months` (1-based).
fn sample_months(w: &Workdir, months: &[u32]) {
    copy_dir(&root().join("input"), &w.path("in"));
    for m in 1..=12 {
        if months.contains(&m) {
            continue;
        }
        for ext in ["xlsx", "csv"] {
            let _ =
                std::fs::remove_file(w.path(&format!("in/支付明细/2023年{m:02}月支付明细.{ext}")));
        }
    }
}

/// The rows of `sheet` whose first cell is `first`.
fn rows_of(book: &Book, sheet: &str, first: &str) -> Vec<Vec<V>> {
    book.rows(sheet)
        .into_iter()
        .filter(|r| r.first() == Some(&V::T(first.into())))
        .collect()
}

fn num(v: &V) -> f64 {
    match v {
        V::N(x) => *x,
        other => panic!("not a number: {other}"),
    }
}

#[test]
fn january_to_june_is_a_mid_year_view() {
    let w = Workdir::new("midyear-jan-jun");
    sample_months(&w, &[1, 2, 3, 4, 5, 6]);
    let run = w.run(&["run", "--input", "in", "--output", "out"]);
    run.expect_code(0);
    assert_eq!(
        run.stderr()
            .matches("数据截至2023年6月30日，不是全年")
            .count(),
        1,
        "{}",
        run.describe()
    );
    let book = Book::open(&w.path(&format!("out/{REPORT}")));
    for (sheet, cells) in &book.sheets {
        let title = cells
            .get(&(0, 0))
            .map(|v| v.to_string())
            .unwrap_or_default();
        assert!(
            title.ends_with("（截至2023年6月30日）"),
            "{sheet}: title “{title}”"
        );
    }
    assert!(
        book.rows("支出概况").iter().flatten().any(|v| v
            .to_string()
            .starts_with("注：本表为截至2023年6月30日的累计执行数")),
        "支出概况 says it is a partial year"
    );
    assert_eq!(
        book.get("绩效评分", "C3"),
        V::T("预算执行（10分，按截至6月30日执行数）".into())
    );
    // 执行进度 runs to June and no further.
    let unit = "岳阳市住房和城乡建设局本级";
    let months: Vec<String> = rows_of(&book, "执行进度", unit)
        .iter()
        .filter_map(|r| match &r[1] {
            V::T(m) if m.ends_with('月') => Some(m.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(months, ["1月", "2月", "3月", "4月", "5月", "6月"]);

    // Projections, computed by hand from the block's budget and actual (万元):
    //   本级     7134.92, 2211.01 → rate 30.99%, year-end 30.99% ÷ 50% = 61.98%,
    //            (7134.92 − 2211.01) ÷ 6 = 820.65 a month to spend it all,
    //            (0.8 × 7134.92 − 2211.01) ÷ 6 = 582.82 a month to reach 80%;
    //   档案馆   1450.32, 437.38 → 30.16%, 60.32%, 168.82, 120.48.
    let hand = [
        (unit, 7134.92, 2211.01, 0.6198, 820.65, 582.82),
        (
            "岳阳市城市建设档案馆",
            1450.32,
            437.38,
            0.6032,
            168.82,
            120.48,
        ),
    ];
    for (name, budget, actual, projected, all, eighty) in hand {
        let block: Vec<Vec<V>> = rows_of(&book, "执行进度", name)
            .into_iter()
            .filter(|r| !matches!(&r[1], V::T(m) if m.ends_with('月')))
            .collect();
        assert_eq!(block.len(), 1, "{name}: one row at the as-of date");
        let r = &block[0];
        let close = |got: f64, want: f64, what: &str| {
            assert!((got - want).abs() < 0.006, "{name} {what}: {got} ≠ {want}");
        };
        close(num(&r[1]), budget, "预算数");
        close(num(&r[2]), actual, "累计实际支出");
        close(num(&r[4]), 0.5, "序时进度");
        close(num(&r[5]), projected, "预计全年执行率");
        close(num(&r[6]), all, "全年执行完毕每月需支出");
        close(num(&r[7]), eighty, "达到80%每月需支出");
    }

    // The audit's findings: units whose pace leads below 80%, not the calendar's low rates.
    let audit = Book::open(&w.path("out/2023年度核对底稿.xlsx"));
    let findings: Vec<String> = audit
        .rows("问题提示")
        .iter()
        .map(|r| {
            r.iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .collect();
    let projected_low = |u: &str| {
        findings
            .iter()
            .any(|f| f.contains("预计全年执行率低于阈值") && f.contains(u))
    };
    assert!(projected_low(unit), "{findings:#?}");
    assert!(projected_low("岳阳市城市建设档案馆"));
    assert!(
        !projected_low("岳阳市住房保障服务中心"),
        "108.99% at this pace"
    );
    assert!(!findings.iter().any(|f| f.contains("预算执行率低于80%")));
}

#[test]
fn a_month_without_payments_is_a_month_without_spending() {
    let w = Workdir::new("midyear-missing-month");
    sample_months(&w, &[1, 2, 4, 5, 6]);
    let run = w.run(&["run", "--input", "in", "--output", "out"]);
    run.expect_code(0);
    let book = Book::open(&w.path(&format!("out/{REPORT}")));
    let dept = rows_of(&book, "执行进度", "部门合计");
    let months: Vec<String> = dept.iter().map(|r| r[1].to_string()).collect();
    assert_eq!(months[..6], ["1月", "2月", "3月", "4月", "5月", "6月"]);
    assert_eq!(
        dept[2][3], dept[1][3],
        "March adds nothing to the cumulative"
    );
}

#[test]
fn a_configured_as_of_date_refuses_later_payments() {
    let w = Workdir::new("midyear-as-of");
    copy_dir(&root().join("input"), &w.path("in"));
    let cfg = std::fs::read_to_string(w.path("in/jixiao.toml")).unwrap();
    let cfg = cfg.replacen("[report]\n", "[report]\nas_of = \"2023-06-30\"\n", 1);
    std::fs::write(w.path("in/jixiao.toml"), cfg).unwrap();
    let run = w.run(&["run", "--input", "in", "--output", "out"]);
    run.expect_code(1);
    assert!(
        run.stderr()
            .contains("晚于配置的截至日期 2023-06-30（report.as_of）"),
        "{}",
        run.describe()
    );
}

#[test]
fn the_full_year_has_its_charts_and_says_nothing_of_as_of() {
    let w = Workdir::new("midyear-full-year");
    let input = root().join("input");
    let run = w.run(&["run", "--input", input.to_str().unwrap(), "--output", "out"]);
    run.expect_code(0);
    assert!(!run.stderr().contains("截至"), "{}", run.describe());
    let path = w.path(&format!("out/{REPORT}"));
    let book = Book::open(&path);
    for (sheet, cells) in &book.sheets {
        for (at, v) in cells {
            assert!(!v.to_string().contains("截至"), "{sheet} {at:?}: {v}");
        }
    }
    // Two charts on 执行进度: the department's line and the units' columns.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let charts: Vec<String> = (0..zip.len())
        .map(|i| zip.by_index(i).unwrap().name().unwrap().to_string())
        .filter(|n| n.starts_with("xl/charts/chart"))
        .collect();
    assert_eq!(charts.len(), 2, "{charts:?}");
    let mut xml = String::new();
    for n in &charts {
        use std::io::Read;
        zip.by_name(n).unwrap().read_to_string(&mut xml).unwrap();
    }
    assert!(xml.contains("<c:lineChart>") && xml.contains("<c:barChart>"));
    assert!(xml.contains("宋体"));
}
