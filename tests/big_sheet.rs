//! A sheet as long as Excel allows (1,048,576 rows, generated as CSV): it is read whole, its
//! one bad row — the very last — is named by its row number, and nothing runs out of memory.

mod common;
use common::*;
use std::io::Write;

#[test]
fn a_sheet_of_1048576_rows() {
    let w = Workdir::new("big-sheet");
    let base = root().join("fixtures/bad/unknown-fund/input");
    std::fs::create_dir_all(w.path("in")).unwrap();
    std::fs::copy(base.join("jixiao.toml"), w.path("in/jixiao.toml")).unwrap();
    std::fs::copy(base.join("预算指标.csv"), w.path("in/预算指标.csv")).unwrap();
    let mut f = std::io::BufWriter::new(std::fs::File::create(w.path("in/支付明细.csv")).unwrap());
    writeln!(
        f,
        "支付日期,单位名称,项目名称,经济分类,资金性质,支付凭证号,支付金额"
    )
    .unwrap();
    let rows = 1_048_576u32;
    for i in 2..rows {
        writeln!(
            f,
            "2023-{:02}-{:02},测试局本级,,30101 基本工资,一般公共预算,V{i:07},{}.{:02}",
            i % 12 + 1,
            i % 28 + 1,
            i % 1000,
            i % 100
        )
        .unwrap();
    }
    writeln!(
        f,
        "2023-12-31,测试局档案馆,,30201 办公费,一般公共预算,V{rows:07},1x2"
    )
    .unwrap();
    drop(f);
    let run = w.run(&["run", "--input", "in", "--output", "out"]);
    run.expect_code(1);
    assert!(
        run.stderr()
            .contains("支付明细.csv › 支付明细 › 第1048576行 G列: 金额“1x2”不是数字"),
        "{}",
        run.describe()
    );
    assert!(run.stderr().contains("共 1 个错误"), "{}", run.describe());
}
