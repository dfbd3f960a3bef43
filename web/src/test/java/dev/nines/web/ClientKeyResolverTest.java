package dev.nines.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientKeyResolverTest {

    private final TrustedProxies proxies = TrustedProxies.of("10.0.0.0/8", "::1");
    private final ClientKeyResolver forwarded = ClientKeyResolver.forwarded(proxies);

    @Test
    void remoteAddressIsTheDefaultKey() {
        assertEquals("203.0.113.9", ClientKeyResolver.remoteAddress().resolve(new FakeRequest("203.0.113.9")
                .header("X-Forwarded-For", "1.2.3.4")));
    }

    @Test
    void forwardingHeadersFromAnUntrustedPeerAreIgnored() {
        FakeRequest spoofed = new FakeRequest("203.0.113.9").header("X-Forwarded-For", "198.51.100.1")
                .header("Forwarded", "for=198.51.100.2");
        assertEquals("203.0.113.9", forwarded.resolve(spoofed));
    }

    @Test
    void xForwardedForIsReadRightToLeftThroughTrustedProxies() {
        FakeRequest viaTwoProxies = new FakeRequest("10.0.0.2")
                .header("X-Forwarded-For", "198.51.100.7, 10.0.0.1");
        assertEquals("198.51.100.7", forwarded.resolve(viaTwoProxies));
    }

    @Test
    void aClientCannotPrependItsWayToAnotherKey() {
        // the client sent "X-Forwarded-For: 1.1.1.1"; our proxy appended the real address
        FakeRequest prepended = new FakeRequest("10.0.0.2").header("X-Forwarded-For", "1.1.1.1, 198.51.100.7");
        assertEquals("198.51.100.7", forwarded.resolve(prepended));
    }

    @Test
    void byDefaultOnlyXForwardedForIsReadAndAForwardedHeaderIsTheClientsOwn() {
        // the proxy appended X-Forwarded-For and passed the client's Forwarded header through
        FakeRequest r = new FakeRequest("10.0.0.2").header("Forwarded", "for=192.0.2.200")
                .header("X-Forwarded-For", "198.51.100.7");
        assertEquals("198.51.100.7", forwarded.resolve(r));
        FakeRequest forwardedOnly = new FakeRequest("10.0.0.2").header("Forwarded", "for=192.0.2.201");
        assertEquals("10.0.0.2", forwarded.resolve(forwardedOnly), "no X-Forwarded-For: the proxy itself");
    }

    @Test
    void theForwardedHeaderWhenChosenHandlesQuotesPortsAndIpv6AndIgnoresXForwardedFor() {
        ClientKeyResolver rfc7239 = ClientKeyResolver.forwarded(proxies, ForwardingHeader.FORWARDED);
        FakeRequest r = new FakeRequest("::1")
                .header("Forwarded", "for=\"[2001:db8:cafe::17]:4711\";proto=https, for=10.1.2.3:8080")
                .header("X-Forwarded-For", "198.51.100.99");
        assertEquals("2001:db8:cafe:0:0:0:0:0/64", rfc7239.resolve(r));
        FakeRequest xffOnly = new FakeRequest("10.0.0.2").header("X-Forwarded-For", "198.51.100.99");
        assertEquals("10.0.0.2", rfc7239.resolve(xffOnly), "X-Forwarded-For is not the chosen header");
    }

    @Test
    void anObfuscatedOrUnknownHopStopsAtTheLastVerifiedHop() {
        ClientKeyResolver rfc7239 = ClientKeyResolver.forwarded(proxies, ForwardingHeader.FORWARDED);
        FakeRequest r = new FakeRequest("10.0.0.2").header("Forwarded", "for=unknown, for=10.0.0.5");
        assertEquals("10.0.0.5", rfc7239.resolve(r));
        FakeRequest named = new FakeRequest("10.0.0.2").header("X-Forwarded-For", "evil.example");
        assertEquals("10.0.0.2", forwarded.resolve(named), "names are never resolved");
    }

    @Test
    void aForwardedHopThatOnlyLooksLikeAnAddressIsGarbageAndIsNeverLookedUp() {
        // each of these "resolves" in the test JVM's hosts file (dns-canary.hosts): a lookup would show
        ClientKeyResolver rfc7239 = ClientKeyResolver.forwarded(proxies, ForwardingHeader.FORWARDED);
        for (String hop : List.of(".:1", ".1:2", "..::", ":::", "1.2.3")) {
            assertEquals("10.0.0.2", forwarded.resolve(new FakeRequest("10.0.0.2").header("X-Forwarded-For", hop)), hop);
            assertEquals("10.0.0.2", rfc7239.resolve(new FakeRequest("10.0.0.2").header("Forwarded", "for=\"[" + hop + "]\"")),
                    hop);
            assertEquals("10.0.0.5", rfc7239.resolve(new FakeRequest("10.0.0.2")
                    .header("Forwarded", "for=" + hop + ", for=10.0.0.5")), "stops at the last verified hop: " + hop);
        }
    }

    @Test
    void aTrustedProxyEntryThatOnlyLooksLikeAnAddressIsRefusedWithoutALookup() {
        for (String entry : List.of(".:1", ".1:2", "..::", ":::/8", "1.2.3", "1.2.3/24", "[10.0.0.1]", "010.0.0.1")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrustedProxies.of(entry),
                    entry);
            assertEquals("trusted proxy must be an IP address or CIDR range but was '" + entry + "'", e.getMessage());
        }
    }

    @Test
    void allTrustedMeansTheOldestHop() {
        FakeRequest r = new FakeRequest("10.0.0.2").header("X-Forwarded-For", "10.9.9.9, 10.0.0.1");
        assertEquals("10.9.9.9", forwarded.resolve(r));
        assertEquals("10.0.0.2", forwarded.resolve(new FakeRequest("10.0.0.2")), "no header: the proxy itself");
    }

    @Test
    void ipv6ClientsAreKeyedByTheirSlash64SoRotatingWithinItBuysNothing() {
        ClientKeyResolver remote = ClientKeyResolver.remoteAddress();
        assertEquals("2001:db8:1:2:0:0:0:0/64", remote.resolve(new FakeRequest("2001:db8:1:2::1")));
        assertEquals("2001:db8:1:2:0:0:0:0/64", remote.resolve(new FakeRequest("2001:db8:1:2:ffff:abcd:1234:9")));
        assertEquals("2001:db8:1:3:0:0:0:0/64", remote.resolve(new FakeRequest("2001:db8:1:3::1")), "another /64");
        assertEquals("203.0.113.9", remote.resolve(new FakeRequest("203.0.113.9")), "IPv4 is keyed whole");
        assertEquals("198.51.100.7", forwarded.resolve(new FakeRequest("::1").header("X-Forwarded-For", "198.51.100.7")));
        assertEquals("2001:db8:1:2:0:0:0:0/64",
                forwarded.resolve(new FakeRequest("10.0.0.2").header("X-Forwarded-For", "2001:db8:1:2::99")));
    }

    @Test
    void theIpv6PrefixIsConfigurable() {
        assertEquals("2001:db8:1:200:0:0:0:0/56",
                ClientKeyResolver.remoteAddress(56).resolve(new FakeRequest("2001:db8:1:2ab::1")));
        assertEquals("2001:db8:0:0:0:0:0:0/33",
                ClientKeyResolver.remoteAddress(33).resolve(new FakeRequest("2001:db8:7fff::1")), "a partial byte");
        assertEquals("2001:db8:1:2:0:0:0:1",
                ClientKeyResolver.remoteAddress(128).resolve(new FakeRequest("2001:db8:1:2::1")), "128: the address");
        assertEquals("2001:db8:1:0:0:0:0:0/48", ClientKeyResolver.forwarded(proxies, ForwardingHeader.X_FORWARDED_FOR, 48)
                .resolve(new FakeRequest("10.0.0.2").header("X-Forwarded-For", "2001:db8:1:ffff::5")));
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> ClientKeyResolver.remoteAddress(0));
        assertEquals("ipv6PrefixLength must be in [1, 128] but was 0", zero.getMessage());
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> ClientKeyResolver.forwarded(proxies, ForwardingHeader.FORWARDED, 129));
        assertEquals("ipv6PrefixLength must be in [1, 128] but was 129", tooLong.getMessage());
    }

    @Test
    void headerKeysArePrefixedAndFallBack() {
        ClientKeyResolver apiKey = ClientKeyResolver.header("X-Api-Key", ClientKeyResolver.remoteAddress());
        assertEquals("key:abc", apiKey.resolve(new FakeRequest("203.0.113.9").header("X-Api-Key", " abc ")));
        assertEquals("203.0.113.9", apiKey.resolve(new FakeRequest("203.0.113.9").header("X-Api-Key", " ")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClientKeyResolver.header(" ", ClientKeyResolver.remoteAddress()));
        assertEquals("header name must not be blank but was ' '", e.getMessage());
    }

    @Test
    void principalKeysArePrefixedAndFallBack() {
        ClientKeyResolver user = ClientKeyResolver.principal(ClientKeyResolver.remoteAddress());
        assertEquals("user:ada", user.resolve(new FakeRequest("203.0.113.9").principal("ada")));
        assertEquals("203.0.113.9", user.resolve(new FakeRequest("203.0.113.9")));
    }

    @Test
    void trustedRangesMatchByPrefix() throws Exception {
        TrustedProxies t = TrustedProxies.of("192.168.4.0/22", "2001:db8::/32");
        assertTrue(t.isTrusted(InetAddress.getByName("192.168.7.255")));
        assertFalse(t.isTrusted(InetAddress.getByName("192.168.8.0")));
        assertTrue(t.isTrusted(InetAddress.getByName("2001:db8:ffff::1")));
        assertFalse(t.isTrusted(InetAddress.getByName("2001:db9::1")));
        assertFalse(TrustedProxies.none().isTrusted(InetAddress.getByName("127.0.0.1")));
    }

    @Test
    void badRangesAreNamed() {
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
                () -> TrustedProxies.of("proxy.internal"));
        assertEquals("trusted proxy must be an IP address or CIDR range but was 'proxy.internal'", name.getMessage());
        IllegalArgumentException prefix = assertThrows(IllegalArgumentException.class,
                () -> TrustedProxies.of("10.0.0.0/33"));
        assertEquals("trusted proxy prefix length must be 0..32 but was '10.0.0.0/33'", prefix.getMessage());
    }
}
