//! The audit workbook on the bundled sample (SPEC §8): every file and sheet accounted for,
//! every sum reconciled, both computation paths agreeing.

mod common;
use common::*;

#[test]
fn the_sample_audit_reconciles_and_lists_every_sheet() {
    let w = Workdir::new("audit-sample");
    let input = root().join("input");
    w.run(&["run", "--input", input.to_str().unwrap(), "--output", "out"])
        .expect_code(0);
    let book = Book::open(&w.path("out/2023年度核对底稿.xlsx"));
    for sheet in [
        "来源文件",
        "核对",
        "尾差",
        "异常",
        "问题提示",
        "错误与警告",
        "预算明细",
    ] {
        assert!(book.sheets.contains_key(sheet), "no sheet {sheet}");
    }

    // 来源文件: 12 ledgers, the budget and indicator workbooks, and their notes sheets.
    let rows: Vec<Vec<V>> = book.rows("来源文件").into_iter().skip(3).collect();
    let kind = |file: &str, sheet: &str| {
        rows.iter()
            .find(|r| r[0] == V::T(file.into()) && r[1] == V::T(sheet.into()))
            .map(|r| r[2].clone())
            .unwrap_or_else(|| panic!("来源文件 lacks {file} › {sheet}"))
    };
    for m in 1..=12 {
        let (file, sheet) = if m == 5 {
            (
                "支付明细/2023年05月支付明细.csv".to_string(),
                "2023年05月支付明细",
            )
        } else {
            (format!("支付明细/2023年{m:02}月支付明细.xlsx"), "支付明细")
        };
        assert_eq!(kind(&file, sheet), V::T("支出明细".into()));
    }
    assert_eq!(
        kind("预算指标/2023年度预算指标.xlsx", "预算指标"),
        V::T("预算指标".into())
    );
    assert_eq!(
        kind("预算指标/2023年度预算指标.xlsx", "说明"),
        V::T("未识别".into())
    );
    assert_eq!(
        kind("绩效指标/2023年度绩效自评指标.xlsx", "绩效指标"),
        V::T("绩效指标".into())
    );
    assert_eq!(
        kind("绩效指标/2023年度绩效自评指标.xlsx", "填表说明"),
        V::T("未识别".into())
    );
    // Issue 17: the sample's project indicators (SPEC §10) are a sheet of their own.
    assert_eq!(
        kind("绩效指标/2023年度项目支出绩效自评指标.xlsx", "项目绩效指标"),
        V::T("绩效指标".into())
    );
    assert_eq!(rows.len(), 17);
    for r in &rows {
        if r[2] != V::T("未识别".into()) {
            assert_eq!(r[11], V::T("一致".into()), "rows not accounted for: {r:?}");
        }
        if r[2] == V::T("支出明细".into()) {
            assert_eq!(r[15], V::T("一致".into()), "合计 row: {r:?}");
        }
    }

    // 核对: every line agrees; the figures are checked by both paths.
    let checks: Vec<Vec<V>> = book.rows("核对").into_iter().skip(3).collect();
    assert!(
        checks.iter().all(|r| r[5] == V::T("一致".into())),
        "{checks:?}"
    );
    for id in ["F1 ", "F4 ", "F9 ", "F10 ", "F14 "] {
        assert!(
            checks
                .iter()
                .any(|r| matches!(&r[1], V::T(s) if s.starts_with(id))),
            "核对 lacks {id}"
        );
    }
    let all = checks
        .iter()
        .find(|r| r[1] == V::T("全部文件".into()))
        .unwrap();
    // Payments 156,981,800.00 元 (F10, the seed's 15698.18 万元) + the budget rows as typed:
    // 222,626,900.00 元 (worked out from 预算指标 with openpyxl; its five 调减 rows, 25,000.00 in all, are
    // typed positive, so F9 = 222,626,900 − 2 × 25,000 = 222,576,900).
    assert_eq!(all[2], V::N(379_608_700.0), "{all:?}");
    assert_eq!(all[3], V::N(379_608_700.0), "{all:?}");
    let f9 = checks
        .iter()
        .find(|r| matches!(&r[1], V::T(s) if s.starts_with("F9 ")))
        .unwrap();
    assert_eq!(f9[2], V::N(222_576_900.0));

    // Nothing rejected in the sample, and no 尾差.
    assert_eq!(book.rows("异常").len(), 3, "the sample has no rejected row");
    assert_eq!(book.get("尾差", "A4"), V::T("无尾差".into()));

    // 问题提示: units below 80%, indicators below full points, staff above quota.
    let findings: Vec<Vec<V>> = book.rows("问题提示").into_iter().skip(3).collect();
    let count = |k: &str| findings.iter().filter(|r| r[0] == V::T(k.into())).count();
    assert_eq!(count("预算执行率低于80%"), 5);
    assert_eq!(count("指标未得满分"), 8);
    assert_eq!(count("实有人数超编制"), 1);
    assert_eq!(count("“三公”经费超预算"), 0);
}

