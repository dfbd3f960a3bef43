package dev.nines.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Literal addresses are parsed here, never looked up (the test JVM's name service is a canary hosts file). */
class AddressesTest {

    /** Every name in src/test/resources/dns-canary.hosts maps to this: seeing it means a lookup happened. */
    static final String CANARY = "203.0.113.66";

    @Test
    void textThatOnlyLooksLikeAnAddressIsNotOneAndIsNeverLookedUp() {
        for (String garbage : List.of(".:1", ".1:2", "..::", ":::", ".1", "1.2.3", "1.2.3.4.5", "1:2:3", "[.1:2]",
                "[..::]", "evil.example", "1.2.3.4x", "[1.2.3.4]", "010.0.0.1", "256.0.0.1", "1::2::3", ":1::",
                "1::2:", "1:2:3:4:5:6:7:8:9", "1::2:3:4:5:6:7:8", "fe80::1%eth0", "::ffff:1.2.3", "12345::",
                "\u0661.2.3.4", "\uff21::1", "", "[]", " ")) {
            assertTrue(Addresses.literal(garbage).isEmpty(), () -> "'" + garbage + "' is not a literal address but was "
                    + Addresses.literal(garbage).orElseThrow());
        }
    }

    @Test
    void literalsParseToTheSameAddressTheJdkReads() throws Exception {
        for (String literal : List.of("0.0.0.0", "192.0.2.1", "255.255.255.255", "::", "::1", "1::", "2001:db8::1",
                "2001:DB8:0:0:8:800:200C:417A", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8",
                "::ffff:192.0.2.1", "::192.0.2.1", "64:ff9b::192.0.2.33", "1:2:3:4:5:6:1.2.3.4", "[2001:db8::1]",
                " 10.0.0.1 ")) {
            String trimmed = literal.trim();
            InetAddress jdk = InetAddress.getByName(trimmed); // a true literal: the JDK parses it without a lookup
            assertEquals(jdk, Addresses.literal(literal).orElseThrow(() -> new AssertionError(literal)), literal);
        }
    }

    /**
     * The only way to DNS from the web layer would be one of the JDK's name-resolving methods: none
     * is referenced by any class of the module, so only literal parsing is reachable.
     */
    @Test
    void noWebClassCallsAMethodThatCanResolveAName() throws IOException, URISyntaxException {
        Path classes = Path.of(Addresses.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String constants;
                try (InputStream in = Files.newInputStream(f)) {
                    constants = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                }
                for (String resolving : List.of("getByName", "getAllByName", "getHostName", "getCanonicalHostName",
                        "getLocalHost", "createUnresolved")) {
                    if (constants.contains(resolving)) {
                        offenders.add(classes.relativize(f) + " refers to " + resolving);
                    }
                }
            }
        }
        assertFalse(classes.toString().isEmpty());
        assertEquals(List.of(), offenders);
    }
}
