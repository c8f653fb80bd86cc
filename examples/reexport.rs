//! Writes the bundled sample re-exported under real 预算管理一体化 header names
//! (`fixtures/yueyang-2023-yitihua/input`): `cargo run --example reexport -- input DST`.
//! The transform is `tests/common/reexport.rs`, shared with the tests of header variants.

#[path = "../tests/common/reexport.rs"]
mod reexport;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (src, dst) = match args.as_slice() {
        [src, dst] => (src.clone(), dst.clone()),
        _ => {
            eprintln!("用法：cargo run --example reexport -- 输入文件夹 输出文件夹");
            std::process::exit(2);
        }
    };
    let dst = std::path::Path::new(&dst);
    if dst.exists() {
        std::fs::remove_dir_all(dst).expect("remove the old folder");
    }
    reexport::reexport(std::path::Path::new(&src), dst, &reexport::yitihua);
    println!("已写入 {}", dst.display());
}