#[test]
fn rejected_rows_are_listed_with_reason_and_raw_values() {
    let w = Workdir::new("audit-rejected");
    copy_dir(
        &root().join("fixtures/bad/many-errors-at-once/input"),
        &w.path("in"),
    );
    w.run(&["run", "--input", "in", "--output", "out"])
        .expect_code(1);
    let book = Book::open(&w.path("out/2023年度核对底稿.xlsx"));
    let rows: Vec<Vec<V>> = book.rows("异常").into_iter().skip(3).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1][2], V::N(3.0));
    assert!(matches!(&rows[1][4], V::T(s) if s.contains("金额“abc”不是数字")));
    assert!(matches!(&rows[1][6], V::T(s) if s.contains("支付金额=abc")));
    // Input = used + rejected holds with the rejected rows at their parsed values.
    let checks: Vec<Vec<V>> = book.rows("核对").into_iter().skip(3).collect();
    assert!(
        checks.iter().all(|r| r[5] == V::T("一致".into())),
        "{checks:?}"
    );
    // The report was not written; the CSV was.
    assert!(
        !w.path("out/2023年度测试局部门整体支出绩效自评表.xlsx")
            .exists()
    );
    assert!(w.path("out/2023年度支出明细.csv").exists());
}

#[test]
fn the_detail_csv_written_file_by_file_equals_the_one_from_the_finished_validation() {
    // A run writes each file's CSV lines as soon as the file is validated, naming each
    // project as configured for its unit, else as first typed so far. The same bytes must
    // come from the finished validation's per-unit project lists: here with projects typed
    // differently in later files, a configured project used by another unit, and a name
    // that needs quoting.
    let w = Workdir::new("audit-detail-by-file");
    copy_dir(&root().join("input"), &w.path("in"));
    // A configured project spelt otherwise than in the ledgers.
    let toml = std::fs::read_to_string(w.path("in/jixiao.toml")).unwrap();
    let toml = toml.replacen(
        "  \"历史文化名城保护经费\",\n",
        "  \"历史文化名城保护经费\",\n  \"专项 测试经费\",\n",
        1,
    );
    assert!(toml.contains("专项 测试经费"));
    std::fs::write(w.path("in/jixiao.toml"), toml).unwrap();
    let head = "支付日期,支付凭证号,预算单位,项目名称,支出类型,经济分类,资金性质,摘要,支付金额\n";
    std::fs::write(
        w.path("in/支付明细/2023年06月补充.csv"),
        format!(
            "{head}2023-06-15,BC0001,市城建档案馆,城乡建设 事务管理经费,项目支出,30226 劳务费,一般公共预算,补充一,100.00\n\
             2023-06-16,BC0002,市住建局本级,新 项目甲,项目支出,30226 劳务费,一般公共预算,补充二,200.50\n\
             2023-06-17,BC0003,市住建局本级,\"项目,乙\"\"丙\"\"\",项目支出,30226 劳务费,一般公共预算,\"摘要,有逗号\",3.07\n"
        ),
    )
    .unwrap();
    std::fs::write(
        w.path("in/支付明细/2023年11月补充.csv"),
        format!(
            "{head}2023-11-15,BC0004,市住建局本级,新项目甲,项目支出,30226 劳务费,一般公共预算,补充四,10.00\n\
             2023-11-16,BC0005,市城建档案馆,新项目甲,项目支出,30226 劳务费,一般公共预算,补充五,20.00\n\
             2023-11-17,BC0006,市住建局本级,城乡建设事务管理经费 ,项目支出,30226 劳务费,一般公共预算,补充六,30.00\n\
             2023-11-18,BC0007,市城建档案馆, 城乡建设事务管理经费,项目支出,30226 劳务费,一般公共预算,补充七,40.00\n\
             2023-11-19,BC0008,市城建档案馆,专项测试经费,项目支出,30226 劳务费,一般公共预算,补充八,50.00\n\
             2023-11-20,BC0009,市住建局本级,专项测试经费,项目支出,30226 劳务费,一般公共预算,补充九,60.00\n"
        ),
    )
    .unwrap();
    // The added projects have payments and no budget rows: warnings, not errors.
    w.run(&["run", "--input", "in", "--output", "out"])
        .expect_code(0);
    let written = std::fs::read(w.path("out/2023年度支出明细.csv")).unwrap();

    let config = w.path("in/jixiao.toml");
    let cfg = jixiao::config::Config::load(&config).unwrap();
    let read = jixiao::pipeline::read_validate(
        &w.path("in"),
        &config,
        &cfg,
        None,
        &jixiao::pipeline::silent,
    )
    .unwrap();
    let mut whole = Vec::new();
    jixiao::render::audit::write_detail_csv(&cfg, &read.validated, &mut whole).unwrap();
    assert!(written == whole, "the run's detail CSV differs");
    // Both ways a run writes rows: as each file is validated (then freeing their memos), or
    // (once every file has been read) at the end with the run's first-typed names — split
    // after every file.
    let files = read.validated.files.len();
    for split in 0..=files {
        let (mut out, mut seen, mut later) = (Vec::new(), 0, 0..0);
        let mut detail = jixiao::render::audit::DetailCsv::new(&cfg, &mut out).unwrap();
        let read = jixiao::pipeline::read_validate_each(
            &w.path("in"),
            &config,
            &cfg,
            None,
            &jixiao::pipeline::silent,
            &mut |validator, _| {
                let (ledger, rows, display) = validator.last_file();
                seen += 1;
                if seen <= split {
                    let end = rows.end;
                    detail.append(ledger, rows, display, &mut out).unwrap();
                    // As a run does: the memos of the rows written are freed.
                    validator.release_memos(end);
                } else {
                    later = if later.is_empty() {
                        rows
                    } else {
                        later.start..rows.end
                    };
                }
            },
        )
        .unwrap();
        let v = &read.validated;
        detail
            .append(&v.payments, later, &v.first_names, &mut out)
            .unwrap();
        assert!(
            out == whole,
            "the detail CSV differs when split after file {split}"
        );
    }
    let text = String::from_utf8(written).unwrap();
    for line in [
        ",BC0004,",
        ",BC0005,",
        ",BC0006,",
        ",BC0007,",
        "\"项目,乙\"\"丙\"\"\"",
    ] {
        assert!(text.contains(line), "no {line}");
    }
    // The later spellings are shown as first typed; the configured unit keeps its name.
    let line = |voucher: &str| {
        text.lines()
            .find(|l| l.contains(voucher))
            .unwrap()
            .to_string()
    };
    assert!(
        line(",BC0004,").contains(",新 项目甲,"),
        "{}",
        line(",BC0004,")
    );
    assert!(
        line(",BC0005,").contains(",新 项目甲,"),
        "{}",
        line(",BC0005,")
    );
    assert!(
        line(",BC0006,").contains(",城乡建设事务管理经费,"),
        "{}",
        line(",BC0006,")
    );
    assert!(
        line(",BC0008,").contains(",专项测试经费,"),
        "{}",
        line(",BC0008,")
    );
    assert!(
        line(",BC0009,").contains(",专项 测试经费,"),
        "{}",
        line(",BC0009,")
    );
}

