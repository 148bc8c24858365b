// `belonging_to` takes the foreign key from the model's own
// `#[diesel(belongs_to(..))]`: a model with none to this parent has none.
use tenant_diesel::prelude::*;
use tenant_diesel_ui_tests::{acme, Account, Note};

fn main() {
    let notes: Vec<Note> = Vec::new();
    let _ = Account::scoped(&acme()).belonging_to(&notes);
}
