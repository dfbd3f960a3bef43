package dev.nines.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.Priority;
import dev.nines.web.internal.Addresses;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Property-based fuzzing of what a client writes and nines parses: forwarding headers, header and
 * principal client keys, the priority header. Whatever arrives, no exception escapes, nothing is
 * looked up in DNS (the test JVM's name service is {@code dns-canary.hosts}, where every name
 * generated here "resolves" to {@value #CANARY}), and the key is the peer or one of the literal
 * addresses the header holds. jqwik prints the seed of any failing try.
 */
class HeaderParsersFuzzTest {

    private static final String CANARY = "203.0.113.66";
    private static final List<String> CANARY_NAMES = List.of(".:1", ".1:2", "..::", ":::", ".1", "1.2.3", "1.2.3.4.5",
            "1:2:3", "evil.example", "proxy.internal", "unknown", "_hidden", "1.2.3.4x");

    private static final TrustedProxies TRUSTED = TrustedProxies.of("10.0.0.0/8", "fd00::/8");

    /** One hop a proxy chain could have written: its text, and the address it is, if it is one. */
    record Hop(String text, Optional<InetAddress> address) {
        @Override
        public String toString() {
            return "'" + text + "'";
        }
    }

    // ---- forwarding headers: an exact oracle for well-formed chains with garbage hops ----

    @Property(tries = 1000)
    void xForwardedForNamesTheFirstUntrustedHopFromTheRightOrStopsAtGarbage(@ForAll("peers") InetAddress peer,
            @ForAll("chains") List<Hop> hops, @ForAll("separators") String separator) {
        String header = hops.stream().map(Hop::text).collect(Collectors.joining(separator));
        FakeRequest request = request(peer).header("X-Forwarded-For", header);

        String key = ClientKeyResolver.forwarded(TRUSTED).resolve(request);

        assertEquals(Addresses.key(expectedClient(peer, hops), 64), key, header);
        assertNotEquals(CANARY, key, "a name was looked up");
    }

    @Property(tries = 1000)
    void forwardedNamesTheFirstUntrustedHopFromTheRightOrStopsAtGarbage(@ForAll("peers") InetAddress peer,
            @ForAll("chains") List<Hop> hops, @ForAll boolean quoted, @ForAll boolean withProto) {
        List<String> elements = new ArrayList<>();
        for (Hop hop : hops) {
            String value = quoted || hop.text().contains(":") || hop.text().contains("[") ? '"' + hop.text() + '"'
                    : hop.text();
            elements.add((withProto ? "proto=https;" : "") + "for=" + value + (withProto ? ";by=_gw" : ""));
        }
        String header = String.join(", ", elements);
        FakeRequest request = request(peer).header("Forwarded", header);

        String key = ClientKeyResolver.forwarded(TRUSTED, ForwardingHeader.FORWARDED).resolve(request);

        assertEquals(Addresses.key(expectedClient(peer, hops), 64), key, header);
    }

    /** The specification, written out: right to left past trusted proxies, stopping at what is not an address. */
    private static InetAddress expectedClient(InetAddress peer, List<Hop> hops) {
        if (!TRUSTED.isTrusted(peer)) {
            return peer;
        }
        InetAddress client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            Optional<InetAddress> hop = hops.get(i).address();
            if (hop.isEmpty()) {
                return client;
            }
            client = hop.get();
            if (!TRUSTED.isTrusted(client)) {
                return client;
            }
        }
        return client;
    }

    // ---- forwarding headers: arbitrary text ----

    @Property(tries = 1000)
    void anyForwardingHeaderTextGivesThePeerOrALiteralItHolds(@ForAll("peers") InetAddress peer,
            @ForAll("noise") String noise, @ForAll boolean rfc7239) {
        ForwardingHeader which = rfc7239 ? ForwardingHeader.FORWARDED : ForwardingHeader.X_FORWARDED_FOR;
        FakeRequest request = request(peer).header(which.headerName(), noise);

        String key = ClientKeyResolver.forwarded(TRUSTED, which, 128).resolve(request); // never throws

        assertNotEquals(CANARY, key, "a name was looked up");
        Set<String> allowed = new HashSet<>();
        allowed.add(Addresses.key(peer, 128));
        for (String token : noise.split("[,;=\"\\s]+")) { // every piece the parser could have taken for a hop
            literalIn(token).ifPresent(a -> allowed.add(Addresses.key(a, 128)));
        }
        assertTrue(allowed.contains(key), () -> key + " is neither the peer nor a literal in '" + noise + "': " + allowed);
    }

    /** The address in one token, as a hop may write it: bare, bracketed, with a port. */
    private static Optional<InetAddress> literalIn(String token) {
        String t = token.trim();
        if (t.startsWith("[") && t.indexOf(']') > 0) {
            t = t.substring(1, t.indexOf(']'));
        } else if (t.indexOf(':') > 0 && t.indexOf(':') == t.lastIndexOf(':')) {
            t = t.substring(0, t.indexOf(':'));
        }
        return Addresses.literal(t);
    }

    // ---- client keys from a header or the principal ----

    @Property(tries = 500)
    void aHeaderKeyIsTheTrimmedValueOrTheFallback(@ForAll("peers") InetAddress peer, @ForAll("noise") String value) {
        ClientKeyResolver apiKey = ClientKeyResolver.header("X-Api-Key", ClientKeyResolver.remoteAddress());
        String key = apiKey.resolve(request(peer).header("X-Api-Key", value));
        assertEquals(value.isBlank() ? Addresses.key(peer, 64) : "key:" + value.trim(), key);
    }

    @Property(tries = 500)
    void aPrincipalKeyIsThePrefixedNameOrTheFallback(@ForAll("peers") InetAddress peer, @ForAll("noise") String name) {
        String key = ClientKeyResolver.principal(ClientKeyResolver.remoteAddress()).resolve(request(peer).principal(name));
        assertEquals(name.isBlank() ? Addresses.key(peer, 64) : "user:" + name, key);
    }

    // ---- the priority header ----

    @Property(tries = 1000)
    void aPriorityHeaderCountsOnlyFromATrustedPeerAndOnlyWhenItNamesAPriority(@ForAll("peers") InetAddress peer,
            @ForAll("priorities") String value) throws Exception {
        EndpointGuard guard = EndpointGuard.builder("fuzz").priority(Priority.P2)
                .priorityHeader("X-Priority", TRUSTED).build();
        AtomicReference<Priority> seen = new AtomicReference<>();

        guard.handle(new Exchange(request(peer).header("X-Priority", value)), context -> {
            seen.set(context.priority().orElseThrow());
            return null;
        });

        Priority expected = Priority.P2;
        if (TRUSTED.isTrusted(peer)) {
            String v = value.trim().toUpperCase(Locale.ROOT);
            for (Priority p : Priority.values()) {
                if (v.equals(p.name()) || v.equals(Integer.toString(p.level()))) {
                    expected = p;
                }
            }
        }
        assertEquals(expected, seen.get(), "'" + value + "' from " + peer);
    }

    // ---- generators ----

    @Provide
    Arbitrary<InetAddress> peers() {
        Arbitrary<InetAddress> trusted4 = Arbitraries.integers().between(0, 0xFFFFFF)
                .map(i -> address(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) (int) i}));
        Arbitrary<InetAddress> trusted6 = bytes(16).map(b -> {
            b[0] = (byte) 0xfd;
            return address(b);
        });
        return Arbitraries.oneOf(trusted4, trusted6, ipv4(), ipv6());
    }

    @Provide
    Arbitrary<List<Hop>> chains() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, addressHops()),
                Tuple.of(2, garbageHops()),
                Tuple.of(2, Arbitraries.of(CANARY_NAMES).map(n -> new Hop(n, Optional.empty()))))
                .list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<String> separators() {
        return Arbitraries.of(",", ", ", " ,", " , ", ",\t");
    }

    @Provide
    Arbitrary<String> noise() {
        Arbitrary<String> ascii = Arbitraries.strings().withChars("0123456789abcdefABCDEF.:[]_\"; ,=%/-xX\t")
                .ofMaxLength(60);
        Arbitrary<String> anything = Arbitraries.strings().all().ofMaxLength(40);
        Arbitrary<String> built = chains().map(hops -> hops.stream().map(Hop::text).collect(Collectors.joining(",")));
        Arbitrary<String> forwardedish = chains().map(hops -> hops.stream().map(h -> "for=\"" + h.text() + "\"")
                .collect(Collectors.joining(";")));
        return Arbitraries.oneOf(ascii, anything, built, forwardedish, Arbitraries.of(CANARY_NAMES));
    }

    @Provide
    Arbitrary<String> priorities() {
        Arbitrary<String> words = Arbitraries.of("P0", "P1", "P2", "P3", "p0", "p3", " P1 ", "0", "1", "2", "3", " 3\t",
                "P4", "4", "-1", "P", "", " ", "P00", "03", "P\u0660", "\u0661", "\uff30\uff11", "p\u0131");
        return Arbitraries.oneOf(words, Arbitraries.strings().all().ofMaxLength(8),
                Arbitraries.strings().withChars("Pp0123 \t").ofMaxLength(4));
    }

    private static Arbitrary<Hop> addressHops() {
        Arbitrary<Hop> v4 = ipv4().flatMap(a -> Arbitraries.of(
                new Hop(a.getHostAddress(), Optional.of(a)),
                new Hop(a.getHostAddress() + ":8080", Optional.of(a)),
                new Hop(" " + a.getHostAddress() + " ", Optional.of(a))));
        Arbitrary<Hop> trustedV4 = Arbitraries.integers().between(0, 255)
                .map(i -> address(new byte[] {10, 0, 0, (byte) (int) i}))
                .map(a -> new Hop(a.getHostAddress(), Optional.of(a)));
        Arbitrary<Hop> v6 = ipv6().flatMap(a -> {
            String full = a.getHostAddress();              // 2001:db8:0:0:0:0:0:1
            String compressed = compress(full);            // 2001:db8::1
            return Arbitraries.of(new Hop(full, Optional.of(a)), new Hop(compressed, Optional.of(a)),
                    new Hop("[" + compressed + "]", Optional.of(a)), new Hop("[" + compressed + "]:443", Optional.of(a)),
                    new Hop(compressed.toUpperCase(Locale.ROOT), Optional.of(a)));
        });
        return Arbitraries.oneOf(v4, trustedV4, v6);
    }

    /** Never an address: a literal can neither start with a dot nor be obfuscated. */
    private static Arbitrary<Hop> garbageHops() {
        Arbitrary<String> dotted = Arbitraries.strings().withChars("0123456789abcdef.:").ofMaxLength(12).map(s -> "." + s);
        Arbitrary<String> obfuscated = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8).map(s -> "_" + s);
        Arbitrary<String> bracketed = Arbitraries.strings().withChars("0123456789.:").ofMaxLength(12)
                .map(s -> "[." + s + "]");
        Arbitrary<String> zoned = ipv6().map(a -> compress(a.getHostAddress()) + "%eth0");
        Arbitrary<String> leadingZero = ipv4().map(a -> "0" + a.getHostAddress());
        return Arbitraries.oneOf(dotted, obfuscated, bracketed, zoned, leadingZero).map(s -> new Hop(s, Optional.empty()));
    }

    private static Arbitrary<InetAddress> ipv4() {
        return bytes(4).map(HeaderParsersFuzzTest::address);
    }

    private static Arbitrary<InetAddress> ipv6() {
        // skip the IPv4-mapped block, which the JDK (and so nines) reads as IPv4
        return bytes(16).filter(b -> !isMapped(b)).map(HeaderParsersFuzzTest::address);
    }

    private static boolean isMapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    private static Arbitrary<byte[]> bytes(int n) {
        return Arbitraries.bytes().array(byte[].class).ofSize(n);
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /** The JDK's full form with its first longest run of zero groups (two or more) as "::". */
    private static String compress(String full) {
        String[] groups = full.split(":");
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < groups.length; i++) {
            int j = i;
            while (j < groups.length && groups[j].equals("0")) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
        }
        if (bestStart < 0) {
            return full;
        }
        String head = String.join(":", List.of(groups).subList(0, bestStart));
        String tail = String.join(":", List.of(groups).subList(bestStart + bestLength, groups.length));
        return head + "::" + tail;
    }

    private static FakeRequest request(InetAddress peer) {
        return new FakeRequest(peer.getHostAddress());
    }

    /** Just enough of an exchange for the guard; a rejection would fail the property. */
    private record Exchange(FakeRequest request) implements ServerExchange {
        @Override
        public void addHeader(String name, String value) {
        }

        @Override
        public boolean isCommitted() {
            return false;
        }

        @Override
        public void send(int status, Map<String, String> headers, String contentType, String body) throws IOException {
            throw new AssertionError("refused: " + status + " " + body);
        }
    }
}
