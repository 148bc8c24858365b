// `AnyTenantId` is a public enum anyone can build: used as a context it would
// name any tenant.
use tenant_diesel::AnyTenantId;
use tenant_diesel_ui_tests::Account;

fn main() {
    let _ = Account::scoped(&AnyTenantId::Integer(2));
}
