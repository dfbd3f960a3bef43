package dev.nines.fallback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.RejectedCallException;
import dev.nines.annotation.NinesProxy;
import dev.nines.annotation.PolicyRegistry;
import dev.nines.bulkhead.SemaphoreBulkhead;
import dev.nines.bulkhead.annotation.WithBulkhead;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.circuitbreaker.CircuitState;
import dev.nines.circuitbreaker.annotation.WithCircuitBreaker;
import dev.nines.fallback.annotation.WithFallback;
import dev.nines.metrics.MetricsSink;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * Annotations through {@link NinesProxy}, with the handlers found on the classpath. The interfaces
 * are public because NinesProxy currently invokes the proxy's own (not the accessible) Method.
 */
public class AnnotatedBreakerAndFallbackTest {

    public interface Quotes {
        @WithFallback(method = "cached", failures = {IOException.class,
                RejectedCallException.class})
        @WithCircuitBreaker(name = "quotes", minimumCalls = 2, windowSize = 2)
        String quote(String symbol) throws IOException;

        @WithFallback(method = "cachedAsync")
        @WithCircuitBreaker(name = "quotes")
        CompletionStage<String> quoteAsync(String symbol);
    }

    static class FlakyQuotes implements Quotes {
        int calls;

        @Override
        public String quote(String symbol) throws IOException {
            calls++;
            throw new IOException("down");
        }

        @Override
        public CompletionStage<String> quoteAsync(String symbol) {
            calls++;
            return CompletableFuture.failedFuture(new IOException("down"));
        }

        @SuppressWarnings("unused")
        private String cached(String symbol, Throwable failure) {
            return symbol + "@cache(" + failure.getClass().getSimpleName() + ")";
        }

        @SuppressWarnings("unused")
        private CompletionStage<String> cachedAsync(String symbol) {
            return CompletableFuture.completedFuture(symbol + "@async-cache");
        }
    }

    @Test
    void fallbackSitsOutsideTheBreakerAndSeesItsRejections() throws Exception {
        PolicyRegistry registry = new PolicyRegistry();
        FlakyQuotes target = new FlakyQuotes();
        Quotes q = NinesProxy.builder(Quotes.class, target).registry(registry).ticker(new ManualTicker())
                .metrics(MetricsSink.noop()).build();
        assertEquals("ACME@cache(IOException)", q.quote("ACME"));
        assertEquals("ACME@cache(IOException)", q.quote("ACME"));
        CircuitBreaker breaker = registry.find("quotes", CircuitBreaker.class).orElseThrow();
        assertEquals(CircuitState.OPEN, breaker.state());
        assertEquals("ACME@cache(CircuitBreakerOpenException)", q.quote("ACME"));
        assertEquals(2, target.calls); // the open breaker kept the third call away
        assertEquals("X@async-cache", q.quoteAsync("X").toCompletableFuture().get());
        assertEquals(2, target.calls); // same breaker by name, still open
    }

    @Test
    void aRegisteredBreakerWinsOverTheAttributes() throws Exception {
        CircuitBreaker mine = CircuitBreaker.builder("quotes").metrics(MetricsSink.noop()).build();
        mine.forceOpen();
        PolicyRegistry registry = new PolicyRegistry().register(mine);
        FlakyQuotes target = new FlakyQuotes();
        Quotes q = NinesProxy.builder(Quotes.class, target).registry(registry).build();
        assertEquals("A@cache(CircuitBreakerOpenException)", q.quote("A"));
        assertEquals(0, target.calls);
        assertSame(mine, registry.find("quotes", CircuitBreaker.class).orElseThrow());
    }

    public interface MissingMethod {
        @WithFallback(method = "nowhere")
        String get(int id);
    }

    public interface WrongReturn {
        @WithFallback(method = "number")
        String get(int id);
    }

    public interface BadBreaker {
        @WithCircuitBreaker(openDuration = "30 seconds")
        String get(int id);
    }

    public interface BadThreshold {
        @WithCircuitBreaker(failureRateThreshold = 0)
        String get(int id);
    }

    public interface PercentThreshold {
        @WithCircuitBreaker(failureRateThreshold = 50)
        String get(int id);
    }

    static class Impl implements MissingMethod, WrongReturn, BadBreaker, BadThreshold, PercentThreshold {
        @Override
        public String get(int id) {
            return "x";
        }

