# jixiao — the two commands of the README, and the tools behind them.

# Build and run on the bundled sample year (input/ → output/), or on DIR → OUT.
run dir="input" out="output":
    cargo run --release -- run --input {{dir}} --output {{out}}

# Every test: unit tests, the end-to-end seed test, the golden fixtures, the bad-input corpus.
test:
    cargo test --release --all-targets

# Install the `jixiao` command (into ~/.cargo/bin), as the README's guide uses it.
install:
    cargo install --path . --locked

# Validate a folder without writing anything.
check dir="input":
    cargo run --release -- check --input {{dir}}

fmt:
    cargo fmt --all

lint:
    cargo fmt --all -- --check
    cargo clippy --release --all-targets -- -D warnings

# Rewrite the bundled sample (input/, and the same files in fixtures/yueyang-2023/input/ and
# fixtures/batch-three/input/市住建局/)
# from the plan in examples/gen_sample.rs.
sample:
    cargo run --release --example gen_sample -- input
    cargo run --release --example gen_sample -- fixtures/yueyang-2023/input
    cargo run --release --example gen_sample -- fixtures/batch-three/input/市住建局

# The benchmark of SPEC §9: a large year (12 × 100,000 rows; generated once into target/) at
# 1, 3 and 12 files — calamine's range and streaming floors, jixiao end to end, and the Python
# polars script of bench/ when polars and fastexcel are installed — in alternating rounds:
# medians, ratios, peak RSS, and the figures against a slow reference.
bench:
    cargo build --release --examples
    test -f target/bench-year.expected.txt || cargo run --release --example gen_bench -- target/bench-year
    cargo build --release
    cargo run --release --example bench -- target/bench-year 5

# `yitihua`: payment ledgers in the layout of a real 一体化 export (15 columns, two dates, two
# amounts — one in five as text with thousands separators —, a 25-character purpose per row);
# `minimal`: only the seven columns that decide a figure (no voucher, no memo).
# The same benchmark on data of another shape, same size and figures: yitihua or minimal.
bench-layout layout:
    cargo build --release --examples
    test -f target/bench-{{layout}}.expected.txt || cargo run --release --example gen_bench -- target/bench-{{layout}} 100000 {{layout}}
    cargo build --release
    cargo run --release --example bench -- target/bench-{{layout}} 5

# Render the report workbook of DIR (default: the sample) as a user sees it: LibreOffice →
# PDF → one PNG per page in OUT (needs libreoffice-calc and poppler-utils; not part of CI).
render dir="input" out="docs/render/full-year":
    cargo run --release -- run --input {{dir}} --output target/render-run
    rm -rf {{out}} && mkdir -p {{out}}
    cd target/render-run && soffice --headless --convert-to pdf *部门整体支出绩效自评表.xlsx >/dev/null
    pdftoppm -r 60 -png target/render-run/*部门整体支出绩效自评表.pdf {{out}}/page

# The batch benchmark of SPEC §11: 100 departments of 1,000–100,000 payment rows (generated once
# into target/bench-batch/), the batch run against the sum of the single runs and the range
# floor over all files, and the batch's peak RSS against the largest single run.
bench-batch:
    cargo build --release --examples
    cargo build --release
    cargo run --release --example bench_batch -- target/bench-batch 3
