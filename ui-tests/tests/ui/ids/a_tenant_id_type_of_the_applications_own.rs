// A tenant id type of the application's own, made to fit every column: the
// tenant filter binds the id, so its type is the library's to choose.
use tenant_diesel::{AnyTenantId, TenantIdValue, WidensTo};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct AnyId(i64);

impl std::fmt::Display for AnyId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl TenantIdValue for AnyId {
    const SQL_TYPE: &'static str = "bigint";
    fn erase(self) -> AnyTenantId {
        AnyTenantId::Integer(self.0)
    }
    fn from_any(_: AnyTenantId) -> Option<Self> {
        None
    }
}

impl WidensTo<i32> for AnyId {
    fn widen(self) -> i32 {
        0
    }
}

fn main() {}
