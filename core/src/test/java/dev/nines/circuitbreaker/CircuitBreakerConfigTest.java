package dev.nines.circuitbreaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nines.FailureFilter;
import dev.nines.ManualTicker;
import dev.nines.Scheduler;
import dev.nines.Ticker;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.Outcome;
import dev.nines.metrics.PolicyKinds;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class CircuitBreakerConfigTest {

    private static String message(CircuitBreakerBuilder b) {
        return assertThrows(IllegalArgumentException.class, b::build).getMessage();
    }

    private static CircuitBreakerBuilder b() {
        return CircuitBreaker.builder("cb");
    }

    @Test
    void eachBadFieldIsNamedWithItsValue() {
        assertEquals("failureRateThreshold must be a fraction in (0, 1] but was 0.0",
                message(b().failureRateThreshold(0)));
        assertEquals("slowCallRateThreshold must be a fraction in (0, 1] but was 100.5",
                message(b().slowCallRateThreshold(100.5)));
        assertEquals("slowCallDurationThreshold must be > 0 but was PT0S",
                message(b().slowCallDurationThreshold(Duration.ZERO)));
        assertEquals("countWindow must be in [1, 1048575] but was 0", message(b().countWindow(0)));
        assertEquals("minimumCalls must be <= countWindow (10) but was 20", message(b().countWindow(10)));
        assertEquals("minimumCalls must be >= 1 but was 0", message(b().minimumCalls(0)));
        assertEquals("timeWindow must be in [PT1S, PT24H] but was PT0.5S",
                message(b().timeWindow(Duration.ofMillis(500))));
        assertEquals("minimumCalls must be <= 8738 for a time window of 60 buckets but was 9000",
                message(b().timeWindow(Duration.ofMinutes(5)).minimumCalls(9000)));
        assertEquals("openDuration must be > 0 but was PT-1S", message(b().openDuration(Duration.ofSeconds(-1))));
        assertEquals("openDurationGrowth multiplier must be a finite number >= 1.0 but was 0.5",
                message(b().openDurationGrowth(0.5, Duration.ofMinutes(5))));
        assertEquals("openDurationGrowth max must be >= openDuration (PT1M) but was PT30S",
                message(b().openDurationGrowth(2, Duration.ofSeconds(30))));
        assertEquals("halfOpenProbes must be in [1, 1000] but was 0", message(b().halfOpenProbes(0)));
        assertEquals("maxProbeDuration must be > 0 but was PT0S", message(b().maxProbeDuration(Duration.ZERO)));
        assertEquals("name must not be blank but was ' '", message(CircuitBreaker.builder(" ")));
    }

    @Test
    void everyBadFieldIsListed() {
        assertEquals("failureRateThreshold must be a fraction in (0, 1] but was -1.0; halfOpenProbes must be in "
                + "[1, 1000] but was 1001", message(b().failureRateThreshold(-1).halfOpenProbes(1001)));
    }

    @Test
    void aRateThresholdWrittenAsAPercentFailsAtBuildSayingWhichFractionItMeant() {
        assertEquals("failureRateThreshold must be a fraction in (0, 1] but was 50.0 (50% is 0.5)",
                message(b().failureRateThreshold(50)));
        assertEquals("slowCallRateThreshold must be a fraction in (0, 1] but was 80.0 (80% is 0.8)",
                message(b().slowCallRateThreshold(80)));
        assertEquals("failureRateThreshold must be a fraction in (0, 1] but was 100.0 (100% is 1)",
                message(b().failureRateThreshold(100)));
        assertEquals("slowCallRateThreshold must be a fraction in (0, 1] but was 1.5 (1.5% is 0.015)",
                message(b().slowCallRateThreshold(1.5)));
        assertEquals("failureRateThreshold must be a fraction in (0, 1] but was NaN",
                message(b().failureRateThreshold(Double.NaN)));
    }

    @Test
    void fractionsUpToAndIncludingOneAreAccepted() {
        CircuitBreakerConfig c = b().failureRateThreshold(1.0).slowCallRateThreshold(0.001).build().config();
        assertEquals(1.0, c.failureRateThreshold());
        assertEquals(0.001, c.slowCallRateThreshold());
    }

    @Test
    void aBuilderWithoutASinkFollowsTheCurrentDefaultAndToBuilderKeepsItUnset() {
        InMemoryMetrics first = new InMemoryMetrics();
        InMemoryMetrics second = new InMemoryMetrics();
        try {
            Metrics.setDefault(first);
            CircuitBreakerBuilder builder = b();
            CircuitBreaker one = builder.build();
            Metrics.setDefault(second);
            CircuitBreaker two = builder.build();
            CircuitBreaker derived = one.toBuilder().build();
            for (CircuitBreaker cb : List.of(one, two, derived)) {
                cb.forceOpen();
                cb.tryAcquirePermission();
            }
            assertEquals(0, first.count("cb", PolicyKinds.CIRCUIT_BREAKER, Outcome.REJECTED), "replaced before the calls");
            assertEquals(3, second.count("cb", PolicyKinds.CIRCUIT_BREAKER, Outcome.REJECTED),
                    "every build and a toBuilder() copy follow the default of the moment of the call");
        } finally {
            Metrics.setDefault(null);
        }
    }

    @Test
    void toBuilderLeavesTheOpenDurationCapUnsetSoALongerOpenDurationBuilds() {
        CircuitBreaker cb = b().build();
        CircuitBreaker longer = cb.toBuilder().openDuration(Duration.ofMinutes(2)).build();
        assertEquals(Duration.ofMinutes(2), longer.config().openDuration());
        assertEquals(Duration.ofMinutes(2), longer.config().maxOpenDuration(), "the default cap follows");
        assertEquals(Duration.ofMinutes(1), cb.config().maxOpenDuration());
    }

    @Test
    void toBuilderKeepsAnOpenDurationCapThatWasSet() {
        CircuitBreaker grown = b().openDurationGrowth(2, Duration.ofMinutes(10)).build();
        CircuitBreakerConfig derived = grown.toBuilder().openDuration(Duration.ofMinutes(2)).build().config();
        assertEquals(Duration.ofMinutes(10), derived.maxOpenDuration());
        assertEquals(2.0, derived.openDurationMultiplier());
        assertEquals("openDurationGrowth max must be >= openDuration (PT20M) but was PT10M",
                message(grown.toBuilder().openDuration(Duration.ofMinutes(20))), "a cap the user set still binds");
    }

    /** Every getter of two configs, compared one by one. */
    static void assertSameSettings(CircuitBreakerConfig a, CircuitBreakerConfig b) {
        assertEquals(a.name(), b.name());
        assertEquals(a.failureRateThreshold(), b.failureRateThreshold());
        assertEquals(a.slowCallRateThreshold(), b.slowCallRateThreshold());
        assertEquals(a.slowCallDurationThreshold(), b.slowCallDurationThreshold());
        assertEquals(a.windowType(), b.windowType());
        assertEquals(a.windowSize(), b.windowSize());
        assertEquals(a.windowDuration(), b.windowDuration());
        assertEquals(a.minimumCalls(), b.minimumCalls());
        assertEquals(a.openDuration(), b.openDuration());
        assertEquals(a.openDurationMultiplier(), b.openDurationMultiplier());
        assertEquals(a.maxOpenDuration(), b.maxOpenDuration());
        assertEquals(a.halfOpenProbes(), b.halfOpenProbes());
        assertEquals(a.maxProbeDuration(), b.maxProbeDuration());
        assertSame(a.failures(), b.failures());
        assertSame(a.ticker(), b.ticker());
        assertEquals(a.halfOpenTimer(), b.halfOpenTimer());
        assertEquals(a.metrics().toString(), b.metrics().toString(), "the same sink, guarded by each build");
        assertEquals(a.listeners(), b.listeners());
    }

    @Test
    void toBuilderKeepsEverySetting() {
        ManualTicker ticker = new ManualTicker();
        InMemoryMetrics sink = new InMemoryMetrics();
        Scheduler timer = (task, delayNanos) -> new CompletableFuture<>();
        CircuitBreakerListener listener = new CircuitBreakerListener() { };
        CircuitBreaker cb = CircuitBreaker.builder("set").failureRateThreshold(0.3).slowCallRateThreshold(0.4)
                .slowCallDurationThreshold(Duration.ofSeconds(2)).timeWindow(Duration.ofSeconds(30)).minimumCalls(7)
                .openDuration(Duration.ofSeconds(5)).openDurationGrowth(1.5, Duration.ofMinutes(3)).halfOpenProbes(3)
                .maxProbeDuration(Duration.ofSeconds(9)).failures(FailureFilter.on(IOException.class))
                .ticker(ticker).metrics(sink).scheduler(timer).listener(listener).build();
        CircuitBreakerConfig copy = cb.toBuilder().build().config();
        assertSameSettings(cb.config(), copy);
        assertEquals(SlidingWindowType.TIME, copy.windowType());
        copy.metrics().onTransition("probe", "test", "A", "B");
        assertEquals(1, sink.transitions("probe").size(), "the sink that was set");
        assertSame(timer, copy.halfOpenTimer().orElseThrow());
        assertEquals(List.of(listener), copy.listeners());

        CircuitBreaker defaults = CircuitBreaker.builder("defaults").build();
        assertSameSettings(defaults.config(), defaults.toBuilder().build().config());
    }

    @Test
    void toBuilderKeepsAnUnsetSinkUnsetSoBothBuildsFollowTheCurrentDefault() {
        InMemoryMetrics first = new InMemoryMetrics();
        InMemoryMetrics later = new InMemoryMetrics();
        try {
            Metrics.setDefault(first);
            CircuitBreaker cb = b().build();
            Metrics.setDefault(later);
            CircuitBreakerConfig derived = cb.toBuilder().build().config();
            derived.metrics().onTransition("derived", "test", "A", "B");
            cb.config().metrics().onTransition("first", "test", "A", "B");
            assertEquals(1, later.transitions("derived").size(), "the current default");
            assertEquals(1, later.transitions("first").size(), "built before it, still the current default");
            assertEquals(0, first.transitions("first").size() + first.transitions("derived").size());
        } finally {
            Metrics.setDefault(null);
        }
    }

    @Test
    void nullsAreRejectedAtTheSetter() {
        assertThrows(NullPointerException.class, () -> b().openDuration(null));
        assertThrows(NullPointerException.class, () -> b().listener(null));
        assertThrows(NullPointerException.class, () -> CircuitBreaker.builder(null));
        assertEquals("ticker", assertThrows(NullPointerException.class, () -> b().ticker(null)).getMessage());
        assertEquals("metrics", assertThrows(NullPointerException.class, () -> b().metrics(null)).getMessage());
        assertEquals("scheduler", assertThrows(NullPointerException.class, () -> b().scheduler(null)).getMessage());
        assertEquals("timeWindow", assertThrows(NullPointerException.class, () -> b().timeWindow(null)).getMessage());
        assertEquals("openDurationGrowth max",
                assertThrows(NullPointerException.class, () -> b().openDurationGrowth(2, null)).getMessage());
    }

    @Test
    void defaultsAreDocumented() {
        CircuitBreakerConfig c = b().build().config();
        assertEquals(0.5, c.failureRateThreshold());
        assertEquals(1.0, c.slowCallRateThreshold());
        assertEquals(Duration.ofSeconds(60), c.slowCallDurationThreshold());
        assertEquals(SlidingWindowType.COUNT, c.windowType());
        assertEquals(100, c.windowSize());
        assertEquals(20, c.minimumCalls());
        assertEquals(Duration.ofSeconds(60), c.openDuration());
        assertEquals(Duration.ofSeconds(60), c.maxOpenDuration());
        assertEquals(10, c.halfOpenProbes());
        assertEquals(Duration.ofSeconds(60), c.maxProbeDuration());
        assertSame(FailureFilter.exceptions(), c.failures());
        assertEquals(Duration.ofSeconds(10), c.windowDuration());
        assertEquals(1.0, c.openDurationMultiplier());
        assertSame(Ticker.system(), c.ticker());
        assertSame(Scheduler.system(), c.halfOpenTimer().orElseThrow());
        assertEquals(List.of(), c.listeners());
    }
}
