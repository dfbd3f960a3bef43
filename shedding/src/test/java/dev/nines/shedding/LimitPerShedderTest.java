package dev.nines.shedding;

import static dev.nines.Priority.P1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.Outcome;
import dev.nines.shedding.limit.ConcurrencyLimit;
import dev.nines.shedding.limit.GradientLimit;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A limit that learns serves one shedder: neither a second {@code build()} nor
 * {@code toBuilder()} makes two shedders train one limit. And {@code toBuilder()} keeps
 * unset what the user never set.
 */
class LimitPerShedderTest {

    private final ManualTicker ticker = new ManualTicker();

    private static GradientLimit gradient() {
        return ConcurrencyLimit.gradient().initialLimit(50).window(Duration.ofMillis(10)).minWindowSamples(1).build();
    }

    /** Drops enough calls through {@code s} to make an adaptive limit back off. */
    private void overload(LoadShedder s) {
        for (int i = 0; i < 50; i++) {
            long token = s.tryAdmit(P1);
            ticker.advance(Duration.ofMillis(11));
            s.release(token, Outcome.TIMED_OUT);
        }
    }

    @Test
    void twoSheddersBuiltFromOneBuilderTrainTwoLimits() {
        GradientLimit given = gradient();
        LoadShedderBuilder builder = LoadShedder.builder("api").ticker(ticker).limit(given);
        LoadShedder first = builder.build();
        LoadShedder second = builder.build();
        assertSame(given, first.config().limit(), "the first shedder gets the instance the user holds");
        assertNotSame(first.config().limit(), second.config().limit());
        overload(first);
        assertTrue(first.limit() < 50, "the first backed off: " + first.limit());
        assertEquals(50, second.limit(), "the second learned nothing from the first one's calls");
    }

    @Test
    void aShedderDerivedWithToBuilderGetsALimitOfItsOwn() {
        LoadShedder first = LoadShedder.builder("api").ticker(ticker).limit(gradient()).build();
        LoadShedder derived = first.toBuilder().build();
        assertNotSame(first.config().limit(), derived.config().limit());
        assertTrue(derived.config().limit() instanceof GradientLimit, "same kind, same settings");
        overload(first);
        assertTrue(first.limit() < 50);
        assertEquals(50, derived.limit());
        overload(derived);
        LoadShedder third = derived.toBuilder().build();
        assertEquals(50, third.limit(), "fresh: nothing learned carried over");
    }

    @Test
    void aLimitFactoryIsCalledOncePerShedder() {
        AtomicInteger made = new AtomicInteger();
        LoadShedderBuilder builder = LoadShedder.builder("api").ticker(ticker).limit(() -> {
            made.incrementAndGet();
            return gradient();
        });
        LoadShedder first = builder.build();
        LoadShedder second = builder.build();
        LoadShedder derived = first.toBuilder().build();
        assertEquals(3, made.get());
        assertNotSame(first.config().limit(), second.config().limit());
        assertNotSame(first.config().limit(), derived.config().limit());
    }

    @Test
    void aLearningLimitThatCannotBeCopiedIsRefusedForASecondShedder() {
        ConcurrencyLimit custom = new ConcurrencyLimit() {
            @Override
            public int currentLimit() {
                return 10;
            }

            @Override
            public void onSample(long nowNanos, long rttNanos, int inFlight, boolean dropped) {
            }

            @Override
            public String toString() {
                return "MyLimit";
            }
        };
        LoadShedderBuilder builder = LoadShedder.builder("api").limit(custom);
        assertSame(custom, builder.build().config().limit());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
        assertEquals("limit must be a limit that serves no other shedder (pass a factory, or implement "
                + "ConcurrencyLimit.fresh()) but was MyLimit", e.getMessage());
        assertEquals("limit must be a ConcurrencyLimit, not null from its factory but was null",
                assertThrows(IllegalArgumentException.class,
                        () -> LoadShedder.builder("api").limit(() -> null).build()).getMessage());
    }

    @Test
    void aFixedLimitLearnsNothingAndIsShared() {
        ConcurrencyLimit fixed = ConcurrencyLimit.fixed(7);
        LoadShedderBuilder builder = LoadShedder.builder("api").limit(fixed);
        assertSame(fixed, builder.build().config().limit());
        assertSame(fixed, builder.build().config().limit());
    }

    @Test
    void toBuilderLeavesTheMetricsSinkUnsetWhenTheUserNeverSetIt() {
        InMemoryMetrics before = new InMemoryMetrics(ticker, 10);
        InMemoryMetrics after = new InMemoryMetrics(ticker, 10);
        try {
            Metrics.setDefault(before);
            LoadShedder first = LoadShedder.builder("api").ticker(ticker).build();
            Metrics.setDefault(after);
            LoadShedder derived = first.toBuilder().build();
            derived.release(derived.tryAdmit(P1), Outcome.SUCCESS);
            assertEquals(1, after.count("api", Outcome.SUCCESS), "the derived shedder resolved today's default");
            assertEquals(0, before.count("api", Outcome.SUCCESS));

            InMemoryMetrics explicit = new InMemoryMetrics(ticker, 10);
            LoadShedder set = LoadShedder.builder("set").ticker(ticker).metrics(explicit).build();
            LoadShedder setDerived = set.toBuilder().build();
            setDerived.release(setDerived.tryAdmit(P1), Outcome.SUCCESS);
            assertEquals(1, explicit.count("set", Outcome.SUCCESS), "what the user set is kept");
        } finally {
            Metrics.setDefault(null);
        }
        assertSame(MetricsSink.noop(), LoadShedder.builder("x").metrics(MetricsSink.noop()).build()
                .toBuilder().build().config().metrics());
    }
}
