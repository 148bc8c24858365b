// Class 4: `global_table!` lists every column, so none is overlooked.
use tenant_diesel::prelude::*;

diesel::table! {
    settings (id) {
        id -> BigInt,
        owner -> BigInt,
        value -> Text,
    }
}

global_table!(settings(id, value));

fn main() {}
