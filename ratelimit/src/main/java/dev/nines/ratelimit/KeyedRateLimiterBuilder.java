package dev.nines.ratelimit;

import dev.nines.internal.PolicyBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Configures a {@link LocalKeyedRateLimiter}, the in-process {@link KeyedRateLimiter}: the one limit every key's bucket has, the most keys
 * tracked, and the name, ticker and metrics every policy has. Start with
 * {@link KeyedRateLimiter#builder(String)}, or derive one from a built limiter with
 * {@link LocalKeyedRateLimiter#toBuilder()}.
 *
 * <pre>{@code
 * KeyedRateLimiter perClient = KeyedRateLimiter.builder("per-client")
 *         .limit(Rate.perSecond(10))
 *         .maxKeys(50_000)
 *         .build();
 * }</pre>
 *
 * <p>Setters only store (a {@code null} fails at once); {@link #build()} checks everything and
 * reports every invalid setting at once. What was never set stays unset, also in a
 * {@link LocalKeyedRateLimiter#toBuilder()} copy, so its {@code build()} resolves the defaults of that
 * moment. Not thread-safe.
 */
@SuppressWarnings("exports") // the base is shared with the nines modules only; its public setters are API
public final class KeyedRateLimiterBuilder extends PolicyBuilder<KeyedRateLimiterBuilder> {

    private final List<Rate> limits = new ArrayList<>(); // given to this builder: build() wants exactly one
    private Rate inherited; // the limit of the limiter a toBuilder() copy was made from
    private Long maxKeys;

    KeyedRateLimiterBuilder(String name) {
        super(name);
    }

    KeyedRateLimiterBuilder(KeyedRateLimiterConfig from) {
        super(from.wiring());
        this.inherited = from.limit();
        this.maxKeys = from.configuredMaxKeys();
    }

    /**
     * The limit of every key's bucket; required, and exactly one: a keyed limiter has one bucket per
     * key, so {@link #build()} refuses a second call instead of keeping either limit silently. In a
     * {@link LocalKeyedRateLimiter#toBuilder()} copy this replaces the limit of the limiter it was made from.
     */
    public KeyedRateLimiterBuilder limit(Rate limit) {
        limits.add(Objects.requireNonNull(limit, "limit"));
        return this;
    }

    /** The hard bound on the keys tracked at once; at least 1, default 100,000. */
    public KeyedRateLimiterBuilder maxKeys(long maxKeys) {
        this.maxKeys = maxKeys;
        return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException naming every invalid setting and its value: a blank name, no
     *     limit or more than one, {@code maxKeys < 1}
     */
    public LocalKeyedRateLimiter build() {
        Rate limit = limits.isEmpty() ? inherited : limits.get(0);
        validation()
                .check(limit != null, "limit", "set (the limit of every key's bucket)", "unset")
                .check(limits.size() <= 1, "limit", "set once (a keyed limiter has one limit per key)",
                        "set " + limits.size() + " times: " + limits)
                .atLeast("maxKeys", maxKeys == null ? KeyedRateLimiterConfig.DEFAULT_MAX_KEYS : maxKeys, 1)
                .throwIfInvalid();
        return new LocalKeyedRateLimiter(new KeyedRateLimiterConfig(wiring(), limit, maxKeys));
    }
}
