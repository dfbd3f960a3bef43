package dev.nines.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.Pipeline;
import dev.nines.bulkhead.SemaphoreBulkhead;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.fallback.Fallback;
import dev.nines.retry.Backoff;
import dev.nines.retry.Retry;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineOrderCheckTest {

    private final CircuitBreaker breaker = CircuitBreaker.builder("payments").build();
    private final SemaphoreBulkhead bulkhead = SemaphoreBulkhead.builder("pool").maxConcurrent(2).build();
    private final Fallback fallback = Fallback.builder("pending").value("PENDING").build();

    @Test
    void aFallbackInsideACircuitBreakerIsRefusedNamingBothPositionsAndPolicies() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Pipeline.of(breaker, bulkhead, fallback));
        assertEquals("policies[2] (fallback 'pending') is inside policies[0] (circuit breaker 'payments'): it replaces"
                + " the failures the breaker counts, so the breaker never opens for them; put the fallback before"
                + " (outside) the breaker, and have the breaker's failure filter ignore failures that should not count",
                e.getMessage());
    }

    @Test
    void aFallbackHiddenInANestedPipelineInsideABreakerIsRefusedToo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Pipeline.of(breaker, Pipeline.of(bulkhead, fallback)));
        assertTrue(e.getMessage().startsWith("policies[2] (fallback 'pending') is inside policies[0]"), e.getMessage());
    }

    @Test
    void aFallbackInsideARetryIsBuiltAndWarnedAboutOnce() throws Exception {
        Retry retry = Retry.builder("order-check-retry").maxAttempts(3).backoff(Backoff.none()).build();
        Pipeline pipeline = Pipeline.of(retry, fallback);
        assertEquals("PENDING", pipeline.call(() -> {
            throw new IOException("down");
        }), "built as asked: the fallback answers and the retry has nothing to retry");
        List<String> warnings = PipelineOrderCheck.check(pipeline.policies());
        assertEquals(List.of("policies[1] (fallback 'pending') is inside policies[0] (retry 'order-check-retry'): the"
                + " retry never sees the failures the fallback handles, so it does not retry them; put the fallback"
                + " before (outside) the retry unless that is meant"), warnings);
        assertFalse(PipelineOrderCheck.warnOnce(warnings.get(0)), "logged when the pipeline was built, not again");
    }

    @Test
    void aFallbackOutsideTheBreakerAndTheRetryIsTheOrderThatWorks() {
        Retry retry = Retry.builder("r").maxAttempts(2).backoff(Backoff.none()).build();
        assertEquals(List.of(), PipelineOrderCheck.check(List.of(fallback, retry, breaker, bulkhead)));
    }
}
