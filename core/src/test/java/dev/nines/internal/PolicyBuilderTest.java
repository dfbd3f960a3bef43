package dev.nines.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.Scheduler;
import dev.nines.Ticker;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.Metrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PolicyBuilderTest {

    /** The smallest builder: it builds its wiring. */
    static final class Probe extends PolicyBuilder<Probe> {
        Probe(String name) {
            super(name);
        }

        Probe(PolicyWiring from) {
            super(from);
        }

        @Override
        public Probe scheduler(Scheduler scheduler) {
            return super.scheduler(scheduler);
        }

        PolicyWiring build() {
            validation().throwIfInvalid();
            return wiring();
        }
    }

    @AfterEach
    void resetDefault() {
        Metrics.setDefault(null);
    }

    @Test
    void unsetSettingsResolveToTheDefaultsAndTheSinkFollowsTheCurrentOne() {
        InMemoryMetrics first = new InMemoryMetrics();
        Metrics.setDefault(first);
        PolicyWiring built = new Probe("p").build();
        assertSame(Ticker.system(), built.ticker());
        Scheduler own = Scheduler.system();
        assertSame(own, built.scheduler(own));

        InMemoryMetrics later = new InMemoryMetrics();
        Metrics.setDefault(later);
        PolicyWiring derived = new Probe(built).build();
        assertTrue(derived.measured());
        derived.metrics().onTransition("p", "test", "A", "B");
        built.metrics().onTransition("p", "test", "B", "A");
        assertEquals(2, later.transitions("p").size(), "both follow the current default");
        assertEquals(0, first.transitions("p").size());
        assertEquals("B", later.transitions("p").get(0).toState());
        assertEquals("A", later.transitions("p").get(1).toState());
    }

    @Test
    void setSettingsAreKeptByADerivedBuilder() {
        ManualTicker ticker = new ManualTicker();
        InMemoryMetrics sink = new InMemoryMetrics();
        Scheduler scheduler = Scheduler.system();
        PolicyWiring first = new Probe("p").ticker(ticker).metrics(sink).scheduler(scheduler).build();
        PolicyWiring derived = new Probe(first).build();
        assertEquals("p", derived.name());
        assertSame(ticker, derived.ticker());
        assertSame(scheduler, derived.scheduler(null));
        derived.metrics().onTransition("p", "test", "A", "B");
        assertEquals(1, sink.transitions("p").size());
    }

    @Test
    void nullsFailAtTheSetterAndABlankNameAtBuild() {
        assertEquals("name", assertThrows(NullPointerException.class, () -> new Probe((String) null)).getMessage());
        assertEquals("ticker", assertThrows(NullPointerException.class, () -> new Probe("p").ticker(null)).getMessage());
        assertEquals("metrics", assertThrows(NullPointerException.class, () -> new Probe("p").metrics(null)).getMessage());
        assertEquals("scheduler", assertThrows(NullPointerException.class, () -> new Probe("p").scheduler(null))
                .getMessage());
        assertEquals("name must not be blank but was ' '",
                assertThrows(IllegalArgumentException.class, () -> new Probe(" ").build()).getMessage());
        assertNull(new Probe("p").build().scheduler(null));
    }

    @Test
    void freshNamesCountPerPrefix() {
        String a = Names.fresh("policy-builder-test");
        String b = Names.fresh("policy-builder-test");
        assertTrue(a.startsWith("policy-builder-test-"));
        assertEquals(Long.parseLong(a.substring(a.lastIndexOf('-') + 1)) + 1,
                Long.parseLong(b.substring(b.lastIndexOf('-') + 1)));
    }
}
