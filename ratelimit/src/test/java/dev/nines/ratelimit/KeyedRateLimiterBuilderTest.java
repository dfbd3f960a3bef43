package dev.nines.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nines.CallContext;
import dev.nines.ManualTicker;
import dev.nines.Ticker;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.Outcome;
import org.junit.jupiter.api.Test;

/** {@link KeyedRateLimiterBuilder} and {@link KeyedRateLimiterConfig}: defaults, checks at build(), toBuilder(). */
class KeyedRateLimiterBuilderTest {

    private final ManualTicker ticker = new ManualTicker();
    private final InMemoryMetrics metrics = new InMemoryMetrics();

    private static String error(KeyedRateLimiterBuilder b) {
        return assertThrows(IllegalArgumentException.class, b::build).getMessage();
    }

    /** Field by field; the sink (guarded anew by every build) by where it reports: into {@link #metrics}. */
    private void assertSameSettings(KeyedRateLimiterConfig expected, KeyedRateLimiterConfig actual) {
        assertEquals(expected.name(), actual.name());
        assertEquals(expected.limit(), actual.limit());
        assertEquals(expected.maxKeys(), actual.maxKeys());
        assertSame(expected.ticker(), actual.ticker());
        expected.metrics().onOutcome("probe", "test", Outcome.SUCCESS, 0);
        actual.metrics().onOutcome("probe", "test", Outcome.SUCCESS, 0);
        assertEquals(2, metrics.count("probe", Outcome.SUCCESS), "both report to the sink that was set");
    }

    @Test
    void theConfigShowsEverySettingAndItsDefaults() {
        LocalKeyedRateLimiter l = KeyedRateLimiter.builder("per-client").limit(Rate.perSecond(4)).build();
        KeyedRateLimiterConfig c = l.config();
        assertEquals("per-client", c.name());
        assertEquals(Rate.perSecond(4), c.limit());
        assertEquals(100_000, c.maxKeys());
        assertSame(Ticker.system(), c.ticker());
        assertSame(Metrics.resolve(null), c.metrics());
        assertEquals(c.limit(), l.limit());
        assertEquals(c.maxKeys(), l.maxKeys());
    }

    @Test
    void toBuilderBuildsTheSameSettings() {
        LocalKeyedRateLimiter built = KeyedRateLimiter.builder("per-client").limit(Rate.perMinute(30)).maxKeys(42)
                .ticker(ticker).metrics(metrics).build();
        assertSameSettings(built.config(), built.toBuilder().build().config());
    }

    @Test
    void inACopyTheLimitReplacesTheBuiltOne() {
        LocalKeyedRateLimiter built = KeyedRateLimiter.builder("per-client").limit(Rate.perMinute(30)).ticker(ticker)
                .build();
        LocalKeyedRateLimiter faster = built.toBuilder().limit(Rate.perSecond(30)).build();
        assertEquals(Rate.perSecond(30), faster.limit());
        assertEquals(100_000, faster.maxKeys(), "maxKeys unset stays at its default");
    }

    @Test
    void toBuilderKeepsAnUnsetSinkUnsetSoTheDerivedLimiterFollowsTheCurrentDefault() throws Exception {
        InMemoryMetrics first = new InMemoryMetrics();
        InMemoryMetrics second = new InMemoryMetrics();
        try {
            Metrics.setDefault(first);
            LocalKeyedRateLimiter original = KeyedRateLimiter.builder("derived").limit(Rate.perSecond(1)).ticker(ticker)
                    .build();
            Metrics.setDefault(second);
            LocalKeyedRateLimiter derived = original.toBuilder().build();
            assertSame(Metrics.getDefault(), original.config().metrics(), "unset: the forwarding default");
            assertSame(Metrics.getDefault(), derived.config().metrics(), "and still unset in the derived one");
            assertEquals("ok", derived.call(CallContext.empty().withKey("a"), c -> "ok"));
            assertEquals(1, second.count("derived", Outcome.SUCCESS), "the current default");
            assertEquals(0, first.count("derived", Outcome.SUCCESS));
        } finally {
            Metrics.setDefault(null);
        }
    }

    @Test
    void buildNamesEveryBadFieldAndItsValue() {
        assertEquals("limit must be set (the limit of every key's bucket) but was unset",
                error(KeyedRateLimiter.builder("k")));
        assertEquals("limit must be set once (a keyed limiter has one limit per key) but was set 2 times: ["
                        + Rate.perSecond(1) + ", " + Rate.perMinute(10) + "]",
                error(KeyedRateLimiter.builder("k").limit(Rate.perSecond(1)).limit(Rate.perMinute(10))));
        assertEquals("name must not be blank but was ''; limit must be set (the limit of every key's bucket) but was"
                + " unset; maxKeys must be >= 1 but was 0", error(KeyedRateLimiter.builder("").maxKeys(0)));
    }

    @Test
    void nullsFailAtOnceNamingTheParameter() {
        KeyedRateLimiterBuilder b = KeyedRateLimiter.builder("k");
        assertEquals("name", assertThrows(NullPointerException.class, () -> KeyedRateLimiter.builder(null))
                .getMessage());
        assertEquals("limit", assertThrows(NullPointerException.class, () -> b.limit(null)).getMessage());
        assertEquals("ticker", assertThrows(NullPointerException.class, () -> b.ticker(null)).getMessage());
        assertEquals("metrics", assertThrows(NullPointerException.class, () -> b.metrics(null)).getMessage());
    }
}
