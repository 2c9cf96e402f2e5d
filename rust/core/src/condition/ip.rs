//! IP address condition values (R11 IpAddress / NotIpAddress).
//!
//! Parsing uses the standard library, which agrees with Python's `ipaddress` on the forms checked in the
//! tests (no leading zeros in IPv4 octets, IPv6 with an embedded IPv4 tail, `::` standing for at least one
//! group); a zone index (`%`) and a prefix are excluded before parsing, as in the reference.

use std::net::IpAddr;

/// A network `address/prefix` (host bits masked off).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Network {
    /// IPv4 network: address bits and prefix length.
    V4(u32, u8),
    /// IPv6 network: address bits and prefix length.
    V6(u128, u8),
}

impl Network {
    /// Whether the address is in the network (same IP version only).
    #[must_use]
    pub fn contains(&self, address: IpAddr) -> bool {
        match (self, address) {
            (Self::V4(net, prefix), IpAddr::V4(a)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(*prefix)).unwrap_or(0);
                u32::from(a) & mask == *net
            }
            (Self::V6(net, prefix), IpAddr::V6(a)) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(*prefix)).unwrap_or(0);
                u128::from(a) & mask == *net
            }
            _ => false,
        }
    }

    /// Whether the prefix length is at least `v4` (IPv4) or `v6` (IPv6) bits (R20c).
    #[must_use]
    pub const fn prefix_at_least(&self, v4: u8, v6: u8) -> bool {
        match *self {
            Self::V4(_, prefix) => prefix >= v4,
            Self::V6(_, prefix) => prefix >= v6,
        }
    }
}

/// R11 IpAddress request value: one IPv4 or IPv6 address (no prefix, no zone index).
#[must_use]
pub fn read_address(text: &str) -> Option<IpAddr> {
    if text.contains(['%', '/']) {
        return None;
    }
    text.parse().ok()
}

/// R11 IpAddress policy value: `address` or `address/prefix` (1-3 digits); host bits may be set.
#[must_use]
pub fn read_network(text: &str) -> Option<Network> {
    let (address, prefix) = match text.split_once('/') {
        Some((address, prefix)) => (address, Some(prefix)),
        None => (text, None),
    };
    if address.is_empty() || address.contains('%') {
        return None;
    }
    let address = read_address(address)?;
    let max = if address.is_ipv4() { 32 } else { 128 };
    let prefix: u8 = match prefix {
        None => max,
        Some(p) if (1..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()) => p.parse().ok()?,
        Some(_) => return None,
    };
    if prefix > max {
        return None;
    }
    Some(match address {
        IpAddr::V4(a) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            Network::V4(u32::from(a) & mask, prefix)
        }
        IpAddr::V6(a) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            Network::V6(u128::from(a) & mask, prefix)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_r11_ip_forms_agree_with_python_ipaddress() {
        // Answers of Python 3.11's ipaddress.ip_address for each form.
        let cases = [
            ("1:2:3:4:5:6:7::", true),
            ("::1:2:3:4:5:6:7", true),
            ("1::2:3:4:5:6:7:8", false),
            ("::1.2.3.4", true),
            ("1:2:3:4:5:6:1.2.3.4", true),
            ("::ffff:01.2.3.4", false),
            ("1.2.3", false),
            ("01.2.3.4", false),
            ("::", true),
            ("0::0", true),
            ("1:2:3:4:5:6:7:8", true),
            ("::ffff:1.2.3.4:1", false),
            ("12345::", false),
            ("1:2:3:4:5:6:7:8:9", false),
            (":1::", false),
            ("1::2::3", false),
            ("[::1]", false),
            ("1.2.3.4 ", false),
            (" 1.2.3.4", false),
            ("::1.2.3", false),
            ("00001::", false),
            ("1:2:3:4:5:6::1.2.3.4", false),
            ("1:2:3:4:5::1.2.3.4", true),
        ];
        for (text, ok) in cases {
            assert_eq!(read_address(text).is_some(), ok, "{text}");
        }
    }

    #[test]
    fn test_r11_networks_mask_host_bits() {
        let net = read_network("10.1.2.3/24");
        assert_eq!(net, read_network("10.1.2.0/024"));
        let ip = read_address("10.1.2.200");
        assert!(net.zip(ip).is_some_and(|(n, a)| n.contains(a)));
        assert!(read_network("0.0.0.0/0").zip(read_address("::1")).is_some_and(|(n, a)| !n.contains(a)));
        assert_eq!(read_network("10.0.0.0/33"), None);
        assert_eq!(read_network("10.0.0.0/"), None);
        assert_eq!(read_network("10.0.0.0/1000"), None);
        assert!(read_network("::/0").is_some());
    }
}
