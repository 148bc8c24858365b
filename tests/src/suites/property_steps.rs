//! The property suite's random steps and the in-memory model they are checked
//! against: the backend-independent half of `property_suite!`.

/// Expands, inside `property_suite!`'s module, to its steps (`Step`, `step()`)
/// and its model of the database (`Model`).
#[doc(hidden)]
#[macro_export]
macro_rules! __property_steps {
    () => {
        const TENANTS: [i64; 3] = [1, 2, 3];
        const NAMES: [&str; 3] = ["Globex", "Initech", "Umbrella"];

        /// One step of the sequence. Ids come from a small range so that they collide
        /// across tenants all the time.
        #[derive(Debug, Clone)]
        enum Step {
            Insert {
                tenant: i64,
                id: i64,
                name: &'static str,
            },
            Rename {
                tenant: i64,
                id: i64,
                name: &'static str,
            },
            Delete {
                tenant: i64,
                id: i64,
            },
            DeleteNamed {
                tenant: i64,
                name: &'static str,
            },
            ReadAll {
                tenant: i64,
            },
            Find {
                tenant: i64,
                id: i64,
            },
            ReadNamed {
                tenant: i64,
                name: &'static str,
            },
            InsertInvoice {
                tenant: i64,
                id: i64,
                account_id: i64,
            },
            Join {
                tenant: i64,
            },
            Mismatched {
                scope: i64,
                connection: i64,
                id: i64,
            },
            // The checked slots of issue #13 in their allowed forms: a
            // `set_column` value that is an expression of the row's own
            // columns, `IN` over values, and an aggregate.
            Suffix {
                tenant: i64,
                id: i64,
            },
            ReadSome {
                tenant: i64,
                ids: (i64, i64),
            },
            Count {
                tenant: i64,
            },
        }

        fn step() -> impl Strategy<Value = Step> {
            let tenant = || proptest::sample::select(TENANTS.to_vec());
            let id = || 1_i64..=8;
            let name = || proptest::sample::select(NAMES.to_vec());
            prop_oneof![
                3 => (tenant(), id(), name()).prop_map(|(tenant, id, name)| Step::Insert { tenant, id, name }),
                2 => (tenant(), id(), name()).prop_map(|(tenant, id, name)| Step::Rename { tenant, id, name }),
                1 => (tenant(), id()).prop_map(|(tenant, id)| Step::Delete { tenant, id }),
                1 => (tenant(), name()).prop_map(|(tenant, name)| Step::DeleteNamed { tenant, name }),
                2 => tenant().prop_map(|tenant| Step::ReadAll { tenant }),
                2 => (tenant(), id()).prop_map(|(tenant, id)| Step::Find { tenant, id }),
                1 => (tenant(), name()).prop_map(|(tenant, name)| Step::ReadNamed { tenant, name }),
                2 => (tenant(), id(), id()).prop_map(|(tenant, id, account_id)| Step::InsertInvoice { tenant, id, account_id }),
                1 => tenant().prop_map(|tenant| Step::Join { tenant }),
                1 => (tenant(), tenant(), id()).prop_map(|(scope, connection, id)| Step::Mismatched { scope, connection, id }),
                1 => (tenant(), id()).prop_map(|(tenant, id)| Step::Suffix { tenant, id }),
                1 => (tenant(), id(), id()).prop_map(|(tenant, a, b)| Step::ReadSome { tenant, ids: (a, b) }),
                1 => tenant().prop_map(|tenant| Step::Count { tenant }),
            ]
        }

        /// What the database should hold: accounts (their names) and invoices
        /// (their accounts) by (tenant, id), as the tables' keys lead with the
        /// tenant: an id may repeat across tenants.
        #[derive(Debug, Default, Clone, PartialEq)]
        struct Model {
            accounts: BTreeMap<(i64, i64), String>,
            invoices: BTreeMap<(i64, i64), i64>,
        }

        impl Model {
            fn accounts_of(&self, tenant: i64) -> Vec<(i64, String)> {
                self.accounts
                    .range((tenant, i64::MIN)..=(tenant, i64::MAX))
                    .map(|((_, id), name)| (*id, name.clone()))
                    .collect()
            }
        }
    };
}
