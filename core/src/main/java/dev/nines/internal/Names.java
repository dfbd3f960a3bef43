package dev.nines.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fresh names for policies made without one ({@code Fallback.of(value)}): {@code fallback-1},
 * {@code fallback-2}, … counting from 1 per prefix, so no two unnamed policies share a name in the
 * metrics or the registry. A name given to a builder is not checked against them. Thread-safe. Not
 * part of the public API.
 */
public final class Names {

    private static final ConcurrentMap<String, AtomicLong> COUNTERS = new ConcurrentHashMap<>();

    private Names() {
    }

    /** {@code prefix-N}, N one more than the last fresh name with this prefix. */
    public static String fresh(String prefix) {
        return prefix + "-" + COUNTERS.computeIfAbsent(prefix, p -> new AtomicLong()).incrementAndGet();
    }
}
