package dev.nines.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.Priority;
import dev.nines.Scheduler;
import dev.nines.annotation.AnnotationHandler;
import dev.nines.annotation.MethodPolicies;
import dev.nines.annotation.NinesProxy;
import dev.nines.annotation.PolicyRegistry;
import dev.nines.bulkhead.BulkheadFullException;
import dev.nines.bulkhead.annotation.WithBulkhead;
import dev.nines.circuitbreaker.CircuitBreakerOpenException;
import dev.nines.circuitbreaker.annotation.WithCircuitBreaker;
import dev.nines.fallback.annotation.WithFallback;
import dev.nines.ratelimit.RateLimitedException;
import dev.nines.ratelimit.annotation.WithRateLimit;
import dev.nines.retry.annotation.WithRetry;
import dev.nines.shedding.LoadShedder;
import dev.nines.shedding.Permit;
import dev.nines.shedding.ShedException;
import dev.nines.shedding.annotation.WithPriority;
import dev.nines.shedding.limit.FixedLimit;
import dev.nines.timeout.TimeoutExceededException;
import dev.nines.timeout.annotation.WithTimeout;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.Test;

/**
 * The annotation handlers every nines module {@code provides} are found through
 * {@link java.util.ServiceLoader} on the module path (where {@code META-INF/services} files of
 * named modules are ignored), and a {@link NinesProxy} of the application's {@link Inventory}
 * behaves as each annotation says. Time is a manual ticker; waits and timers are driven by hand.
 */
class AnnotationProvidersTest {

    private final ManualTicker ticker = new ManualTicker();
    private final List<Runnable> timers = new CopyOnWriteArrayList<>();
    /** Keeps the timers a policy schedules until {@link #fireTimers()}; nothing waits in real time. */
    private final Scheduler scheduler = (task, delayNanos) -> {
        FutureTask<Void> f = new FutureTask<>(task, null);
        timers.add(f);
        return f;
    };
    private final PolicyRegistry registry = new PolicyRegistry();
    private final LoadShedder shedder = LoadShedder.builder("it-shedder").limit(FixedLimit.of(4)).ticker(ticker).build();
    private final Warehouse warehouse = new Warehouse();
    private final Inventory inventory;

    AnnotationProvidersTest() {
        registry.register(shedder);
        inventory = NinesProxy.builder(Inventory.class, warehouse).registry(registry).ticker(ticker)
                .sleeper(ticker::advance).scheduler(scheduler).build();
    }

    @Test
    void everyModulesHandlersAreFoundAndStayInternal() {
        Map<Class<? extends Annotation>, AnnotationHandler<?>> handlers = MethodPolicies.discoverHandlers();
        Map<Class<? extends Annotation>, String> expected = Map.of(
                WithRateLimit.class, "dev.nines.ratelimit",
                WithPriority.class, "dev.nines.shedding",
                WithCircuitBreaker.class, "dev.nines.core",
                WithRetry.class, "dev.nines.core",
                WithFallback.class, "dev.nines.core",
                WithTimeout.class, "dev.nines.core",
                WithBulkhead.class, "dev.nines.core");
        assertEquals(expected.keySet(), handlers.keySet());
        expected.forEach((annotation, module) -> {
            Class<?> handler = handlers.get(annotation).getClass();
            assertEquals(module, handler.getModule().getName(), handler.getName());
            assertTrue(handler.getPackageName().endsWith(".internal"), handler.getName() + " is not internal");
            assertFalse(handler.getModule().isExported(handler.getPackageName(), getClass().getModule()),
                    handler.getName() + " is exported");
        });
    }

    @Test
    void rateLimitAdmitsTwoCallsAMinute() {
        assertEquals(7, inventory.stock("a"));
        assertEquals(7, inventory.stock("a"));
        assertThrows(RateLimitedException.class, () -> inventory.stock("a"));
        assertEquals(2, warehouse.calls());
        ticker.advance(java.time.Duration.ofSeconds(30)); // one permit back
        assertEquals(7, inventory.stock("a"));
    }

    @Test
    void priorityShedsSheddableTrafficWhileTheShedderIsFull() {
        assertEquals("reserved a", inventory.reserve("a"));
        List<Permit> critical = new ArrayList<>();
        for (int i = 0; i < shedder.limit(); i++) {
            Permit p = shedder.tryAcquire(Priority.P0);
            assertTrue(p.isAdmitted());
            critical.add(p);
        }
        ShedException shed = assertThrows(ShedException.class, () -> inventory.reserve("b"));
        assertEquals(Priority.P3, shed.priority());
        critical.forEach(Permit::close);
        assertEquals("reserved c", inventory.reserve("c"));
        assertEquals(2, warehouse.calls());
    }

    @Test
    void circuitBreakerOpensAfterFailuresAndKeepsCallsAway() {
        warehouse.failNext(4);
        for (int i = 0; i < 4; i++) {
            assertThrows(IllegalStateException.class, () -> inventory.quote("a"));
        }
        assertThrows(CircuitBreakerOpenException.class, () -> inventory.quote("a"));
        assertEquals(4, warehouse.calls(), "the open breaker let a call through");
    }

    @Test
    void retryTriesAgainAfterItsBackoff() {
        warehouse.failNext(2);
        long before = ticker.read();
        assertEquals("restocked a", inventory.restock("a"));
        assertEquals(3, warehouse.calls());
        assertEquals(20_000_000L, ticker.read() - before, "two backoffs of 10 ms, slept on the manual ticker");
    }

    @Test
    void fallbackAnswersFromThePrivateMethodOfTheImplementation() {
        warehouse.failNext(1);
        assertEquals(42, inventory.price("a"));
        assertEquals(100, inventory.price("a"));
    }

    @Test
    void timeoutEndsAStageThatDoesNotComplete() {
        CompletableFuture<String> stage = inventory.lookup("a");
        assertFalse(stage.isDone());
        fireTimers();
        CompletionException e = assertThrows(CompletionException.class, stage::join);
        assertInstanceOf(TimeoutExceededException.class, e.getCause());
    }

    @Test
    void bulkheadRefusesASecondCallWhileTheFirstIsInFlight() {
        CompletableFuture<String> first = inventory.pick("a");
        CompletionException e = assertThrows(CompletionException.class, () -> inventory.pick("b").join());
        assertInstanceOf(BulkheadFullException.class, e.getCause());
        warehouse.pending().get(0).complete("picked a");
        assertEquals("picked a", first.join());
        CompletableFuture<String> third = inventory.pick("c");
        warehouse.pending().get(0).complete("picked c");
        assertEquals("picked c", third.join());
        assertEquals(2, warehouse.calls());
    }

    private void fireTimers() {
        assertFalse(timers.isEmpty(), "no timer was scheduled");
        for (Runnable t : timers) {
            t.run();
        }
        timers.clear();
    }
}
