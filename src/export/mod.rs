//! Plain-text exports. Organisations differ in digital maturity, so everything the
//! workbench knows must leave it as Markdown or JSON that any tool can open. Pure text in,
//! text out: writing files is the caller's business.

pub mod interview;
pub mod map;
pub mod markdown;
pub mod qdc;
pub mod report;
pub mod workshop;

pub use map::{map_json, map_markdown, map_markdown_in};
