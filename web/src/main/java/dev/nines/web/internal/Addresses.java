package dev.nines.web.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** Parses literal IP addresses. Never consults DNS: a client-supplied name is not an address. */
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
