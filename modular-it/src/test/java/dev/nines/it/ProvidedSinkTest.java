package dev.nines.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.metrics.Metrics;
import dev.nines.metrics.Outcome;
import dev.nines.metrics.PolicyKinds;
import dev.nines.ratelimit.Rate;
import dev.nines.ratelimit.RateLimitedException;
import dev.nines.ratelimit.RateLimiter;
import org.junit.jupiter.api.Test;

/**
 * Core discovers its default metrics sink through {@link java.util.ServiceLoader}; on the module
 * path that finds the {@link RecordingSink} this application module declares with
 * {@code provides} (it has no {@code META-INF/services} file, which a named module would ignore).
 */
class ProvidedSinkTest {

    @Test
    void aPolicyBuiltWithoutASinkReportsToTheProvidedOne() throws Exception {
        RateLimiter limiter = RateLimiter.builder("it-provided-sink").limit(Rate.perMinute(1)).build();
        assertEquals("answered", limiter.call(() -> "answered"));
        assertThrows(RateLimitedException.class, () -> limiter.call(() -> "refused"));
        assertEquals(1, RecordingSink.created(), "ServiceLoader made one instance");
        assertEquals(1, RecordingSink.seen().count("it-provided-sink", PolicyKinds.RATE_LIMITER, Outcome.SUCCESS));
        assertEquals(1, RecordingSink.seen().count("it-provided-sink", PolicyKinds.RATE_LIMITER, Outcome.REJECTED));
        assertTrue(Metrics.getDefault().toString().contains("RecordingSink"), Metrics.getDefault().toString());
    }
}
