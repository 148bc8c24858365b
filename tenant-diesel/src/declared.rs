//! The start-up check of the declarations on SQLite: no table declared shared
//! (`global_table!`) is a tenant table under another declaration.
//!
//! No type links two Rust tables of one SQL table: a second `diesel::table!`
//! with `#[sql_name = "accounts"]`, declared global, would read every tenant's
//! rows through `global(..)`. The application lists what it declared, by SQL
//! name, and this check compares the list with itself and with the database, as
//! `verify_isolation` does on PostgreSQL; on MySQL and MariaDB the list is
//! what `mysql::verify_isolation` checks.

use std::fmt;

use diesel::internal::table_macro::{Identifier, StaticQueryFragment};
#[cfg(feature = "sqlite")]
use diesel::sql_types::Text;
use diesel::Column;
#[cfg(feature = "sqlite")]
use diesel::{QueryableByName, RunQueryDsl, SqliteConnection};

use crate::table::{GlobalTable, TenantTable};

/// The tables an application declares, by SQL name: the tenant tables with their
/// tenant column, and the shared ones.
#[derive(Debug, Clone, Default)]
pub struct DeclaredTables {
    tenant: Vec<(String, String)>,
    shared: Vec<String>,
}

/// A declaration the start-up check refuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeclarationProblem {
    /// A table declared shared has the SQL name of a tenant table.
    SharedTableIsATenantTable(String),
    /// A table declared shared has a column named like a tenant table's tenant
    /// column: it says which tenant owns each row.
    SharedTableWithTenantColumn {
        /// The shared table.
        table: String,
        /// Its column named like a tenant column.
        column: String,
    },
    /// A table declared shared has a foreign key to a tenant table: each of its
    /// rows belongs to the tenant of the row it references.
    SharedTableReferencesATenantTable {
        /// The shared table.
        table: String,
        /// The tenant table it references.
        parent: String,
        /// The foreign key's columns, comma-separated.
        foreign_key: String,
    },
    /// A table declared shared is not in the database.
    MissingTable(String),
}

impl fmt::Display for DeclarationProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::SharedTableIsATenantTable(t) => write!(f, "`{t}` is declared shared (global_table!) but is a tenant table: a second `table!` of it declared global reads every tenant's rows; query it through its model"),
            Self::SharedTableWithTenantColumn { table, column } => write!(f, "shared table `{table}` has a tenant column `{column}`: a table that says which tenant owns each row is a tenant table; derive TenantScoped on its model"),
            Self::SharedTableReferencesATenantTable { table, parent, foreign_key } => write!(f, "shared table `{table}` references tenant table `{parent}` ({foreign_key}): each of its rows belongs to the tenant of the row it references, and declared shared it reads every tenant's; give it its own tenant column, filled from `{parent}`, and derive TenantScoped on its model"),
            Self::MissingTable(t) => write!(f, "the shared table `{t}` is not in the database"),
        }
    }
}

/// The start-up check failed: the declarations would let a tenant read shared
/// rows that are another tenant's.
#[derive(Debug, thiserror::Error)]
pub enum DeclarationError {
    /// The declarations are unsafe; every problem found is listed.
    #[error("refusing to start: {}", list(.0))]
    Unsafe(Vec<DeclarationProblem>),
    /// The database could not be read.
    #[error("could not read the schema: {0}")]
    Database(#[from] diesel::result::Error),
}

fn list(problems: &[DeclarationProblem]) -> String {
    let items: Vec<String> = problems.iter().map(ToString::to_string).collect();
    items.join("; ")
}

#[cfg(feature = "sqlite")]
#[derive(QueryableByName)]
struct ColumnName {
    #[diesel(sql_type = Text)]
    name: String,
}

#[cfg(feature = "sqlite")]
#[derive(QueryableByName)]
struct ForeignKey {
    #[diesel(sql_type = Text)]
    parent: String,
    #[diesel(sql_type = Text)]
    columns: String,
}

impl DeclaredTables {
    /// No tables yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the table of a model that derives `TenantScoped`.
    pub fn tenant_table<T: TenantTable>(mut self) -> Self {
        self.tenant.push((
            T::TABLE_NAME.to_owned(),
            <T::TenantColumn as Column>::NAME.to_owned(),
        ));
        self
    }

    /// Adds a table declared with `global_table!`.
    pub fn global_table<T>(mut self) -> Self
    where
        T: GlobalTable + StaticQueryFragment<Component = Identifier<'static>>,
    {
        self.shared.push(T::STATIC_COMPONENT.0.to_owned());
        self
    }

    /// The tenant tables, by SQL name, each with its tenant column.
    #[cfg(any(feature = "mysql", feature = "async-mysql"))]
    pub(crate) fn tenant_tables(&self) -> &[(String, String)] {
        &self.tenant
    }

    /// The shared tables, by SQL name.
    #[cfg(any(feature = "mysql", feature = "async-mysql"))]
    pub(crate) fn shared_tables(&self) -> &[String] {
        &self.shared
    }

    /// Refuses, at start-up, a shared table that is a tenant table (the same SQL
    /// name), that has a column named like a tenant column, that references a
    /// tenant table, or that is missing.
    // A catalog read with the table's name bound; the lint is for handler code.
    #[allow(clippy::disallowed_methods)]
    #[cfg(feature = "sqlite")]
    pub fn verify_sqlite(&self, conn: &mut SqliteConnection) -> Result<(), DeclarationError> {
        let mut problems = Vec::new();
        for shared in &self.shared {
            if self
                .tenant
                .iter()
                .any(|(table, _)| table.eq_ignore_ascii_case(shared))
            {
                problems.push(DeclarationProblem::SharedTableIsATenantTable(
                    shared.clone(),
                ));
                continue;
            }
            let columns: Vec<ColumnName> =
                diesel::sql_query("SELECT name FROM pragma_table_info(?) ORDER BY cid")
                    .bind::<Text, _>(shared)
                    .load(conn)?;
            if columns.is_empty() {
                problems.push(DeclarationProblem::MissingTable(shared.clone()));
            }
            for column in columns {
                if self
                    .tenant
                    .iter()
                    .any(|(_, tenant)| tenant.eq_ignore_ascii_case(&column.name))
                {
                    problems.push(DeclarationProblem::SharedTableWithTenantColumn {
                        table: shared.clone(),
                        column: column.name,
                    });
                }
            }
            let references: Vec<ForeignKey> = diesel::sql_query(
                "SELECT \"table\" AS parent, group_concat(\"from\", ', ') AS columns \
                 FROM pragma_foreign_key_list(?) GROUP BY id ORDER BY id",
            )
            .bind::<Text, _>(shared)
            .load(conn)?;
            for reference in references {
                if self
                    .tenant
                    .iter()
                    .any(|(table, _)| table.eq_ignore_ascii_case(&reference.parent))
                {
                    problems.push(DeclarationProblem::SharedTableReferencesATenantTable {
                        table: shared.clone(),
                        parent: reference.parent,
                        foreign_key: reference.columns,
                    });
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(DeclarationError::Unsafe(problems))
        }
    }
}
