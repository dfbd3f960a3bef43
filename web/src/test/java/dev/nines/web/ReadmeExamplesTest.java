package dev.nines.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.FailureFilter;
import dev.nines.Pipeline;
import dev.nines.Priority;
import dev.nines.annotation.NinesProxy;
import dev.nines.bulkhead.SemaphoreBulkhead;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.circuitbreaker.CircuitBreakerOpenException;
import dev.nines.circuitbreaker.annotation.WithCircuitBreaker;
import dev.nines.fallback.Fallback;
import dev.nines.fallback.annotation.WithFallback;
import dev.nines.ratelimit.AcquireResult;
import dev.nines.ratelimit.KeyedRateLimiter;
import dev.nines.ratelimit.Rate;
import dev.nines.ratelimit.RateLimiter;
import dev.nines.retry.Backoff;
import dev.nines.retry.Jitter;
import dev.nines.retry.Retry;
import dev.nines.retry.RetryBudget;
import dev.nines.retry.annotation.WithRetry;
import dev.nines.shedding.LoadShedder;
import dev.nines.shedding.Permit;
import dev.nines.shedding.Tier;
import dev.nines.shedding.annotation.WithPriority;
import dev.nines.timeout.Timeout;
import dev.nines.timeout.TimeoutExceededException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the README says its examples do, checked at run time on copies of them (the fallback
 * answers once retries are spent, P3 is shed in the REDUCED tier, ...). The guard against drift is
 * the demo's {@code ReadmeSnippetsTest}, which compiles every java block of the README itself.
 */
public class ReadmeExamplesTest {

    public record Receipt(String id) {
        static final Receipt PENDING = new Receipt("pending");
    }

    @Test
    void protectingAnOutboundCall() throws Exception {
        RetryBudget budget = RetryBudget.builder("payments").retryRatio(0.1).minRetriesPerSecond(3).build();
        Pipeline payments = Pipeline.of(
                Fallback.of(Receipt.PENDING),
                Timeout.builder("payments-total").timeout(Duration.ofSeconds(2)).build(),
                Retry.builder("payments-retry").maxAttempts(3)
                        .backoff(Backoff.exponential(Duration.ofMillis(1), 2, Duration.ofMillis(4), Jitter.FULL))
                        .failures(FailureFilter.exceptions().ignoring(CircuitBreakerOpenException.class))
                        .budget(budget).build(),
                CircuitBreaker.builder("payments").failureRateThreshold(0.5).build(),
                SemaphoreBulkhead.builder("payments").maxConcurrent(20).build());

        Receipt ok = payments.call(ctx -> new Receipt("paid within " + ctx.remaining().orElseThrow().toSeconds() + "s"));
        assertTrue(ok.id().startsWith("paid within "), ok.id());
        Receipt failed = payments.call(() -> {
            throw new IOException("card service down");
        });
        assertEquals(Receipt.PENDING, failed, "the fallback answers once retries are spent");
    }

    @Test
    void theLambdaFreeForm() {
        CircuitBreaker breaker = CircuitBreaker.builder("http").build();
        if (breaker.tryAcquirePermission()) {
            long start = System.nanoTime();
            breaker.onSuccess(System.nanoTime() - start);
        }
        assertEquals(1, breaker.bufferedCalls());
    }

    public record Response(int status) {
    }

    @Test
    void oneFailureFilterForBreakerRetryAndFallback() throws Exception {
        FailureFilter failures = FailureFilter.on(IOException.class, TimeoutExceededException.class)
                .ignoring(FileNotFoundException.class)
                .failingResults(r -> r instanceof Response res && res.status() >= 500);
        CircuitBreaker breaker = CircuitBreaker.builder("payments").failures(failures).build();
        Retry retry = Retry.builder("payments-retry").failures(failures).backoff(Backoff.none()).build();
        Fallback fallback = Fallback.builder("payments-pending").value(Receipt.PENDING).failures(failures).build();
        assertEquals(Receipt.PENDING, Pipeline.of(fallback, retry, breaker).call(() -> new Response(503)));
        assertEquals(3, breaker.bufferedCalls(), "three attempts, each a failure the breaker counted");
    }

    @Test
    void limitingInboundCalls() {
        RateLimiter api = RateLimiter.builder("api").limit(Rate.perSecond(100)).limit(Rate.perMinute(2_000)).build();
        assertTrue(api.tryAcquire());
        KeyedRateLimiter perClient = KeyedRateLimiter.builder("per-client")
                .limit(Rate.of(10, Duration.ofSeconds(1), 20)).maxKeys(100_000).build();
        AcquireResult r = perClient.tryAcquireDetailed("client-1", 1);
        assertTrue(r.acquired());
        assertEquals(19, r.remainingPermits());
    }

    @Test
    void sheddingLoadByPriority() {
        List<Tier> tiers = new ArrayList<>();
        LoadShedder shedder = LoadShedder.builder("api")
                .limit(dev.nines.shedding.limit.ConcurrencyLimit.gradient().build())
                .share(Priority.P3, 0.5).share(Priority.P2, 0.7).share(Priority.P1, 0.9)
                .onTierChange((s, from, to) -> tiers.add(to))
                .build();
        try (Permit permit = shedder.tryAcquire(Priority.P3)) {
            assertTrue(permit.isAdmitted());
            assertEquals(1, shedder.inFlight(), "the work runs while the permit is held");
            assertTrue(permit.success(), "released by success(), after the work");
        }
        assertEquals(0, shedder.inFlight());
        shedder.forceTier(Tier.REDUCED);
        try (Permit permit = shedder.tryAcquire(Priority.P3)) {
            assertFalse(permit.isAdmitted(), "P3 is shed in the REDUCED tier");
        }
        assertEquals(List.of(Tier.REDUCED), tiers);
    }

    /** The README's annotated interface. */
    public interface PaymentClient {
        @WithFallback(method = "chargeLater")
        @WithRetry(maxAttempts = 3, initialDelayMillis = 1, maxDelayMillis = 2)
        @WithCircuitBreaker(name = "payments")
        @WithPriority(Priority.P0)
        Receipt charge(String account, long cents);
    }

    /** Fails every charge, so the fallback shows. */
    public static class FlakyPaymentClient implements PaymentClient {
        @Override
        public Receipt charge(String account, long cents) {
            throw new IllegalStateException("gateway timeout");
        }

        public Receipt chargeLater(String account, long cents) {
            return new Receipt("queued " + account + " " + cents);
        }
    }

    @Test
    void annotations() {
        PaymentClient client = NinesProxy.create(PaymentClient.class, new FlakyPaymentClient());
        assertEquals(new Receipt("queued acct-1 500"), client.charge("acct-1", 500));
    }
}
