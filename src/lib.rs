//! oppi: a terminal workbench for developmental evaluations of public-service pilots.
//!
//! Layers, innermost first (see ARCHITECTURE.md):
//! `domain` (pure rules) → `store` (sled) → `app` (state + actions + update) →
//! `ui` (rendering) → `term` (sessions) → `cli`/`main` (front doors).

pub mod app;
pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod export;
pub mod locale;
pub mod runtime;
#[cfg(feature = "ssh")]
pub mod serve;
pub mod store;
pub mod surveys;
pub mod term;
pub mod textpos;
pub mod ui;
