package dev.nines.redis.internal;

import java.util.List;

/**
 * Where a limiter's state lives in Redis: one key per limit, {@code prefix + "{" + tag + "}:" + i}, so
 * every key of one decision carries the same Redis Cluster hash tag and lands in one slot (a Lua
 * script may only touch keys of one slot). The tag of a keyed limiter is {@code "=" + clientKey}
 * (never empty, so the empty {@code ANONYMOUS_KEY} still has a tag); a shared limiter's is its name.
 * Immutable and thread-safe.
 */
public final class KeyLayout {

    private static final List<String> SAMPLE_KEYS = List.of("", "a", "{", "}", "{}", "}{", "a}b");

    private final String prefix;
    private final int limits;

    /** {@code limits} keys per decision under {@code prefix}. */
    public KeyLayout(String prefix, int limits) {
        this.prefix = prefix;
        this.limits = limits;
    }

    /** The keys of a keyed limiter's decision for {@code clientKey}. */
    public String[] keyed(String clientKey) {
        return keys("=" + clientKey);
    }

    /** The keys of a shared limiter called {@code name}. */
    public String[] shared(String name) {
        return keys(name);
    }

    private String[] keys(String tag) {
        String[] keys = new String[limits];
        String head = prefix + "{" + tag + "}:";
        for (int i = 0; i < limits; i++) {
            keys[i] = head + i;
        }
        return keys;
    }

    /**
     * {@code null} if every decision's keys share one Cluster slot (checked for client keys with and
     * without braces), otherwise why not, naming the prefix and two keys whose hash tags differ.
     */
    public String slotProblem(String sharedName) {
        List<String[]> samples = sharedName != null ? List.<String[]>of(shared(sharedName))
                : SAMPLE_KEYS.stream().map(this::keyed).toList();
        for (String[] keys : samples) {
            for (String key : keys) {
                if (!hashTag(key).equals(hashTag(keys[0]))) {
                    return "keyPrefix '" + prefix + "' puts the keys of one decision in different Redis Cluster slots ('"
                            + keys[0] + "' hashes '" + hashTag(keys[0]) + "', '" + key + "' hashes '" + hashTag(key)
                            + "'); a script may touch one slot only: drop the empty '{}' from the prefix";
                }
            }
        }
        return null;
    }

    /** The part of {@code key} Redis Cluster hashes: the first non-empty {@code {...}}, else the whole key. */
    static String hashTag(String key) {
        int open = key.indexOf('{');
        if (open >= 0) {
            int close = key.indexOf('}', open + 1);
            if (close > open + 1) {
                return key.substring(open + 1, close);
            }
        }
        return key;
    }
}
