//! Golden fixtures: each `fixtures/<case>/` holds an export folder (`input/`) and either an
//! expected workbook (`expected/`, compared cell by cell) or hand-computed cells
//! (`expected_cells.txt`). A failure names the sheet and cell that differs.

mod common;
use common::*;

fn run_case(case: &str) -> Workdir {
    let w = Workdir::new(&format!("golden-{case}"));
    let input = root().join("fixtures").join(case).join("input");
    w.run(&["run", "--input", input.to_str().unwrap(), "--output", "out"])
        .expect_code(0);
    w
}

#[test]
fn yueyang_2023_matches_its_expected_workbook_cell_by_cell() {
    let w = run_case("yueyang-2023");
    let name = "2023年度岳阳市住房和城乡建设局部门整体支出绩效自评表.xlsx";
    let expected = root().join("fixtures/yueyang-2023/expected").join(name);
    let d = jixiao::cmd::diff::differences(&expected, &w.path(&format!("out/{name}"))).unwrap();
    assert!(
        d.is_empty(),
        "report differs from the golden workbook:\n{}",
        d.join("\n")
    );
}

#[test]
fn yueyang_fixture_inputs_are_the_bundled_sample() {
    // The golden case and `input/` are the same files (`just sample` writes both).
    let fixture = root().join("fixtures/yueyang-2023/input");
    assert_same_files(
        &root().join("input"),
        &fixture,
        "fixtures/yueyang-2023/input against input/",
    );
}

#[test]
fn wenlv_2024_matches_hand_computed_cells() {
    let w = run_case("wenlv-2024");
    let book = Book::open(&w.path("out/2024年度某市文化和旅游局部门整体支出绩效自评表.xlsx"));
    let bad = check_expected_cells(
        &book,
        &root().join("fixtures/wenlv-2024/expected_cells.txt"),
    );
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn yueyang_2023_in_xls_and_ods_gives_the_seed_figures() {
    let w = run_case("yueyang-2023-xls-ods");
    let book = Book::open(&w.path("out/2023年度岳阳市住房和城乡建设局部门整体支出绩效自评表.xlsx"));
    let bad = check_expected_cells(
        &book,
        &root().join("fixtures/yueyang-2023-xls-ods/expected_cells.txt"),
    );
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn yueyang_2023_under_yitihua_headers_matches_the_same_workbook() {
    // The sample re-exported under real 一体化 header names (issue 10): the same report.
    let w = run_case("yueyang-2023-yitihua");
    let name = "2023年度岳阳市住房和城乡建设局部门整体支出绩效自评表.xlsx";
    let expected = root().join("fixtures/yueyang-2023/expected").join(name);
    let d = jixiao::cmd::diff::differences(&expected, &w.path(&format!("out/{name}"))).unwrap();
    assert!(d.is_empty(), "report differs:\n{}", d.join("\n"));
}
