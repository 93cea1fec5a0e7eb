//! The SSRF guard: which addresses hookshape may connect to.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::IpNet;

/// Decides whether an address may be connected to. Internal addresses (loopback, private,
/// link-local, unique-local, unspecified, …) are refused unless allowed explicitly.
#[derive(Debug, Clone, Default)]
pub struct AddressGuard {
    /// Allow every address (development only).
    pub allow_private: bool,
    /// Networks allowed even though they are internal (e.g. `127.0.0.1/32` in tests).
    pub allow: Vec<IpNet>,
}

impl AddressGuard {
    pub fn permits(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.allow_private || self.allow.iter().any(|net| net.contains(&ip)) || !is_internal(ip)
    }
}

/// IPv4-mapped and -compatible IPv6 addresses are judged as the IPv4 address they carry.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

fn is_internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_internal_v4(v4),
        IpAddr::V6(v6) => is_internal_v6(v6),
    }
}

fn is_internal_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0 // "this network"
        || (a == 100 && (64..128).contains(&b)) // shared address space (carrier NAT)
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240 // reserved
}

fn is_internal_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00 // unique local fc00::/7
        || (first & 0xffc0) == 0xfe80 // link local fe80::/10
        || (first == 0x2001 && ip.segments()[1] == 0x0db8) // documentation
        || (first == 0x0064 && ip.segments()[1] == 0xff9b) // NAT64 may reach internal v4
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    #[test]
    fn internal_addresses_are_refused_by_default() {
        let g = AddressGuard::default();
        for bad in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
        ] {
            assert!(!g.permits(ip(bad)), "{bad} must be refused");
        }
        for good in ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"] {
            assert!(g.permits(ip(good)), "{good} must be allowed");
        }
    }

    #[test]
    fn allow_lists_and_the_dev_flag_open_the_guard() {
        let g = AddressGuard {
            allow_private: false,
            allow: vec!["127.0.0.1/32".parse().expect("net")],
        };
        assert!(g.permits(ip("127.0.0.1")));
        assert!(g.permits(ip("::ffff:127.0.0.1")));
        assert!(!g.permits(ip("127.0.0.2")));
        let open = AddressGuard {
            allow_private: true,
            allow: vec![],
        };
        assert!(open.permits(ip("10.0.0.1")));
    }
}
