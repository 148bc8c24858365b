//! The scoped-query suites on SQLite, the embedded default.

use tenant_diesel_tests::sqlite::{Backend, TestDb};

tenant_diesel_tests::reads_suite!();
tenant_diesel_tests::writes_suite!();
tenant_diesel_tests::joins_suite!();
tenant_diesel_tests::tenant_mismatch_suite!();
tenant_diesel_tests::admin_suite!();
tenant_diesel_tests::property_suite!(1000);
