package dev.nines.spring.boot.autoconfigure.web.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Parses the remote address a servlet container reports, as an IP literal only: never a DNS
 * lookup, whatever the text (a container configured to resolve host names, a proxy module that
 * rewrites the address). Stateless and thread-safe.
 */
final class Literals {

    private Literals() {
    }

    /** The address {@code text} spells, or null when it is not an IPv4 dotted quad or an IPv6 literal. */
    static InetAddress address(String text) {
        if (text.isEmpty() || !(text.indexOf(':') >= 0 ? isIpv6Shaped(text) : isDottedQuad(text))) {
            return null;
        }
        try {
            // only literals get here: with a ':' the JDK parses an IPv6 literal and looks nothing up,
            // and a checked dotted quad is parsed as IPv4
            return InetAddress.getByName(text);
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }

    private static boolean isIpv6Shaped(String text) {
        String s = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c == ':' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDottedQuad(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
                return false;
            }
            for (int i = 0; i < p.length(); i++) {
                if (p.charAt(i) < '0' || p.charAt(i) > '9') {
                    return false;
                }
            }
            if (Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }
}