#[test]
fn table_cells_keep_their_styles() {
    // Cells are written unformatted and formatted by runs of rows: every cell of a table keeps
    // its border and its number format.
    use calamine::{BorderStyle, Reader};
    let w = Workdir::new("audit-styles");
    let input = root().join("input");
    w.run(&["run", "--input", input.to_str().unwrap(), "--output", "out"])
        .expect_code(0);
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook(w.path("out/2023年度核对底稿.xlsx")).unwrap();
    let values = book.worksheet_range("预算明细").unwrap();
    let styles = book.worksheet_style("预算明细").unwrap();
    let mut rows = 0;
    for r in 0..values.height() as u32 {
        // Data rows: the first column names a source file.
        let is_data = matches!(values.get_value((r, 0)), Some(calamine::Data::String(s)) if s.ends_with(".xlsx") || s.ends_with(".csv"));
        if !is_data {
            continue;
        }
        rows += 1;
        for c in 0..11u32 {
            let s = styles
                .get((r, c))
                .unwrap_or_else(|| panic!("no style at {r},{c}"));
            let b = s
                .borders
                .as_ref()
                .unwrap_or_else(|| panic!("no border at {r},{c}"));
            assert!(
                b.left.style == BorderStyle::Thin && b.bottom.style == BorderStyle::Thin,
                "{r},{c}: {b:?}"
            );
        }
        let amount = styles.get((r, 10)).and_then(|s| s.number_format.as_ref());
        assert_eq!(
            amount.map(|f| f.format_code.as_str()),
            Some("0.00"),
            "row {r}"
        );
    }
    assert!(rows >= 80, "{rows} data rows");
    let mut report: calamine::Xlsx<_> = calamine::open_workbook(
        w.path("out/2023年度岳阳市住房和城乡建设局部门整体支出绩效自评表.xlsx"),
    )
    .unwrap();
    // 支出概况: amounts in 万元 with two decimals, the execution rate as a percentage.
    let values = report.worksheet_range("支出概况").unwrap();
    let styles = report.worksheet_style("支出概况").unwrap();
    let mut amounts = 0;
    for r in 0..values.height() as u32 {
        let (Some(calamine::Data::String(label)), Some(calamine::Data::Float(_))) =
            (values.get_value((r, 0)), values.get_value((r, 1)))
        else {
            continue;
        };
        let code = styles
            .get((r, 1))
            .and_then(|s| s.number_format.as_ref())
            .map(|f| f.format_code.clone());
        let want = if label.ends_with('率') {
            "0.00%"
        } else {
            "0.00"
        };
        assert_eq!(code.as_deref(), Some(want), "支出概况 {label}");
        amounts += 1;
    }
    assert!(amounts >= 10, "{amounts} figures");
}
