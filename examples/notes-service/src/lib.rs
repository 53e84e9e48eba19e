//! The notes service's modules: `notes` (REST CRUD over its SQLite database) and `stats`
//! (counts what happens to notes and logs a summary now and then).

pub mod notes;
pub mod stats;
