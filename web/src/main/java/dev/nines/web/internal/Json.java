package dev.nines.web.internal;

import java.util.Map;

/**
 * Just enough JSON writing for problem details and health reports; no dependency needed.
 * Stateless and thread-safe.
 */
public final class Json {

    private Json() {
    }

    /** {@code s} as a JSON string literal, quotes included. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /**
     * An object from ordered entries. Values may be strings, numbers, booleans, null, nested maps,
     * or iterables of those.
     */
    public static String object(Map<String, ?> fields) {
        StringBuilder sb = new StringBuilder();
        write(sb, fields);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object value) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof String s) {
            sb.append(quote(s));
        } else if ((value instanceof Double d && !Double.isFinite(d)) || (value instanceof Float f && !Float.isFinite(f))) {
            sb.append("null"); // JSON has no NaN or infinity
        } else if (value instanceof Number || value instanceof Boolean) {
            sb.append(value);
        } else if (value instanceof Map<?, ?> map) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                sb.append(first ? "" : ",").append(quote(String.valueOf(e.getKey()))).append(':');
                write(sb, e.getValue());
                first = false;
            }
            sb.append('}');
        } else if (value instanceof Iterable<?> items) {
            sb.append('[');
            boolean first = true;
            for (Object item : items) {
                sb.append(first ? "" : ",");
                write(sb, item);
                first = false;
            }
            sb.append(']');
        } else {
            sb.append(quote(value.toString()));
        }
    }
}
