package dev.nines.web.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Parses literal IP addresses and turns addresses into client keys. Never consults DNS: the text
 * is parsed here, digit by digit, into the address's bytes, and only those bytes are handed to
 * {@link InetAddress#getByAddress(byte[])}, which looks nothing up. A client-supplied name is not
 * an address, and neither is anything else that merely looks like one ({@code .:1},
 * {@code ..::}). Stateless and thread-safe.
 */
public final class Addresses {

    private static final int IPV4_BYTES = 4;
    private static final int IPV6_BYTES = 16;

    private Addresses() {
    }

    /**
     * {@code 192.0.2.1}, {@code 2001:db8::1} or {@code [2001:db8::1]} as an address; empty for
     * anything else. Surrounding whitespace is ignored. An IPv4 address is a dotted quad of decimal
     * numbers 0..255 without leading zeros (which some parsers read as octal); an IPv6 address is
     * written as in RFC 4291 section 2.2, with at most one {@code ::} and optionally a dotted quad
     * as its last 32 bits, and without a zone id. An IPv4-mapped IPv6 address
     * ({@code ::ffff:192.0.2.1}) comes back as the IPv4 address, as the JDK treats it.
     */
    public static Optional<InetAddress> literal(String text) {
        byte[] bytes = parse(text.trim());
        if (bytes == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByAddress(bytes)); // from bytes: never a lookup
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException("4 or 16 bytes are an IP address", impossible);
        }
    }

    /** The bytes of the literal address {@code h}, or {@code null} if it is not one. */
    private static byte[] parse(String h) {
        if (h.length() >= 2 && h.charAt(0) == '[' && h.charAt(h.length() - 1) == ']') {
            return ipv6(h, 1, h.length() - 1); // brackets only ever hold IPv6
        }
        if (h.indexOf(':') >= 0) {
            return ipv6(h, 0, h.length());
        }
        byte[] v4 = new byte[IPV4_BYTES];
        return ipv4(h, 0, h.length(), v4, 0) ? v4 : null;
    }

    /** Parses a dotted quad in {@code s[from, to)} into {@code out[at, at + 4)}. */
    private static boolean ipv4(String s, int from, int to, byte[] out, int at) {
        int part = 0;
        int i = from;
        while (part < IPV4_BYTES) {
            int start = i;
            int value = 0;
            while (i < to && i - start < 3 && isDigit(s.charAt(i))) {
                value = value * 10 + (s.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || value > 255 || (digits > 1 && s.charAt(start) == '0')) {
                return false;
            }
            out[at + part] = (byte) value;
            part++;
            if (part < IPV4_BYTES) {
                if (i >= to || s.charAt(i) != '.') {
                    return false;
                }
                i++;
            }
        }
        return i == to;
    }

    /** Parses RFC 4291 text in {@code s[from, to)}; {@code null} if it is not an IPv6 address. */
    private static byte[] ipv6(String s, int from, int to) {
        byte[] out = new byte[IPV6_BYTES];
        int filled = 0;      // bytes written so far
        int gap = -1;        // where "::" stands, as a byte index into out
        int i = from;
        if (to - from >= 2 && s.charAt(i) == ':' && s.charAt(i + 1) == ':') {
            gap = 0;
            i += 2;
        } else if (i < to && s.charAt(i) == ':') {
            return null; // a single leading colon
        }
        while (i < to) {
            if (filled == IPV6_BYTES) {
                return null;
            }
            int start = i;
            int value = 0;
            while (i < to && i - start < 4 && hex(s.charAt(i)) >= 0) {
                value = (value << 4) | hex(s.charAt(i));
                i++;
            }
            if (i < to && s.charAt(i) == '.') {
                // the last 32 bits as a dotted quad: re-read this group as its first number
                if (filled + IPV4_BYTES > IPV6_BYTES || !ipv4(s, start, to, out, filled)) {
                    return null;
                }
                filled += IPV4_BYTES;
                i = to;
                break;
            }
            if (i == start) {
                return null; // an empty group, or a character that is not a hex digit
            }
            out[filled++] = (byte) (value >>> 8);
            out[filled++] = (byte) value;
            if (i == to) {
                break;
            }
            if (s.charAt(i) != ':') {
                return null;
            }
            i++;
            if (i < to && s.charAt(i) == ':') {
                if (gap >= 0) {
                    return null; // a second "::"
                }
                gap = filled;
                i++;
            } else if (i == to) {
                return null; // a single trailing colon
            }
        }
        if (gap < 0) {
            return filled == IPV6_BYTES ? out : null;
        }
        if (filled == IPV6_BYTES) {
            return null; // "::" must stand for at least one group
        }
        int tail = filled - gap;
        System.arraycopy(out, gap, out, IPV6_BYTES - tail, tail);
        Arrays.fill(out, gap, IPV6_BYTES - tail, (byte) 0);
        return out;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** An ASCII hex digit's value, or -1: unlike {@link Character#digit}, no other script's digits. */
    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
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
}
