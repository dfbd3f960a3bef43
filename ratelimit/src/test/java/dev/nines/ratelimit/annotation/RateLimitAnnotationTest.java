package dev.nines.ratelimit.annotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nines.CallContext;
import dev.nines.ManualTicker;
import dev.nines.annotation.AnnotatedMethod;
import dev.nines.annotation.MethodPolicies;
import dev.nines.annotation.NinesProxy;
import dev.nines.annotation.PolicyRegistry;
import dev.nines.metrics.MetricsSink;
import dev.nines.ratelimit.Limit;
import dev.nines.ratelimit.RateLimitedException;
import dev.nines.ratelimit.RateLimiter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RateLimitAnnotationTest {

    private final ManualTicker ticker = new ManualTicker();

    public interface Quotes {
        @RateLimit(permits = 2, period = 1, unit = TimeUnit.SECONDS)
        String quote(String symbol);

        @RateLimit(permits = 1, period = 1, unit = TimeUnit.MINUTES, key = KeySource.ARGUMENT, argument = 0)
        String perAccount(String account, int cents);

        @RateLimit(permits = 1, key = KeySource.CLIENT)
        String perClient();

        @RateLimit(permits = 1)
        CompletionStage<String> async();
    }

    static final class Impl implements Quotes {
        @Override
        public String quote(String symbol) {
            return symbol;
        }

        @Override
        public String perAccount(String account, int cents) {
            return account + cents;
        }

        @Override
        public String perClient() {
            return "client";
        }

        @Override
        public CompletionStage<String> async() {
            return CompletableFuture.completedFuture("async");
        }
    }

    private Quotes proxy() {
        return NinesProxy.builder(Quotes.class, new Impl()).ticker(ticker).metrics(MetricsSink.noop()).build();
    }

    @Test
    void limitsMethodsAndRejectsWithTheTimeToWait() {
        Quotes q = proxy();
        assertEquals("A", q.quote("A"));
        assertEquals("B", q.quote("B"));
        RateLimitedException e = assertThrows(RateLimitedException.class, () -> q.quote("C"));
        assertEquals(500_000_000, e.retryAfterNanos());
        assertEquals("Quotes.quote", e.policyName());
        ticker.advance(500, TimeUnit.MILLISECONDS);
        assertEquals("C", q.quote("C"));
        assertEquals("async", q.async().toCompletableFuture().join());
        CompletionException async = assertThrows(CompletionException.class, () -> q.async().toCompletableFuture().join());
        assertEquals(RateLimitedException.class, async.getCause().getClass());
    }

    @Test
    void argumentKeyGivesOneBucketPerValue() {
        Quotes q = proxy();
        assertEquals("alice1", q.perAccount("alice", 1));
        assertEquals("bob1", q.perAccount("bob", 1));
        RateLimitedException e = assertThrows(RateLimitedException.class, () -> q.perAccount("alice", 2));
        assertEquals(60_000_000_000L, e.retryAfterNanos());
    }

    @Test
    void clientKeyComesFromTheContextTheWebAdapterSets() throws Exception {
        MethodPolicies plan = MethodPolicies.of(method("perClient"), MethodPolicies.discoverHandlers());
        assertEquals("x", plan.pipeline().call(CallContext.empty().withKey("10.0.0.1"), c -> "x"));
        assertEquals("y", plan.pipeline().call(CallContext.empty().withKey("10.0.0.2"), c -> "y"));
        assertThrows(RateLimitedException.class,
                () -> plan.pipeline().call(CallContext.empty().withKey("10.0.0.1"), c -> "x"));
    }

    private AnnotatedMethod method(String name) throws Exception {
        for (java.lang.reflect.Method m : Quotes.class.getMethods()) {
            if (m.getName().equals(name)) {
                return new AnnotatedMethod(m, new Impl(), new PolicyRegistry(), MetricsSink.noop(), ticker);
            }
        }
        throw new AssertionError(name);
    }

    public interface BadPermits {
        @RateLimit(permits = 0)
        void call();
    }

    public interface BadArgument {
        @RateLimit(permits = 1, key = KeySource.ARGUMENT, argument = 2)
        void call(String a, String b);
    }

    public interface ArgumentWithoutKey {
        @RateLimit(permits = 1, argument = 0)
        void call(String a);
    }

    public interface NoParameter {
        @RateLimit(permits = 1, key = KeySource.ARGUMENT, argument = 0)
        void call();
    }

    public interface TooFast {
        @RateLimit(permits = 2, period = 1, unit = TimeUnit.NANOSECONDS)
        void call();
    }

    private static <I> String failure(Class<I> iface) {
        @SuppressWarnings("unchecked")
        I target = (I) java.lang.reflect.Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface},
                (p, m, a) -> null);
        return assertThrows(IllegalArgumentException.class, () -> NinesProxy.create(iface, target)).getMessage();
    }

    @Test
    void invalidAttributesFailAtProxyCreationNamingMethodAndAttribute() {
        assertEquals("@RateLimit on BadPermits.call(): permits must be >= 1 but was 0", failure(BadPermits.class));
        assertEquals("@RateLimit on BadArgument.call(String, String): argument must be between 0 and 1 with"
                + " key = ARGUMENT but was 2", failure(BadArgument.class));
        assertEquals("@RateLimit on ArgumentWithoutKey.call(String): argument must be -1 (unset) unless"
                + " key = ARGUMENT but was 0", failure(ArgumentWithoutKey.class));
        assertEquals("@RateLimit on NoParameter.call(): argument must index a parameter with key = ARGUMENT but"
                + " the method has none", failure(NoParameter.class));
        assertEquals("@RateLimit on TooFast.call(): permits must be <= one per nanosecond of period (1 per"
                + " PT0.000000001S) but was 2", failure(TooFast.class));
    }

    public interface Shared {
        @RateLimit(permits = 1, name = "shared")
        String a();

        @RateLimit(permits = 1, name = "shared")
        String b();
    }

    @Test
    void aNamedLimiterIsSharedBetweenMethods() {
        Shared s = NinesProxy.builder(Shared.class, new Shared() {
            @Override
            public String a() {
                return "a";
            }

            @Override
            public String b() {
                return "b";
            }
        }).ticker(ticker).metrics(MetricsSink.noop()).build();
        assertEquals("a", s.a());
        assertThrows(RateLimitedException.class, s::b);
    }

    @Test
    void anUnnamedLimitTakesTheLimiterRegisteredUnderTheMethodsDefaultName() {
        RateLimiter mine = RateLimiter.builder().name("Quotes.quote").limit(Limit.of(1, Duration.ofMinutes(1)))
                .ticker(ticker).metrics(MetricsSink.noop()).build();
        Quotes q = NinesProxy.builder(Quotes.class, new Impl()).registry(new PolicyRegistry().register(mine))
                .ticker(ticker).metrics(MetricsSink.noop()).build();
        assertEquals("A", q.quote("A"));
        assertThrows(RateLimitedException.class, () -> q.quote("B"),
                "the registered 1-per-minute limiter replaced the annotation's 2 per second");
        assertEquals(0, mine.availablePermits(), "the proxy spent the registered limiter's permit");
    }
}
