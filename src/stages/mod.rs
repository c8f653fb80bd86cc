//! The pipeline stages of SPEC §3, in order.
pub mod aggregate;
pub mod ingest;
pub mod normalise;
pub mod score;
pub mod validate;
