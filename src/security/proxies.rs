//! Which address a request comes from. Behind a load balancer every request arrives from the
//! balancer, so rate limits keyed by the peer would count everyone together; `X-Forwarded-For`
//! names the client, but any client can write it. It is read only when the peer is one of the
//! proxies listed in `server.trusted_proxies`, and then the rightmost address that is not a
//! trusted proxy is the client (each proxy appends the address it received from).

use std::net::IpAddr;

use ipnet::IpNet;

/// The proxies whose `X-Forwarded-For` is believed.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Reads `server.trusted_proxies`: addresses (`10.0.0.7`, `::1`) or networks (`10.0.0.0/8`).
    pub fn parse(list: &[String]) -> Result<TrustedProxies, String> {
        let mut nets = Vec::new();
        for entry in list.iter().map(|e| e.trim()).filter(|e| !e.is_empty()) {
            let net = match entry.parse::<IpNet>() {
                Ok(net) => net,
                Err(_) => entry
                    .parse::<IpAddr>()
                    .map(IpNet::from)
                    .map_err(|_| format!("{entry:?} is neither an IP address nor a network"))?,
            };
            nets.push(net);
        }
        Ok(TrustedProxies(nets))
    }

    /// True when `address` is one of the trusted proxies.
    pub fn trusts(&self, address: IpAddr) -> bool {
        let address = address.to_canonical();
        self.0.iter().any(|net| net.contains(&address))
    }

    /// The client behind `peer`, given the `X-Forwarded-For` header values in the order they came:
    /// the peer itself unless it is trusted; else the rightmost forwarded address that is not
    /// trusted. An entry that is not an address stops the walk at the hop that wrote it.
    pub fn client(&self, peer: IpAddr, forwarded_for: &[&str]) -> IpAddr {
        let mut client = peer.to_canonical();
        if !self.trusts(client) {
            return client;
        }
        let hops = forwarded_for
            .iter()
            .flat_map(|v| v.split(','))
            .map(str::trim);
        let hops: Vec<&str> = hops.collect();
        for hop in hops.into_iter().rev() {
            match hop.parse::<IpAddr>() {
                Ok(address) => {
                    client = address.to_canonical();
                    if !self.trusts(client) {
                        return client;
                    }
                }
                Err(_) => return client,
            }
        }
        client
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proxies(list: &[&str]) -> TrustedProxies {
        TrustedProxies::parse(&list.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_forwarded_header_is_ignored() {
        let none = proxies(&[]);
        assert_eq!(
            none.client(ip("198.51.100.9"), &["203.0.113.5"]),
            ip("198.51.100.9")
        );
    }

    #[test]
    fn behind_a_trusted_proxy_the_rightmost_untrusted_address_is_the_client() {
        let lb = proxies(&["10.0.0.0/8", "192.0.2.1"]);
        let forged_then_real = ["6.6.6.6, 203.0.113.5", "10.1.2.3"];
        assert_eq!(
            lb.client(ip("192.0.2.1"), &forged_then_real),
            ip("203.0.113.5")
        );
        assert_eq!(
            lb.client(ip("::ffff:10.0.0.2"), &["203.0.113.5"]),
            ip("203.0.113.5")
        );
    }

    #[test]
    fn an_untrusted_peer_or_a_garbled_header_does_not_move_the_client() {
        let lb = proxies(&["10.0.0.1"]);
        assert_eq!(
            lb.client(ip("198.51.100.9"), &["203.0.113.5"]),
            ip("198.51.100.9")
        );
        assert_eq!(
            lb.client(ip("10.0.0.1"), &["203.0.113.5, not-an-address"]),
            ip("10.0.0.1")
        );
        assert_eq!(lb.client(ip("10.0.0.1"), &[]), ip("10.0.0.1"));
    }

    #[test]
    fn a_malformed_entry_in_the_setting_is_named() {
        let error = TrustedProxies::parse(&["10.0.0.0/33".to_string()]).unwrap_err();
        assert!(error.contains("10.0.0.0/33"), "{error}");
        assert!(TrustedProxies::parse(&[" ".to_string()]).is_ok());
    }
}
