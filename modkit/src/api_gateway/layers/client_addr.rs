//! The client's address: the peer's, unless the peer is a trusted proxy, in which case the
//! nearest untrusted hop that `Forwarded` (RFC 7239) or `X-Forwarded-For` names.
//!
//! Those headers are written by whoever sends the request, so they are believed only
//! from `trusted_proxies`, and read right to left: each trusted proxy appends the address
//! it got the request from, so the rightmost hop that is not a trusted proxy is the first
//! one that no trusted party vouches beyond.

use std::net::IpAddr;

use axum::http::HeaderMap;
use ipnet::IpNet;

/// The networks whose forwarding headers are believed (`trusted_proxies`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct TrustedProxies {
    networks: Vec<IpNet>,
}

impl TrustedProxies {
    pub(crate) fn new(networks: Vec<IpNet>) -> Self {
        Self { networks }
    }

    fn trusts(&self, addr: IpAddr) -> bool {
        self.networks.iter().any(|net| net.contains(&addr))
    }

    /// The client's address for a request from `peer` with `headers`.
    pub(crate) fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let hops = forwarded_hops(headers);
        let mut client = peer;
        for hop in hops.iter().rev() {
            match hop {
                // A hop that is not an address (`unknown`, an obfuscated name): nothing
                // beyond it can be placed, so the last trusted hop is the client.
                None => return client,
                Some(addr) if self.trusts(*addr) => client = *addr,
                Some(addr) => return *addr,
            }
        }
        client
    }
}

/// The hops of `Forwarded` (its `for=` values) if present, else of `X-Forwarded-For`,
/// left (farthest) to right (nearest); `None` for a hop that is not an address.
fn forwarded_hops(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let forwarded: Vec<&str> = headers
        .get_all("forwarded")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    if !forwarded.is_empty() {
        return forwarded
            .iter()
            .flat_map(|value| value.split(','))
            .map(|element| {
                element
                    .split(';')
                    .filter_map(|pair| pair.trim().split_once('='))
                    .find(|(name, _)| name.eq_ignore_ascii_case("for"))
                    .and_then(|(_, value)| parse_node(value))
            })
            .collect();
    }
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(parse_node)
        .collect()
}

/// `192.0.2.1`, `"192.0.2.1:4711"`, `"[2001:db8::1]:4711"` or `2001:db8::1` as an address.
fn parse_node(node: &str) -> Option<IpAddr> {
    let node = node.trim().trim_matches('"');
    if let Ok(addr) = node.parse() {
        return Some(addr);
    }
    if let Some(rest) = node.strip_prefix('[') {
        return rest.split_once(']')?.0.parse().ok();
    }
    node.rsplit_once(':')?.0.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn proxies() -> TrustedProxies {
        TrustedProxies::new(vec![
            "10.0.0.0/8".parse().unwrap(),
            "::1/128".parse().unwrap(),
        ])
    }

    fn headers(name: &'static str, value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(name, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn headers_from_an_untrusted_peer_are_ignored() {
        let peer: IpAddr = "198.51.100.7".parse().unwrap();
        let forged = headers("x-forwarded-for", "203.0.113.9");
        assert_eq!(proxies().client(peer, &forged), peer);
    }

    #[test]
    fn the_rightmost_untrusted_hop_is_the_client() {
        let peer: IpAddr = "10.0.0.2".parse().unwrap();
        // The client made up `1.1.1.1`; the proxies at 10.0.0.1 and 10.0.0.2 saw 203.0.113.9.
        let chain = headers("x-forwarded-for", "1.1.1.1, 203.0.113.9, 10.0.0.1");
        assert_eq!(
            proxies().client(peer, &chain),
            "203.0.113.9".parse::<IpAddr>().unwrap()
        );
        let forwarded = headers(
            "forwarded",
            "for=1.1.1.1, for=\"[2001:db8::9]:4711\";proto=https, for=10.0.0.1",
        );
        assert_eq!(
            proxies().client(peer, &forwarded),
            "2001:db8::9".parse::<IpAddr>().unwrap()
        );
        let unknown = headers("forwarded", "for=unknown, for=10.0.0.1");
        assert_eq!(
            proxies().client(peer, &unknown),
            "10.0.0.1".parse::<IpAddr>().unwrap()
        );
        assert_eq!(proxies().client(peer, &HeaderMap::new()), peer);
    }
}
