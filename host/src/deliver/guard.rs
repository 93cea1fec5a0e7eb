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
        if self.allow_private || self.allowed(ip) {
            return true;
        }
        match ip {
            IpAddr::V4(v4) => !is_internal_v4(v4),
            IpAddr::V6(v6) => match carried_v4(v6) {
                // An address that only wraps an IPv4 one is judged as that address.
                Some(v4) => self.permits(IpAddr::V4(v4)),
                None => {
                    !is_internal_v6(v6)
                        && tunnelled_v4(v6)
                            .iter()
                            .all(|v4| self.permits(IpAddr::V4(*v4)))
                }
            },
        }
    }

    fn allowed(&self, ip: IpAddr) -> bool {
        self.allow.iter().any(|net| net.contains(&ip))
    }
}

/// The IPv4 address an IPv4-mapped (`::ffff:0:0/96`) or IPv4-compatible (`::/96`) address
/// stands for.
fn carried_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return Some(v4);
    }
    let s = ip.segments();
    // `::` and `::1` are IPv6's own unspecified and loopback addresses.
    (s[..6] == [0; 6] && !ip.is_unspecified() && !ip.is_loopback()).then(|| low_v4(ip))
}

/// IPv4 addresses reached through an IPv6 translation or tunnel: 6to4 (`2002::/16`), NAT64
/// (`64:ff9b::/96`) and Teredo (`2001::/32`: its server, and its obfuscated client).
fn tunnelled_v4(ip: Ipv6Addr) -> Vec<Ipv4Addr> {
    let s = ip.segments();
    let v4 = |hi: u16, lo: u16| Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo));
    match s {
        [0x2002, a, b, ..] => vec![v4(a, b)],
        [0x0064, 0xff9b, 0, 0, 0, 0, ..] => vec![low_v4(ip)],
        [0x2001, 0x0000, a, b, ..] => vec![v4(a, b), Ipv4Addr::from(!u32::from(low_v4(ip)))],
        _ => Vec::new(),
    }
}

fn low_v4(ip: Ipv6Addr) -> Ipv4Addr {
    let o = ip.octets();
    Ipv4Addr::new(o[12], o[13], o[14], o[15])
}

/// Host names that stand for internal places whatever DNS says (used when a proxy, not
/// hookshape, resolves names).
pub(crate) fn is_internal_name(host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let suffixes = [
        ".localhost",
        ".local",
        ".internal",
        ".localdomain",
        ".home.arpa",
        ".lan",
    ];
    host == "localhost"
        || host == "metadata"
        || !host.contains('.')
        || suffixes.iter().any(|s| host.ends_with(s))
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
        || (first == 0x0064 && ip.segments()[1] == 0xff9b && ip.segments()[2] == 1) // local NAT64
        || (first == 0x2001 && ip.segments()[1] < 0x0200 && ip.segments()[1] != 0) // IETF protocol space
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
            "::127.0.0.1",
            "::10.0.0.1",
            "2002:7f00:1::",
            "2002:a9fe:a9fe::1",
            "64:ff9b::127.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "64:ff9b:1::1",
            // Teredo: server 65.54.227.120 (public), client 127.0.0.1 (obfuscated).
            "2001:0:4136:e378:8000:63bf:80ff:fffe",
            // Teredo: server 10.0.0.1.
            "2001:0:a00:1::1",
        ] {
            assert!(!g.permits(ip(bad)), "{bad} must be refused");
        }
        for good in [
            "93.184.216.34",
            "1.1.1.1",
            "2606:4700:4700::1111",
            "::ffff:1.1.1.1",
            "2002:0101:0101::1",
            "64:ff9b::1.1.1.1",
        ] {
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

    #[test]
    fn internal_names_are_known_by_name() {
        for bad in [
            "localhost",
            "a.localhost",
            "metadata.google.internal",
            "printer.local",
            "intranet",
        ] {
            assert!(is_internal_name(bad), "{bad}");
        }
        for good in ["example.com", "hooks.example.org."] {
            assert!(!is_internal_name(good), "{good}");
        }
    }
}
