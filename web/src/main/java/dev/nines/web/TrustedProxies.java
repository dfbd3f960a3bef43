package dev.nines.web;

import dev.nines.web.internal.Addresses;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The address ranges of the reverse proxies a service sits behind. Forwarding headers
 * ({@code Forwarded}, {@code X-Forwarded-For}) and priority headers are believed only when they
 * come from one of these; anyone else could write them to pick their own client key.
 *
 * <p>Immutable and thread-safe. Ranges are written as addresses or CIDR blocks:
 * {@code "10.0.0.0/8"}, {@code "127.0.0.1"}, {@code "::1/128"}. Only literal addresses are
 * accepted, parsed by nines itself: an IPv4 dotted quad without leading zeros, or an IPv6 address
 * as in RFC 4291 (optionally in brackets, without a zone id). Nothing is looked up in DNS, and text
 * that merely looks like an address ({@code ".:1"}, {@code "..::"}) is refused.
 */
public final class TrustedProxies {

    private static final TrustedProxies NONE = new TrustedProxies(List.of());

    private final List<Range> ranges;

    private TrustedProxies(List<Range> ranges) {
        this.ranges = ranges;
    }

    /** Trusts no proxy: forwarding headers are always ignored. */
    public static TrustedProxies none() {
        return NONE;
    }

    /**
     * Trusts the given addresses and CIDR ranges.
     *
     * @throws IllegalArgumentException naming the entry when one is not a literal address or range
     */
    public static TrustedProxies of(String... cidrs) {
        Objects.requireNonNull(cidrs, "cidrs");
        List<Range> ranges = new ArrayList<>();
        for (String cidr : cidrs) {
            ranges.add(Range.parse(Objects.requireNonNull(cidr, "cidr")));
        }
        return new TrustedProxies(List.copyOf(ranges));
    }

    /** Whether {@code address} is one of the trusted proxies. */
    public boolean isTrusted(InetAddress address) {
        if (address == null) {
            return false;
        }
        byte[] bytes = address.getAddress();
        for (Range r : ranges) {
            if (r.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "TrustedProxies" + ranges;
    }

    /** One CIDR block. */
    private record Range(byte[] network, int prefix, String text) {

        static Range parse(String text) {
            String trimmed = text.trim();
            int slash = trimmed.indexOf('/');
            String host = slash < 0 ? trimmed : trimmed.substring(0, slash);
            byte[] network = Addresses.literal(host).map(InetAddress::getAddress)
                    .orElseThrow(() -> new IllegalArgumentException(
                            "trusted proxy must be an IP address or CIDR range but was '" + text + "'"));
            int maxPrefix = network.length * 8;
            int prefix = maxPrefix;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(trimmed.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > maxPrefix) {
                    throw new IllegalArgumentException("trusted proxy prefix length must be 0.." + maxPrefix
                            + " but was '" + text + "'");
                }
            }
            return new Range(network, prefix, trimmed);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Range r && r.prefix == prefix && Arrays.equals(r.network, network);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(network) * 31 + prefix;
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
