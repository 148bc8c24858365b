use std::fmt;
use std::hash::Hash;

/// The primary key of a tenant, as stored in every tenant-owned row.
///
/// `V` is the Rust type of the tenants table's key: `i64` (the default), `i32`,
/// or `uuid::Uuid` (with the `uuid` feature). The tenant columns of an
/// application's tables decide it; a context for one type opens no table whose
/// tenant column holds another.
///
/// A `TenantId` is only a value: holding one grants nothing. Queries are opened
/// by a [`TenantCtx`](crate::TenantCtx), which cannot be built from an id alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TenantId<V = i64>(V);

impl<V: TenantIdValue> TenantId<V> {
    /// Wraps a raw tenant primary key.
    pub const fn new(id: V) -> Self {
        Self(id)
    }

    /// The raw primary key, as bound into SQL.
    pub const fn get(self) -> V {
        self.0
    }

    /// The same id, without its type: what a connection compares and what goes
    /// into SQL text and keys.
    pub fn erase(self) -> AnyTenantId {
        self.0.erase()
    }
}

impl<V: TenantIdValue> fmt::Display for TenantId<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl<V: TenantIdValue> From<V> for TenantId<V> {
    fn from(id: V) -> Self {
        Self(id)
    }
}

/// The same tenant, whatever the width of its integer.
impl<V: TenantIdValue> PartialEq<AnyTenantId> for TenantId<V> {
    fn eq(&self, other: &AnyTenantId) -> bool {
        self.erase() == *other
    }
}

/// The same tenant, whatever the width of its integer.
impl<V: TenantIdValue> PartialEq<TenantId<V>> for AnyTenantId {
    fn eq(&self, other: &TenantId<V>) -> bool {
        *self == other.erase()
    }
}

impl<V: TenantIdValue> From<TenantId<V>> for AnyTenantId {
    fn from(id: TenantId<V>) -> Self {
        id.erase()
    }
}

/// The Rust types a tenant id can have: `i32` (an `Integer` tenant column), `i64`
/// (`BigInt`) and, with the `uuid` feature, `uuid::Uuid` (`Uuid`).
///
/// Sealed: the tenant filter binds this value, so its type is the library's to
/// choose.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a tenant id",
    label = "tenant ids are `i32`, `i64` or `uuid::Uuid`",
    note = "a tenant id has the type of the tenants table's key: `i32` for `Integer`, `i64` for `BigInt`, `uuid::Uuid` for `Uuid` (feature `uuid`)"
)]
pub trait TenantIdValue:
    sealed::Sealed + Copy + Eq + Ord + Hash + fmt::Debug + fmt::Display + Send + Sync + 'static
{
    /// The type's name in PostgreSQL: `integer`, `bigint` or `uuid`.
    const SQL_TYPE: &'static str;

    /// The value without its type.
    fn erase(self) -> AnyTenantId;

    /// The value back from [`AnyTenantId`], if it is one of this type (an `i32`
    /// from an integer that fits).
    fn from_any(id: AnyTenantId) -> Option<Self>;
}

impl TenantIdValue for i64 {
    const SQL_TYPE: &'static str = "bigint";

    fn erase(self) -> AnyTenantId {
        AnyTenantId::Integer(self)
    }

    fn from_any(id: AnyTenantId) -> Option<Self> {
        match id {
            AnyTenantId::Integer(id) => Some(id),
            #[cfg(feature = "uuid")]
            AnyTenantId::Uuid(_) => None,
        }
    }
}

impl TenantIdValue for i32 {
    const SQL_TYPE: &'static str = "integer";

    fn erase(self) -> AnyTenantId {
        AnyTenantId::Integer(self.into())
    }

    fn from_any(id: AnyTenantId) -> Option<Self> {
        i64::from_any(id).and_then(|id| i32::try_from(id).ok())
    }
}

#[cfg(feature = "uuid")]
impl TenantIdValue for uuid::Uuid {
    const SQL_TYPE: &'static str = "uuid";

    fn erase(self) -> AnyTenantId {
        AnyTenantId::Uuid(self)
    }

    fn from_any(id: AnyTenantId) -> Option<Self> {
        match id {
            AnyTenantId::Uuid(id) => Some(id),
            AnyTenantId::Integer(_) => None,
        }
    }
}

/// `Self`, a context's tenant id type, fits a tenant column holding `Column`:
/// the same type, or an `i32` in a `BigInt` column (the same id, widened).
///
/// Real schemas mix `integer` and `bigint` tenant columns (an `accounts.id`
/// that is `integer`, newer tables whose `account_id` is `bigint`), so an `i32`
/// context opens both; an `i64` context never opens an `Integer` column, where
/// an id could not fit, and a UUID only a UUID column.
#[diagnostic::on_unimplemented(
    message = "a tenant context for `{Self}` ids cannot open a table whose tenant column holds `{Column}`",
    label = "the context's tenant ids are `{Self}`",
    note = "a context's ids are its tenants table's key (`Tenant<i32>`, `Tenant<i64>`, `Tenant<uuid::Uuid>`), a table's are its tenant column's (`Integer`: `i32`, `BigInt`: `i64`, `Uuid`: `uuid::Uuid`); an `i32` context also opens `BigInt` columns",
    note = "when the database's types differ, change the column in the database (`ALTER TABLE .. ALTER COLUMN .. TYPE ..`, then `diesel print-schema`), never only schema.rs"
)]
pub trait WidensTo<Column: TenantIdValue>: TenantIdValue {
    /// The id as the column holds it.
    fn widen(self) -> Column;
}

