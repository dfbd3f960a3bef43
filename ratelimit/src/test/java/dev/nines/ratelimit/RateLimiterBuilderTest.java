package dev.nines.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.Sleeper;
import dev.nines.Ticker;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.Outcome;
import dev.nines.testing.RecordingSleeper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link RateLimiterBuilder} and {@link RateLimiterConfig}: defaults, checks at build(), toBuilder() round trips. */
class RateLimiterBuilderTest {

    private final ManualTicker ticker = new ManualTicker();
    private final RecordingSleeper sleeper = new RecordingSleeper();
    private final InMemoryMetrics metrics = new InMemoryMetrics();

    /** Field by field; the sink (guarded anew by every build) by where it reports: into {@link #metrics}. */
    private void assertSameSettings(RateLimiterConfig expected, RateLimiterConfig actual) {
        assertEquals(expected.name(), actual.name());
        assertEquals(expected.limits(), actual.limits());
        assertSame(expected.ticker(), actual.ticker());
        assertSame(expected.sleeper(), actual.sleeper());
        expected.metrics().onOutcome("probe", "test", Outcome.SUCCESS, 0);
        actual.metrics().onOutcome("probe", "test", Outcome.SUCCESS, 0);
        assertEquals(2, metrics.count("probe", Outcome.SUCCESS), "both report to the sink that was set");
    }

    @Test
    void theConfigShowsEverySettingAndItsDefaults() {
        RateLimiterConfig defaults = RateLimiter.builder("search").limit(Rate.perSecond(5)).build().config();
        assertEquals("search", defaults.name());
        assertEquals(List.of(Rate.perSecond(5)), defaults.limits());
        assertSame(Ticker.system(), defaults.ticker());
        assertSame(Sleeper.system(), defaults.sleeper());
        assertSame(Metrics.resolve(null), defaults.metrics());

        RateLimiter set = RateLimiter.builder("search").limit(Rate.perSecond(5)).limit(Rate.perMinute(100))
                .ticker(ticker).sleeper(sleeper).metrics(metrics).build();
        assertEquals(List.of(Rate.perSecond(5), Rate.perMinute(100)), set.config().limits());
        assertSame(ticker, set.config().ticker());
        assertSame(sleeper, set.config().sleeper());
        set.config().metrics().onOutcome("probe", "test", Outcome.SUCCESS, 0);
        assertEquals(1, metrics.count("probe", Outcome.SUCCESS), "the sink that was set, guarded");
    }

    @Test
    void toBuilderOfATokenBucketBuildsTheSameSettings() {
        TokenBucket built = (TokenBucket) RateLimiter.builder("one").limit(Rate.perSecond(3)).ticker(ticker)
                .sleeper(sleeper).metrics(metrics).build();
        RateLimiter again = built.toBuilder().build();
        assertTrue(again instanceof TokenBucket);
        assertSameSettings(built.config(), again.config());
    }

    @Test
    void toBuilderOfAMultiLimitLimiterBuildsTheSameSettings() {
        MultiLimitRateLimiter built = (MultiLimitRateLimiter) RateLimiter.builder("two").limit(Rate.perSecond(3))
                .limit(Rate.perMinute(60)).ticker(ticker).sleeper(sleeper).metrics(metrics).build();
        RateLimiter again = built.toBuilder().build();
        assertTrue(again instanceof MultiLimitRateLimiter);
        assertSameSettings(built.config(), again.config());
    }

    @Test
    void configAndToBuilderHoldTheLimitsInForceAfterARuntimeChange() {
        TokenBucket built = (TokenBucket) RateLimiter.builder("one").limit(Rate.perSecond(3)).ticker(ticker).build();
        built.setLimit(Rate.perSecond(7));
        assertEquals(List.of(Rate.perSecond(7)), built.limits());
        assertEquals(List.of(Rate.perSecond(7)), built.config().limits()); // config() is the one in force
        assertEquals(List.of(Rate.perSecond(7)), built.toBuilder().build().limits());
        assertSame(built.config().ticker(), built.toBuilder().build().config().ticker()); // the rest as built
    }

