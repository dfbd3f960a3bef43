package dev.nines.it;

import dev.nines.Priority;
import dev.nines.bulkhead.annotation.WithBulkhead;
import dev.nines.circuitbreaker.annotation.WithCircuitBreaker;
import dev.nines.fallback.annotation.WithFallback;
import dev.nines.ratelimit.annotation.WithRateLimit;
import dev.nines.retry.Jitter;
import dev.nines.retry.annotation.WithRetry;
import dev.nines.shedding.annotation.WithPriority;
import dev.nines.timeout.annotation.WithTimeout;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The application's service interface, one nines annotation per method, so that a proxy of it
 * shows each module's handler at work on the module path. Implemented by {@link Warehouse}.
 */
public interface Inventory {

    /** Two calls a minute (ratelimit's handler). */
    @WithRateLimit(permits = 2, period = 1, unit = TimeUnit.MINUTES, name = "it-stock")
    int stock(String sku);

    /** Sheddable traffic through the registered shedder {@code it-shedder} (shedding's handler). */
    @WithPriority(value = Priority.P3, shedder = "it-shedder")
    String reserve(String sku);

    /** Opens after four calls of which at least half failed (core's breaker handler). */
    @WithCircuitBreaker(name = "it-breaker", windowSize = 4, minimumCalls = 4, failureRateThreshold = 0.5)
    String quote(String sku);

    /** Three attempts, 10 ms apart (core's retry handler). */
    @WithRetry(maxAttempts = 3, initialDelayMillis = 10, multiplier = 1.0, jitter = Jitter.NONE)
    String restock(String sku);

    /** Answered by {@link Warehouse}'s private {@code cachedPrice} when it fails (core's fallback handler). */
    @WithFallback(method = "cachedPrice")
    long price(String sku);

    /** Gives up after 100 ms (core's timeout handler). */
    @WithTimeout(millis = 100)
    CompletableFuture<String> lookup(String sku);

    /** One call at a time, no waiting (core's bulkhead handler). */
    @WithBulkhead(maxConcurrent = 1)
    CompletableFuture<String> pick(String sku);
}
