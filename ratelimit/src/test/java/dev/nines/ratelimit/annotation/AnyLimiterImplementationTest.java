package dev.nines.ratelimit.annotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nines.AsyncCall;
import dev.nines.CallContext;
import dev.nines.Next;
import dev.nines.annotation.NinesProxy;
import dev.nines.annotation.PolicyRegistry;
import dev.nines.metrics.MetricsSink;
import dev.nines.ratelimit.AcquireResult;
import dev.nines.ratelimit.KeyedRateLimiter;
import dev.nines.ratelimit.Rate;
import dev.nines.ratelimit.RateLimitedException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** {@code @WithRateLimit} serves any {@link KeyedRateLimiter} registered under its name, not only the local one. */
class AnyLimiterImplementationTest {

    /** A keyed limiter that is not the local one: a fixed allowance per key, every decision recorded. */
    static final class AllowanceLimiter implements KeyedRateLimiter {
        final Map<String, Long> left = new HashMap<>();
        final List<String> asked = new ArrayList<>();
        private final long allowance;

        AllowanceLimiter(long allowance) {
            this.allowance = allowance;
        }

        @Override
        public String name() {
            return "fleet";
        }

        @Override
        public synchronized long tryAcquireOrWaitNanos(String key, long permits) {
            asked.add(key);
            long have = left.getOrDefault(key, allowance);
            if (have < permits) {
                return 7_000_000;
            }
            left.put(key, have - permits);
            return 0;
        }

        @Override
        public AcquireResult tryAcquireDetailed(String key, long permits) {
            long wait = tryAcquireOrWaitNanos(key, permits);
            return new AcquireResult(wait == 0, availablePermits(key), wait);
        }

        @Override
        public synchronized long availablePermits(String key) {
            return left.getOrDefault(key, allowance);
        }

        @Override
        public List<Rate> limits() {
            return List.of(Rate.perSecond(allowance));
        }

        @Override
        public <T> T execute(CallContext context, Callable<T> call, Next next) throws Exception {
            long wait = tryAcquireOrWaitNanos(context.keyOr(ANONYMOUS_KEY), 1);
            if (wait != 0) {
                throw new RateLimitedException(name(), wait);
            }
            return next.call(context, call);
        }

        @Override
        public <T> CompletionStage<T> executeAsync(CallContext context, AsyncCall<T> call, Next next) {
            long wait = tryAcquireOrWaitNanos(context.keyOr(ANONYMOUS_KEY), 1);
            return wait != 0 ? CompletableFuture.failedFuture(new RateLimitedException(name(), wait))
                    : next.callAsync(context, call);
        }
    }

    public interface Accounts {
        @WithRateLimit(name = "fleet", permits = 100, key = KeySource.ARGUMENT, argument = 0)
        String charge(String account);
    }

    @Test
    void aKeyedLimiterOfAnotherImplementationRegisteredUnderTheNameDecidesEveryCall() {
        AllowanceLimiter fleet = new AllowanceLimiter(1);
        PolicyRegistry registry = new PolicyRegistry().register(fleet);
        Accounts accounts = NinesProxy.builder(Accounts.class, account -> "charged " + account).registry(registry)
                .metrics(MetricsSink.noop()).build();

        assertEquals("charged a", accounts.charge("a"));
        assertEquals("charged b", accounts.charge("b"), "keys are separate");
        RateLimitedException refused = assertThrows(RateLimitedException.class, () -> accounts.charge("a"));
        assertEquals(7_000_000, refused.retryAfterNanos(), "the registered limiter's wait, not the annotation's 100/s");
        assertEquals(List.of("a", "b", "a"), fleet.asked, "every call was decided by the registered limiter");
        assertSame(fleet, registry.find("fleet", KeyedRateLimiter.class).orElseThrow());
    }
}
