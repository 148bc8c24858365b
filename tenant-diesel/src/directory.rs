//! The tenant directory over the application's global `tenants` table.

/// Why a `tenants_directory!` lookup failed (that macro needs the `r2d2` feature).
#[derive(Debug, thiserror::Error)]
pub enum DirectoryError {
    /// No connection could be had (the pool's error).
    #[error("cannot reach the tenants table: {0}")]
    Connection(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The query failed.
    #[error("cannot read the tenants table: {0}")]
    Query(#[from] diesel::result::Error),
    /// A stored slug is not a valid slug: the row is refused, not guessed at.
    #[error("the tenants table holds an invalid slug: {0}")]
    InvalidSlug(#[from] tenant_core::SlugError),
    /// A stored id is not a tenant id of the column's type (a `Text` id that is
    /// not a UUID in its hyphenated lowercase form): refused, not guessed at.
    #[error("the tenants table holds an id that is not a tenant id, in the row of `{0}`")]
    InvalidId(String),
}

/// Declares a [`TenantDirectory`](crate::TenantDirectory) over a global tenants
/// table with the columns `id`, `slug`, `name` and `plan` (`Text`), read through
/// a connection pool. The tenants' ids have `id`'s type: `BigInt` gives
/// `Tenant<i64>`, `Integer` `Tenant<i32>`, `Uuid` (or `Text` holding UUIDs, with
/// the `uuid` feature) `Tenant<uuid::Uuid>`.
///
/// ```
/// use diesel::r2d2::{ConnectionManager, Pool};
/// use tenant_diesel::prelude::*;
///
/// diesel::table! {
///     tenants (id) {
///         id -> BigInt,
///         slug -> Text,
///         name -> Text,
///         plan -> Text,
///     }
/// }
/// global_table!(tenants (id, slug, name, plan));
///
/// tenant_diesel::tenants_directory! {
///     /// The application's tenants, looked up by slug.
///     pub struct Directory(Pool<ConnectionManager<SqliteConnection>>) for tenants;
/// }
/// ```
///
/// For other column names, implement `TenantDirectory` yourself: it is one method.
#[cfg(feature = "r2d2")]
#[macro_export]
macro_rules! tenants_directory {
    ($(#[$meta:meta])* $vis:vis struct $name:ident($pool:ty) for $table:ident;) => {
        $(#[$meta])*
        $vis struct $name(pub $pool);

        impl $crate::TenantDirectory<$crate::__tenant_id_of!($table::id)> for $name {
            type Error = $crate::DirectoryError;

            fn find_by_slug(
                &self,
                slug: &$crate::TenantSlug,
            ) -> ::std::result::Result<
                ::std::option::Option<$crate::Tenant<$crate::__tenant_id_of!($table::id)>>,
                Self::Error,
            > {
                use $crate::__private::{ExpressionMethods, QueryDsl, TenantColumnType};
                type Stored = <$crate::__tenant_column_type_of!($table::id) as TenantColumnType>::Bind;
                let mut conn = self
                    .0
                    .get()
                    .map_err(|e| $crate::DirectoryError::Connection(::std::boxed::Box::new(e)))?;
                let row: ::std::option::Option<(Stored, String, String, String)> =
                    $crate::__private::OptionalExtension::optional(
                        $crate::__private::RunQueryDsl::first(
                            $table::table
                                .filter($table::slug.eq(slug.as_str()))
                                .select(($table::id, $table::slug, $table::name, $table::plan)),
                            &mut *conn,
                        ),
                    )?;
                row.map(|(id, slug, name, plan)| {
                    ::std::result::Result::Ok($crate::Tenant {
                        id: <$crate::__tenant_column_type_of!($table::id) as TenantColumnType>::read(id)
                            .ok_or_else(|| $crate::DirectoryError::InvalidId(slug.clone()))?,
                        slug: $crate::TenantSlug::parse(&slug)?,
                        name,
                        plan,
                    })
                })
                .transpose()
            }
        }
    };
}

/// The SQL type of a column, as a tenant column type.
#[doc(hidden)]
#[macro_export]
macro_rules! __tenant_column_type_of {
    ($column:path) => {
        <$column as $crate::__private::Expression>::SqlType
    };
}

/// The tenant id type a column of ids holds.
#[doc(hidden)]
#[macro_export]
macro_rules! __tenant_id_of {
    ($column:path) => {
        <$crate::__tenant_column_type_of!($column) as $crate::__private::TenantColumnType>::Id
    };
}
