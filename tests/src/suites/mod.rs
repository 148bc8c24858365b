//! The backend-independent suites: each macro expands to a module of tests that
//! runs against the `TestDb` and `Backend` of the module that invokes it, so the
//! same tests run on SQLite and on PostgreSQL (`tests/sqlite.rs`, `tests/postgres.rs`).
//!
//! One file per suite, by category, as `ui-tests/tests/ui/` is laid out.

mod admin;
mod async_joins;
mod joins;
mod property;
mod property_steps;
mod reads;
mod tenant_mismatch;
mod writes;
