"""The obvious alternative to jixiao: read the year's exports with polars (fastexcel, one
file per thread) and aggregate them the way the report needs. `just bench` times it beside
jixiao on the same files.

    python3 bench/polars_baseline.py DIR

Reads every .xlsx of DIR: payment ledgers (a title, a 单位 line, the header on the third
row, a 合计 row) and the budget ledger (the header on the first row). Sums payments by
unit × fund × kind × econ, by unit × month and by unit × project; budgets by unit × fund ×
kind × econ × budget kind; prints the execution rate. No detail CSV, no audit, no workbook:
the floor of what a script must do.

Payment ledgers in the layout of a real 一体化 export (`gen_bench … yitihua`: 实际支付金额（元）,
预算单位名称, 部门支出经济分类代码, 项目类别, amounts partly as text with thousands
separators) are renamed to the same columns first.
"""

import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import fastexcel
import polars as pl


def read(path: Path) -> tuple[str, pl.DataFrame]:
    reader = fastexcel.read_excel(path)
    first = reader.load_sheet(0, n_rows=5, header_row=None).to_polars()
    # The header row: the first with 支付金额 or 指标金额 in it.
    header = next(
        i
        for i, row in enumerate(first.iter_rows())
        if any(v in ("支付金额", "实际支付金额（元）", "指标金额") for v in row)
    )
    df = reader.load_sheet(0, header_row=header).to_polars()
    if "实际支付金额（元）" in df.columns:
        df = df.select(
            pl.col("实际支付日期").alias("支付日期"),
            pl.col("预算单位名称").alias("预算单位"),
            pl.col("预算项目").alias("项目名称"),
            pl.when(pl.col("项目类别") == "特定目标类项目")
            .then(pl.lit("项目支出"))
            .otherwise(pl.lit("基本支出"))
            .alias("支出类型"),
            pl.col("部门支出经济分类代码").cast(pl.String).alias("经济分类"),
            pl.col("资金性质名称").alias("资金性质"),
            pl.col("实际支付金额（元）").cast(pl.String).str.replace_all(",", "").alias("支付金额"),
        )
    kind = "budget" if "指标金额" in df.columns else "payment"
    return kind, df


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "target/bench-year")
    files = sorted(folder.glob("*.xlsx"))
    with ThreadPoolExecutor(max_workers=2) as pool:
        frames = list(pool.map(read, files))
    pay = pl.concat([df for k, df in frames if k == "payment"], how="vertical_relaxed")
    bud = pl.concat([df for k, df in frames if k == "budget"], how="vertical_relaxed")
    # Data rows only (the 合计 and footer rows have no unit), amounts to cents.
    pay = (
        pay.filter(pl.col("预算单位").is_not_null())
        .with_columns(
            (pl.col("支付金额").cast(pl.Float64) * 100).round().cast(pl.Int64).alias("cents"),
            pl.col("预算单位").str.replace(r"^\d+-", "").alias("unit"),
            pl.col("经济分类").str.slice(0, 5).alias("econ"),
            pl.col("支付日期").cast(pl.String).str.slice(5, 2).cast(pl.Int32).alias("month"),
        )
    )
    bud = bud.filter(pl.col("预算单位").is_not_null()).with_columns(
        (pl.col("指标金额").cast(pl.Float64) * 100).round().cast(pl.Int64).alias("cents"),
        pl.col("经济分类").str.slice(0, 5).alias("econ"),
    )
    by_class = pay.group_by(["unit", "资金性质", "支出类型", "econ"]).agg(pl.col("cents").sum())
    by_month = pay.group_by(["unit", "month"]).agg(pl.col("cents").sum())
    by_project = pay.filter(pl.col("支出类型") == "项目支出").group_by(
        ["unit", "项目名称", "资金性质"]
    ).agg(pl.col("cents").sum())
    budget = bud.group_by(["预算单位", "资金性质", "支出类型", "econ", "指标类型"]).agg(
        pl.col("cents").sum()
    )
    actual = by_class["cents"].sum()
    signed = budget.select(
        pl.when(pl.col("指标类型") == "调减").then(-pl.col("cents")).otherwise(pl.col("cents")).sum()
    ).item()
    print(
        f"{len(pay)} payment rows, {len(by_class)}/{len(by_month)}/{len(by_project)} groups, "
        f"execution {actual / signed:.4%}" if signed else "no budget"
    )


if __name__ == "__main__":
    main()
