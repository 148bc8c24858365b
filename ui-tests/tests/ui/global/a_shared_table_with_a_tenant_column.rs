// Class 4: a table that says which tenant owns each row is not shared.
use tenant_diesel::prelude::*;

diesel::table! {
    settings (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        value -> Text,
    }
}

global_table!(settings(id, tenant_id, value));

fn main() {}