impl WidensTo<i32> for i32 {
    fn widen(self) -> i32 {
        self
    }
}

impl WidensTo<i64> for i32 {
    fn widen(self) -> i64 {
        self.into()
    }
}

impl WidensTo<i64> for i64 {
    fn widen(self) -> i64 {
        self
    }
}

#[cfg(feature = "uuid")]
impl WidensTo<uuid::Uuid> for uuid::Uuid {
    fn widen(self) -> uuid::Uuid {
        self
    }
}

mod sealed {
    /// Private: only the library's types are tenant ids.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` cannot be a tenant id",
        label = "a type of the application's",
        note = "the tenant filter binds the tenant id, so its type is the library's to choose: tenant ids are `i32` (`Integer`), `i64` (`BigInt`) or `uuid::Uuid` (`Uuid`, feature `uuid`)"
    )]
    pub trait Sealed {}
    impl Sealed for i32 {}
    impl Sealed for i64 {}
    #[cfg(feature = "uuid")]
    impl Sealed for uuid::Uuid {}
}

/// A tenant id of any of the supported types, for what compares or writes ids
/// whatever their type: a connection's check of a query's tenant, the signed
/// setting, keys, claims and the audit log.
///
/// An `i32` and an `i64` with the same value are the same tenant (a database
/// compares `integer` and `bigint` the same way); a UUID is never equal to an
/// integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum AnyTenantId {
    /// An `i32` or `i64` id.
    Integer(i64),
    /// A UUID id.
    #[cfg(feature = "uuid")]
    Uuid(uuid::Uuid),
}

impl AnyTenantId {
    /// The id, if it is an integer.
    pub fn as_integer(self) -> Option<i64> {
        match self {
            Self::Integer(id) => Some(id),
            #[cfg(feature = "uuid")]
            Self::Uuid(_) => None,
        }
    }

    /// Reads back the text [`Display`](fmt::Display) writes, and only that text:
    /// a decimal integer without leading zeros or `+`, or a UUID hyphenated in
    /// lowercase. So that no id has two spellings.
    pub fn parse_canonical(text: &str) -> Option<Self> {
        if let Ok(id) = text.parse::<i64>() {
            return (id.to_string() == text).then_some(Self::Integer(id));
        }
        #[cfg(feature = "uuid")]
        if let Ok(id) = uuid::Uuid::try_parse(text) {
            return (id.hyphenated().to_string() == text).then_some(Self::Uuid(id));
        }
        None
    }
}

impl fmt::Display for AnyTenantId {
    /// A decimal integer, or a UUID hyphenated in lowercase.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Integer(id) => id.fmt(f),
            #[cfg(feature = "uuid")]
            Self::Uuid(id) => id.hyphenated().fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_of_both_widths_are_the_same_tenant() {
        assert_eq!(TenantId::new(7_i32).erase(), TenantId::new(7_i64).erase());
        assert_eq!(i32::from_any(AnyTenantId::Integer(7)), Some(7));
        assert_eq!(i32::from_any(AnyTenantId::Integer(1 << 40)), None);
    }

    #[test]
    fn only_the_canonical_text_parses() {
        for text in ["42", "-7", "0", "9223372036854775807"] {
            assert_eq!(
                AnyTenantId::parse_canonical(text).map(|id| id.to_string()),
                Some(text.to_owned())
            );
        }
        for text in ["+42", "042", "-0", " 42", "", "4 2", "x"] {
            assert_eq!(AnyTenantId::parse_canonical(text), None, "{text:?}");
        }
    }

    #[cfg(feature = "uuid")]
    #[test]
    fn a_uuid_has_one_spelling_and_is_never_an_integer() {
        let id = uuid::Uuid::from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef);
        let text = "01234567-89ab-cdef-0123-456789abcdef";
        assert_eq!(TenantId::new(id).to_string(), text);
        assert_eq!(
            AnyTenantId::parse_canonical(text),
            Some(AnyTenantId::Uuid(id))
        );
        for spelling in [
            "01234567-89AB-CDEF-0123-456789ABCDEF",
            "0123456789abcdef0123456789abcdef",
            "{01234567-89ab-cdef-0123-456789abcdef}",
            "urn:uuid:01234567-89ab-cdef-0123-456789abcdef",
        ] {
            assert_eq!(AnyTenantId::parse_canonical(spelling), None, "{spelling}");
        }
        assert_eq!(i64::from_any(AnyTenantId::Uuid(id)), None);
        assert_eq!(uuid::Uuid::from_any(AnyTenantId::Integer(1)), None);
    }
}
