package dev.nines.annotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.Policy;
import dev.nines.bulkhead.SemaphoreBulkhead;
import dev.nines.bulkhead.SemaphoreBulkheadConfig;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.fallback.Fallback;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link PolicyRegistry#reconfigure} and its listeners. */
class PolicyRegistryReconfigureTest {

    private final ManualTicker ticker = new ManualTicker();
    private final InMemoryMetrics metrics = new InMemoryMetrics(ticker, 16);
    private final PolicyRegistry registry = new PolicyRegistry();
    private final List<String> events = new ArrayList<>();

    private SemaphoreBulkhead bulkhead(String name, int max) {
        return SemaphoreBulkhead.builder(name).maxConcurrent(max).ticker(ticker).metrics(metrics).build();
    }

    private PolicyRegistry.Listener recorder() {
        return new PolicyRegistry.Listener() {
            @Override
            public void onRegistered(Policy policy) {
                events.add("registered " + policy.name());
            }

            @Override
            public void onReconfigured(Policy policy, Object previousConfig, Object newConfig) {
                events.add("reconfigured " + policy.name() + " " + ((SemaphoreBulkheadConfig) previousConfig)
                        .maxConcurrent() + "->" + ((SemaphoreBulkheadConfig) newConfig).maxConcurrent());
            }
        };
    }

    @Test
    void theRegisteredPolicyTakesTheBuiltOnesConfigAndEachListenerIsToldOnce() {
        registry.addListener(recorder());
        SemaphoreBulkhead db = bulkhead("db", 2);
        registry.register(db);
        registry.getOrCreate("pool", SemaphoreBulkhead.class, () -> bulkhead("pool", 1));
        registry.getOrCreate("pool", SemaphoreBulkhead.class, () -> bulkhead("pool", 9)); // exists: no event
        assertTrue(db.tryAcquirePermission());
        PolicyRegistry.Change change = registry.reconfigure(db.toBuilder().maxConcurrent(5).build());
        // the throwaway built for its config registered gauges under "db"; the live bulkhead took them back
        assertEquals(1, metrics.gauge("db", "bulkhead", SemaphoreBulkhead.GAUGE_IN_FLIGHT).getAsLong());
        db.releasePermission();
        assertSame(db, change.policy());
        assertEquals(2, ((SemaphoreBulkheadConfig) change.previousConfig()).maxConcurrent());
        assertSame(db.config(), change.newConfig());
        assertEquals(5, db.availablePermits());
        assertEquals(List.of("registered db", "registered pool", "reconfigured db 2->5"), events);
    }

    @Test
    void aThrowingListenerNeitherBreaksTheChangeNorSilencesTheOthers() {
        registry.addListener(new PolicyRegistry.Listener() {
            @Override
            public void onReconfigured(Policy policy, Object previousConfig, Object newConfig) {
                throw new IllegalStateException("listener bug");
            }
        });
        registry.addListener(recorder());
        SemaphoreBulkhead db = bulkhead("db", 2);
        registry.register(db);
        registry.reconfigure(db.toBuilder().maxConcurrent(3).build());
        registry.reconfigure(db.toBuilder().maxConcurrent(4).build());
        assertEquals(4, db.config().maxConcurrent());
        assertEquals(List.of("registered db", "reconfigured db 2->3", "reconfigured db 3->4"), events);
    }

    @Test
    void aClosedSubscriptionHearsNothingMore() {
        PolicyRegistry.Subscription s = registry.addListener(recorder());
        SemaphoreBulkhead db = bulkhead("db", 2);
        registry.register(db);
        s.close();
        s.close();
        registry.reconfigure(db.toBuilder().maxConcurrent(3).build());
        assertEquals(List.of("registered db"), events);
    }

    @Test
    void anUnknownNameAnotherTypeOrARefusedConfigIsAnErrorAndChangesNothing() {
        registry.addListener(recorder());
        SemaphoreBulkhead db = bulkhead("db", 2);
        registry.register(db).register(bulkhead("cache", 1));
        events.clear();
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> registry.reconfigure(bulkhead("dbb", 3)));
        assertEquals("no policy named 'dbb' is registered; registered: [cache, db]", unknown.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> registry.reconfigure(CircuitBreaker.builder("db").ticker(ticker).build()));
        assertEquals("policy 'db' is a SemaphoreBulkhead; given a CircuitBreaker", type.getMessage());
        registry.register(Fallback.builder("r").value("x").build());
        IllegalArgumentException fixed = assertThrows(IllegalArgumentException.class,
                () -> registry.reconfigure(Fallback.builder("r").value("y").build()));
        assertEquals("policy 'r' is a Fallback, which cannot be reconfigured at run time; given a Fallback",
                fixed.getMessage());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> registry.reconfigure(db.toBuilder().ticker(new ManualTicker()).build()));
        assertEquals("cannot reconfigure 'db': ticker cannot change at run time", refused.getMessage()
                .substring(0, "cannot reconfigure 'db': ticker cannot change at run time".length()));
        assertEquals(2, db.config().maxConcurrent());
        assertEquals(List.of("registered r"), events);
    }
}