        @SuppressWarnings("unused")
        Integer number(int id) {
            return id;
        }
    }

    @Test
    void invalidAttributesFailAtProxyCreationNamingMethodAndAttribute() {
        assertEquals("@WithFallback on MissingMethod.get(int): method must name a method of Impl taking (int) or "
                + "(int, Throwable) but was 'nowhere'",
                assertThrows(IllegalArgumentException.class,
                        () -> NinesProxy.create(MissingMethod.class, new Impl())).getMessage());
        assertEquals("@WithFallback on WrongReturn.get(int): method must return String or a subtype but was "
                + "'number' returning Integer",
                assertThrows(IllegalArgumentException.class,
                        () -> NinesProxy.create(WrongReturn.class, new Impl())).getMessage());
        assertEquals("@WithCircuitBreaker on BadBreaker.get(int): openDuration must be an ISO-8601 duration such as "
                + "PT30S but was '30 seconds'",
                assertThrows(IllegalArgumentException.class,
                        () -> NinesProxy.create(BadBreaker.class, new Impl())).getMessage());
        assertEquals("@WithCircuitBreaker on BadThreshold.get(int): failureRateThreshold must be a fraction in (0, 1] "
                + "but was 0.0",
                assertThrows(IllegalArgumentException.class,
                        () -> NinesProxy.create(BadThreshold.class, new Impl())).getMessage());
    }

    @Test
    void aThresholdWrittenAsAPercentFailsAtProxyCreationSayingWhichFractionItMeant() {
        assertEquals("@WithCircuitBreaker on PercentThreshold.get(int): failureRateThreshold must be a fraction "
                + "in (0, 1] but was 50.0 (50% is 0.5)",
                assertThrows(IllegalArgumentException.class,
                        () -> NinesProxy.create(PercentThreshold.class, new Impl())).getMessage());
    }

    public interface NoCalls {
        @WithCircuitBreaker(windowSize = 0)
        String call();
    }

    public interface OverADay {
        @WithCircuitBreaker(windowType = dev.nines.circuitbreaker.SlidingWindowType.TIME,
                windowSize = 100_000)
        String call();
    }

    @Test
    void anInvalidWindowSizeIsReportedByTheAttributesNameNotTheBuilders() {
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> NinesProxy.builder(NoCalls.class, () -> "x").metrics(MetricsSink.noop()).build());
        assertEquals("@WithCircuitBreaker on NoCalls.call(): windowSize must be in [1, 1048575] calls for a COUNT window "
                + "but was 0", count.getMessage());
        IllegalArgumentException time = assertThrows(IllegalArgumentException.class,
                () -> NinesProxy.builder(OverADay.class, () -> "x").metrics(MetricsSink.noop()).build());
        assertEquals("@WithCircuitBreaker on OverADay.call(): windowSize must be in [1, 86400] seconds for a TIME window "
                + "but was 100000", time.getMessage());
    }

    public interface Slow {
        @WithFallback(method = "cached")
        @WithBulkhead(name = "slow", maxConcurrent = 1)
        CompletionStage<String> get(String id);
    }

    static class SlowImpl implements Slow {
        final CompletableFuture<String> work = new CompletableFuture<>();
        int fallbacks;

        @Override
        public CompletionStage<String> get(String id) {
            return work;
        }

        @SuppressWarnings("unused")
        private CompletionStage<String> cached(String id) {
            fallbacks++;
            return CompletableFuture.completedFuture(id + "@cache");
        }
    }

    @Test
    void cancellingTheStageOfAnAnnotatedFallbackCancelsTheWorkAndFreesTheBulkheadPermit() {
        PolicyRegistry registry = new PolicyRegistry();
        SlowImpl target = new SlowImpl();
        Slow slow = NinesProxy.builder(Slow.class, target).registry(registry).metrics(MetricsSink.noop()).build();
        CompletableFuture<String> result = slow.get("A").toCompletableFuture();
        SemaphoreBulkhead bulkhead = registry.find("slow", SemaphoreBulkhead.class).orElseThrow();
        assertEquals(0, bulkhead.availablePermits());

        assertTrue(result.cancel(true));
        assertTrue(target.work.isCancelled(), "the cancel reached the work");
        assertEquals(1, bulkhead.availablePermits(), "the permit inside is free again");
        assertEquals(0, target.fallbacks, "a cancel is not a failure to fall back from");
    }
}
