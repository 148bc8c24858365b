//! The SQLite side of same-tenant references: triggers on the child, since
//! SQLite cannot add a constraint to an existing table (`ALTER TABLE .. ADD
//! CONSTRAINT` does not exist) and a composite foreign key there is only
//! enforced under `PRAGMA foreign_keys = ON`, a per-connection switch.

use diesel::connection::SimpleConnection;
use diesel::{Connection, SqliteConnection};

use super::{literal, quoted, ReferenceNames, SameTenantReferences};

impl ReferenceNames {
    /// The two triggers that refuse, on SQLite, a child row whose non-`NULL`
    /// foreign key names no parent row of the child's tenant: `BEFORE INSERT`,
    /// and `BEFORE UPDATE OF` the foreign key and the tenant column. Each is
    /// `CREATE TRIGGER IF NOT EXISTS`, so installing twice changes nothing.
    ///
    /// A refused write fails with `RAISE(ABORT, ..)`: the statement is undone
    /// and the error's message is `tenant wall: invoices.account_id names no
    /// accounts row of the same tenant`.
    pub fn sqlite_up_statements(&self) -> Vec<String> {
        let [child, child_tenant, foreign_key] =
            [&self.child, &self.child_tenant, &self.foreign_key].map(|name| quoted(name));
        let [parent, parent_tenant, parent_key] =
            [&self.parent, &self.parent_tenant, &self.parent_key].map(|name| quoted(name));
        // `NEW.fk IS NOT NULL`: a nullable reference that names nothing names no
        // other tenant's row either.
        let body = format!(
            "FOR EACH ROW WHEN NEW.{foreign_key} IS NOT NULL AND NOT EXISTS (\n    \
                 SELECT 1 FROM {parent} WHERE {parent}.{parent_tenant} = NEW.{child_tenant} \
                 AND {parent}.{parent_key} = NEW.{foreign_key})\n\
             BEGIN SELECT RAISE(ABORT, {}); END",
            literal(&self.refusal())
        );
        let [insert, update] = self.trigger_names();
        vec![
            format!("CREATE TRIGGER IF NOT EXISTS {insert} BEFORE INSERT ON {child}\n{body}"),
            format!(
                "CREATE TRIGGER IF NOT EXISTS {update} \
                 BEFORE UPDATE OF {foreign_key}, {child_tenant} ON {child}\n{body}"
            ),
        ]
    }

    /// The statements that drop the triggers of [`sqlite_up_statements`](Self::sqlite_up_statements).
    pub fn sqlite_down_statements(&self) -> Vec<String> {
        self.trigger_names()
            .into_iter()
            .map(|trigger| format!("DROP TRIGGER IF EXISTS {trigger}"))
            .collect()
    }

    /// The sentence a refused write reports.
    fn refusal(&self) -> String {
        format!(
            "tenant wall: {}.{} names no {} row of the same tenant",
            self.child, self.foreign_key, self.parent
        )
    }

    /// The quoted names of the insert and the update trigger.
    fn trigger_names(&self) -> [String; 2] {
        let stem = self.constraint();
        [
            quoted(&format!("{stem}_insert")),
            quoted(&format!("{stem}_update")),
        ]
    }
}

impl SameTenantReferences {
    /// Every pair's triggers ([`ReferenceNames::sqlite_up_statements`]).
    pub fn sqlite_up_statements(&self) -> Vec<String> {
        self.pairs
            .iter()
            .flat_map(ReferenceNames::sqlite_up_statements)
            .collect()
    }

    /// Installs every pair's triggers, in one transaction, at start-up or in a
    /// migration; idempotent.
    ///
    /// The triggers check new writes only: rows already in the child that name
    /// another tenant's parent stay until they are found and mended, e.g. with
    /// `SELECT .. FROM invoices WHERE account_id IS NOT NULL AND NOT EXISTS
    /// (SELECT 1 FROM accounts WHERE accounts.tenant_id = invoices.tenant_id AND
    /// accounts.id = invoices.account_id)`.
    pub fn install_sqlite(&self, conn: &mut SqliteConnection) -> diesel::QueryResult<()> {
        conn.transaction(|conn| {
            self.sqlite_up_statements()
                .iter()
                .try_for_each(|statement| conn.batch_execute(statement))
        })
    }

    /// Drops every pair's triggers, in one transaction.
    pub fn uninstall_sqlite(&self, conn: &mut SqliteConnection) -> diesel::QueryResult<()> {
        conn.transaction(|conn| {
            self.pairs
                .iter()
                .flat_map(ReferenceNames::sqlite_down_statements)
                .try_for_each(|statement| conn.batch_execute(&statement))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::references::invoices_to_accounts as invoices;

    #[test]
    fn the_triggers_compare_the_tenant_and_the_key() {
        let [insert, update]: [String; 2] = invoices().sqlite_up_statements().try_into().unwrap();
        assert!(insert.starts_with("CREATE TRIGGER IF NOT EXISTS \"invoices_account_id_same_tenant_insert\" BEFORE INSERT ON \"invoices\""), "{insert}");
        assert!(
            update.contains("BEFORE UPDATE OF \"account_id\", \"tenant_id\" ON \"invoices\""),
            "{update}"
        );
        for sql in [&insert, &update] {
            assert!(sql.contains("\"accounts\".\"tenant_id\" = NEW.\"tenant_id\" AND \"accounts\".\"id\" = NEW.\"account_id\""), "{sql}");
            assert!(sql.contains("WHEN NEW.\"account_id\" IS NOT NULL"), "{sql}");
        }
    }

    #[test]
    fn hostile_names_stay_quoted_in_the_triggers() {
        let names = ReferenceNames::named(
            ["in\"v", "tenant_id", "it's"],
            ["acc$wall0$", "tenant_id", "id"],
        );
        let sql = names.sqlite_up_statements().join("\n");
        assert!(sql.contains("ON \"in\"\"v\""), "{sql}");
        assert!(sql.contains("NEW.\"it's\""), "{sql}");
        // The name inside the message is one literal: its quote doubled.
        assert!(sql.contains("RAISE(ABORT, 'tenant wall: in\"v.it''s names no acc$wall0$ row of the same tenant')"), "{sql}");
        let down = names.sqlite_down_statements();
        assert_eq!(
            down[0],
            "DROP TRIGGER IF EXISTS \"in\"\"v_it's_same_tenant_insert\""
        );
    }
}
