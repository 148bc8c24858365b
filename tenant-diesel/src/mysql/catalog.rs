//! Reads of `information_schema` on the connection's own database
//! (`DATABASE()`), one table at a time, with the table's name bound. What the
//! account has no privilege on is not listed, and reads as missing.
//!
//! Numbers come back as text (`CAST(.. AS CHAR)`): MariaDB and MySQL give
//! these columns different integer types.

// Catalog reads, with the table's name bound; the lint is for handler code.
#![allow(clippy::disallowed_methods)]

use super::CatalogConnection;
use diesel::sql_types::{Nullable, Text};
use diesel::{QueryableByName, RunQueryDsl};

/// A column of a table.
#[derive(QueryableByName)]
pub(super) struct Column {
    #[diesel(sql_type = Text)]
    pub(super) name: String,
    /// `varchar`, `bigint`, ..
    #[diesel(sql_type = Text)]
    pub(super) data_type: String,
    /// `varchar(36)`, `bigint(20) unsigned`, ..
    #[diesel(sql_type = Text)]
    pub(super) column_type: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub(super) charset: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub(super) collation: Option<String>,
    #[diesel(sql_type = Text)]
    pub(super) nullable: String,
    /// `auto_increment`, ..
    #[diesel(sql_type = Text)]
    pub(super) extra: String,
}

/// A column of a unique key (or the primary key), in key order.
#[derive(QueryableByName)]
pub(super) struct KeyPart {
    #[diesel(sql_type = Text)]
    pub(super) key: String,
    /// `NULL` for an expression (MySQL 8's functional key parts).
    #[diesel(sql_type = Nullable<Text>)]
    pub(super) column: Option<String>,
    /// The length of a prefix key part.
    #[diesel(sql_type = Nullable<Text>)]
    pub(super) prefix: Option<String>,
}

/// A column of a foreign key into a table of the same database.
#[derive(QueryableByName)]
pub(super) struct ForeignKeyPart {
    #[diesel(sql_type = Text)]
    pub(super) constraint: String,
    #[diesel(sql_type = Text)]
    pub(super) column: String,
    #[diesel(sql_type = Text)]
    pub(super) references: String,
    #[diesel(sql_type = Text)]
    pub(super) referenced_column: String,
}

/// A foreign key, its columns gathered.
pub(super) struct ForeignKey {
    pub(super) constraint: String,
    pub(super) references: String,
    pub(super) columns: Vec<String>,
    pub(super) referenced_columns: Vec<String>,
}

#[derive(QueryableByName)]
struct Database {
    #[diesel(sql_type = Nullable<Text>)]
    name: Option<String>,
}

/// The connection's default database.
pub(super) fn database(
    conn: &mut impl CatalogConnection,
) -> Result<Option<String>, diesel::result::Error> {
    let database: Database = diesel::sql_query("SELECT DATABASE() AS name").get_result(conn)?;
    Ok(database.name)
}

/// The columns of `table`, in order; none when it is missing.
pub(super) fn columns(
    conn: &mut impl CatalogConnection,
    table: &str,
) -> Result<Vec<Column>, diesel::result::Error> {
    diesel::sql_query(
        "SELECT COLUMN_NAME AS name, DATA_TYPE AS data_type, COLUMN_TYPE AS column_type, \
                CHARACTER_SET_NAME AS charset, COLLATION_NAME AS collation, \
                IS_NULLABLE AS nullable, EXTRA AS extra \
         FROM information_schema.COLUMNS \
         WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? \
         ORDER BY ORDINAL_POSITION",
    )
    .bind::<Text, _>(table)
    .load(conn)
}

/// The parts of every unique key of `table` (its primary key included), by
/// key, in key order.
pub(super) fn unique_keys(
    conn: &mut impl CatalogConnection,
    table: &str,
) -> Result<Vec<KeyPart>, diesel::result::Error> {
    diesel::sql_query(
        "SELECT INDEX_NAME AS `key`, COLUMN_NAME AS `column`, CAST(SUB_PART AS CHAR) AS prefix \
         FROM information_schema.STATISTICS \
         WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND NON_UNIQUE = 0 \
         ORDER BY INDEX_NAME, SEQ_IN_INDEX",
    )
    .bind::<Text, _>(table)
    .load(conn)
}

/// The foreign keys of `table` into tables of the same database.
pub(super) fn foreign_keys(
    conn: &mut impl CatalogConnection,
    table: &str,
) -> Result<Vec<ForeignKey>, diesel::result::Error> {
    let parts: Vec<ForeignKeyPart> = diesel::sql_query(
        "SELECT CONSTRAINT_NAME AS `constraint`, COLUMN_NAME AS `column`, \
                REFERENCED_TABLE_NAME AS `references`, REFERENCED_COLUMN_NAME AS referenced_column \
         FROM information_schema.KEY_COLUMN_USAGE \
         WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? \
           AND REFERENCED_TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME IS NOT NULL \
         ORDER BY CONSTRAINT_NAME, ORDINAL_POSITION",
    )
    .bind::<Text, _>(table)
    .load(conn)?;
    let mut keys: Vec<ForeignKey> = Vec::new();
    for part in parts {
        match keys.last_mut() {
            Some(key) if key.constraint == part.constraint => {
                key.columns.push(part.column);
                key.referenced_columns.push(part.referenced_column);
            }
            _ => keys.push(ForeignKey {
                constraint: part.constraint,
                references: part.references,
                columns: vec![part.column],
                referenced_columns: vec![part.referenced_column],
            }),
        }
    }
    Ok(keys)
}
