//! The same scoped-query suites on a real MariaDB server, as the application's
//! user (rows of its database only). MySQL has no row-level security: what these
//! tests see is the library's own wall, with nothing behind it. The writes that
//! give their rows back (`RETURNING`) are left out: they do not compile on MySQL
//! (`ui-tests/mysql/tests/ui/`).

use tenant_diesel_tests::mysql::{Backend, TestDb};

tenant_diesel_tests::reads_suite!();
tenant_diesel_tests::writes_suite!(without_returning);
tenant_diesel_tests::joins_suite!();
tenant_diesel_tests::tenant_mismatch_suite!();
tenant_diesel_tests::admin_suite!();
tenant_diesel_tests::property_suite!(200);
