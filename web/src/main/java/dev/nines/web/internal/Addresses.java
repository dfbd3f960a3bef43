package dev.nines.web.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Parses literal IP addresses and turns addresses into client keys. Never consults DNS: a
 * client-supplied name is not an address. Stateless and thread-safe.
 */
public final class Addresses {

    private Addresses() {
    }

    /** {@code 192.0.2.1}, {@code 2001:db8::1} or {@code [2001:db8::1]} as an address; empty otherwise. */
    public static Optional<InetAddress> literal(String text) {
        String h = text.trim();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        boolean ipv6 = h.indexOf(':') >= 0 && h.chars().allMatch(Addresses::isIpv6Char);
        if (!ipv6 && !isIpv4(h)) {
            return Optional.empty();
        }
        try {
            // with a dotted quad or a colon in it, InetAddress parses a literal and does no lookup
            return Optional.of(InetAddress.getByName(h));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /**
     * The client key of {@code address}: an IPv4 address as written ({@code 192.0.2.1}); an IPv6
     * address by its first {@code ipv6PrefixLength} bits ({@code 2001:db8:0:0:0:0:0:0/64}), or as
     * written when that is 128; {@code "unknown"} for {@code null}.
     */
    public static String key(InetAddress address, int ipv6PrefixLength) {
        if (address == null) {
            return "unknown";
        }
        if (!(address instanceof Inet6Address) || ipv6PrefixLength >= 128) {
            return address.getHostAddress();
        }
        byte[] bytes = address.getAddress();
        int full = ipv6PrefixLength / 8;
        int rest = ipv6PrefixLength % 8;
        if (rest != 0) {
            bytes[full] &= (byte) (0xFF << (8 - rest));
            full++;
        }
        Arrays.fill(bytes, full, bytes.length, (byte) 0);
        try {
            return InetAddress.getByAddress(bytes).getHostAddress() + "/" + ipv6PrefixLength;
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException("16 bytes are an IPv6 address", impossible);
        }
    }

    private static boolean isIpv4(String h) {
        String[] parts = h.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpv6Char(int c) {
        return Character.digit(c, 16) >= 0 || c == ':' || c == '.';
    }
}