    @Test
    void inACopyTheFirstLimitReplacesTheBuiltOnesAndLaterOnesAdd() {
        TokenBucket built = (TokenBucket) RateLimiter.builder("one").limit(Rate.perSecond(3)).ticker(ticker).build();
        assertEquals(List.of(Rate.perSecond(9)), built.toBuilder().limit(Rate.perSecond(9)).build().limits());
        RateLimiter two = built.toBuilder().limit(Rate.perSecond(9)).limit(Rate.perMinute(100)).build();
        assertEquals(List.of(Rate.perSecond(9), Rate.perMinute(100)), two.limits());
        assertTrue(two instanceof MultiLimitRateLimiter);
        RateLimiter back = ((MultiLimitRateLimiter) two).toBuilder().limit(Rate.perSecond(1)).build();
        assertEquals(List.of(Rate.perSecond(1)), back.limits());
        assertTrue(back instanceof TokenBucket);
    }

    @Test
    void toBuilderKeepsAnUnsetSinkUnsetSoTheDerivedLimiterFollowsTheCurrentDefault() throws Exception {
        InMemoryMetrics first = new InMemoryMetrics();
        InMemoryMetrics second = new InMemoryMetrics();
        try {
            Metrics.setDefault(first);
            TokenBucket original = (TokenBucket) RateLimiter.builder("derived").limit(Rate.perSecond(1))
                    .ticker(ticker).build();
            Metrics.setDefault(second);
            RateLimiter derived = original.toBuilder().build();
            assertSame(Metrics.getDefault(), original.config().metrics(), "unset: the forwarding default");
            assertSame(Metrics.getDefault(), derived.config().metrics(), "and still unset in the derived one");
            assertEquals("ok", derived.call(() -> "ok"));
            assertEquals(1, second.count("derived", Outcome.SUCCESS), "the current default");
            assertEquals(0, first.count("derived", Outcome.SUCCESS));
        } finally {
            Metrics.setDefault(null);
        }
        RateLimiter carried = ((TokenBucket) RateLimiter.builder("set").limit(Rate.perSecond(1)).ticker(ticker)
                .metrics(metrics).build()).toBuilder().build();
        carried.call(() -> "ok");
        assertEquals(1, metrics.count("set", Outcome.SUCCESS), "a sink that was set is carried on");
    }

    @Test
    void toBuilderKeepsAnUnsetTickerAndSleeperUnset() {
        TokenBucket original = (TokenBucket) RateLimiter.builder("plain").limit(Rate.perSecond(1)).build();
        RateLimiterConfig derived = original.toBuilder().build().config();
        assertSame(Ticker.system(), derived.ticker());
        assertSame(Sleeper.system(), derived.sleeper());
    }

    @Test
    void nullsFailAtOnceNamingTheParameter() {
        RateLimiterBuilder b = RateLimiter.builder("n");
        assertEquals("name", assertThrows(NullPointerException.class, () -> RateLimiter.builder(null)).getMessage());
        assertEquals("limit", assertThrows(NullPointerException.class, () -> b.limit(null)).getMessage());
        assertEquals("sleeper", assertThrows(NullPointerException.class, () -> b.sleeper(null)).getMessage());
        assertEquals("ticker", assertThrows(NullPointerException.class, () -> b.ticker(null)).getMessage());
        assertEquals("metrics", assertThrows(NullPointerException.class, () -> b.metrics(null)).getMessage());
    }

    @Test
    void unnamedBucketsGetFreshNamesThatNeverCollide() {
        TokenBucket a = TokenBucket.of(Rate.perSecond(1));
        TokenBucket b = TokenBucket.of(Rate.perSecond(1));
        assertTrue(a.name().startsWith("rate-limiter-"), a.name());
        assertNotEquals(a.name(), b.name());
        assertFalse(a.name().equals("rate-limiter"));
    }

    @Test
    void theConfigSaysWhatItHolds() {
        RateLimiterConfig c = RateLimiter.builder("shown").limit(Rate.perSecond(2)).ticker(ticker).sleeper(sleeper)
                .metrics(MetricsSink.noop()).build().config();
        assertTrue(c.toString().startsWith("RateLimiterConfig[name=shown, limits=[" + Rate.perSecond(2) + "]"),
                c.toString());
    }
}
