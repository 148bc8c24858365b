//! Telling clients apart by address, for whatever counts per client (denials in
//! the audit log, an application's login throttle).

use std::net::IpAddr;

/// The address `address` counts under as one client: an IPv4 address (an
/// IPv4-mapped IPv6 address included) itself, an IPv6 address its /64, the
/// share one subscriber is usually given (counting a whole /64 as one keeps a
/// client from getting a fresh count with each of its addresses).
pub fn client_key(address: IpAddr) -> IpAddr {
    match address.to_canonical() {
        IpAddr::V6(v6) => {
            let prefix = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(prefix.into())
        }
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ipv6_client_is_its_64_and_a_mapped_ipv4_client_its_address() {
        let key = |text: &str| client_key(text.parse().unwrap());
        assert_eq!(key("2001:db8:1:2::1"), key("2001:db8:1:2:ffff::9"));
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
        assert_eq!(key("::ffff:192.0.2.7"), key("192.0.2.7"));
        assert_ne!(key("192.0.2.7"), key("192.0.2.8"));
    }
}
