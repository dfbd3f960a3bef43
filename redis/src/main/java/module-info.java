/**
 * nines on Redis: rate limits shared by every instance of a service (one Lua GCRA round trip per
 * decision, Redis time, optional local leasing, a local fallback while Redis is down), through the
 * Lettuce client. Only {@code dev.nines.redis} is exported; {@code internal} stays inside.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // the builders take Lettuce connections: users need the client
module dev.nines.redis {
    requires transitive dev.nines.ratelimit;
    requires transitive lettuce.core;
    requires com.github.benmanes.caffeine;
    requires org.slf4j;

    exports dev.nines.redis;
}
