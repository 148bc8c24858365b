//! The same scoped-query suites on a real PostgreSQL server, as the application's
//! role (no superuser, no BYPASSRLS, owner of nothing) behind row-level security.

use tenant_diesel_tests::postgres::{Backend, TestDb};

tenant_diesel_tests::reads_suite!();
tenant_diesel_tests::writes_suite!();
tenant_diesel_tests::joins_suite!();
tenant_diesel_tests::tenant_mismatch_suite!();
tenant_diesel_tests::admin_suite!();
tenant_diesel_tests::property_suite!(200);
