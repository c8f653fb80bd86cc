//! jixiao (绩效): a department's ledger exports in, the tables of its annual
//! 部门整体支出绩效自评报告 out, with an audit that proves every figure. See `SPEC.md`-derived
//! docs in `docs/` and the module docs of each stage.

pub mod batch;
pub mod cmd;
pub mod config;
pub mod diag;
pub mod draft;
pub mod econ;
pub mod figures;
pub mod findings;
pub mod forms;
pub mod ledger;
pub mod model;
pub mod narrative;
pub mod period;
pub mod pipeline;
pub mod render;
pub mod stages;
pub mod tables;
pub mod text;
pub mod timing;
pub mod vocab;
