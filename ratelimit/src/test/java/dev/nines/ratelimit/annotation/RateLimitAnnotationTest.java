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
import dev.nines.ratelimit.Rate;
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
        @WithRateLimit(permits = 2, period = 1, unit = TimeUnit.SECONDS)
        String quote(String symbol);

        @WithRateLimit(permits = 1, period = 1, unit = TimeUnit.MINUTES, key = KeySource.ARGUMENT, argument = 0)
        String perAccount(String account, int cents);

        @WithRateLimit(permits = 1, key = KeySource.CLIENT)
        String perClient();

        @WithRateLimit(permits = 1)
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
        @WithRateLimit(permits = 0)
        void call();
    }

    public interface BadArgument {
        @WithRateLimit(permits = 1, key = KeySource.ARGUMENT, argument = 2)
        void call(String a, String b);
    }

    public interface ArgumentWithoutKey {
        @WithRateLimit(permits = 1, argument = 0)
        void call(String a);
    }

    public interface NoParameter {
        @WithRateLimit(permits = 1, key = KeySource.ARGUMENT, argument = 0)
        void call();
    }

    public interface TooFast {
        @WithRateLimit(permits = 2, period = 1, unit = TimeUnit.NANOSECONDS)
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
        assertEquals("@WithRateLimit on BadPermits.call(): permits must be >= 1 but was 0", failure(BadPermits.class));
        assertEquals("@WithRateLimit on BadArgument.call(String, String): argument must be between 0 and 1 with"
                + " key = ARGUMENT but was 2", failure(BadArgument.class));
        assertEquals("@WithRateLimit on ArgumentWithoutKey.call(String): argument must be -1 (unset) unless"
                + " key = ARGUMENT but was 0", failure(ArgumentWithoutKey.class));
        assertEquals("@WithRateLimit on NoParameter.call(): argument must index a parameter with key = ARGUMENT but"
                + " the method has none", failure(NoParameter.class));
        assertEquals("@WithRateLimit on TooFast.call(): permits must be <= one per nanosecond of period (1 per"
                + " PT0.000000001S) but was 2", failure(TooFast.class));
    }

    public interface Shared {
        @WithRateLimit(permits = 1, name = "shared")
        String a();

        @WithRateLimit(permits = 1, name = "shared")
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
        RateLimiter mine = RateLimiter.builder("Quotes.quote").limit(Rate.of(1, Duration.ofMinutes(1)))
                .ticker(ticker).metrics(MetricsSink.noop()).build();
        Quotes q = NinesProxy.builder(Quotes.class, new Impl()).registry(new PolicyRegistry().register(mine))
                .ticker(ticker).metrics(MetricsSink.noop()).build();
        assertEquals("A", q.quote("A"));
        assertThrows(RateLimitedException.class, () -> q.quote("B"),
                "the registered 1-per-minute limiter replaced the annotation's 2 per second");
        assertEquals(0, mine.availablePermits(), "the proxy spent the registered limiter's permit");
    }

    public interface SharesOnePerSecond {
        @WithRateLimit(permits = 1, name = "s")
        String a();

        @WithRateLimit(permits = 60, period = 1, unit = TimeUnit.MINUTES, burst = 1, key = KeySource.CLIENT, name = "k")
        String k();
    }

    public interface AsksForMorePermits {
        @WithRateLimit(permits = 100, name = "s")
        String b();
    }

    public interface AsksForAnotherPeriod {
        @WithRateLimit(permits = 1, period = 1, unit = TimeUnit.MINUTES, name = "s")
        String b();
    }

    public interface AsksForAnotherBurst {
        @WithRateLimit(permits = 1, burst = 2, name = "s")
        String b();
    }

    public interface AsksForAKey {
        @WithRateLimit(permits = 1, key = KeySource.CLIENT, name = "s")
        String b();
    }

    public interface AsksForMoreKeys {
        @WithRateLimit(permits = 60, period = 60, burst = 1, key = KeySource.CLIENT, maxKeys = 10, name = "k")
        String b();
    }

    public interface AgreesInOtherUnits {
        @WithRateLimit(permits = 1, period = 1_000, unit = TimeUnit.MILLISECONDS, burst = 1, name = "s")
        String b();

        @WithRateLimit(permits = 60, period = 60, burst = 1, key = KeySource.ARGUMENT, argument = 0, name = "k")
        String k(String account);
    }

    private static <I> I stub(Class<I> iface) {
        @SuppressWarnings("unchecked")
        I target = (I) java.lang.reflect.Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface},
                (p, m, a) -> "ok");
        return target;
    }

    @Test
    void annotationsSharingANameMustAgreeOnTheLimit() {
        PolicyRegistry registry = new PolicyRegistry();
        java.util.function.Function<Class<?>, String> failure = iface -> assertThrows(IllegalArgumentException.class,
                () -> create(iface, registry)).getMessage();
        SharesOnePerSecond first = create(SharesOnePerSecond.class, registry);
        String like = " like the @WithRateLimit on SharesOnePerSecond.a() that created the shared limiter 's' but was ";
        assertEquals("@WithRateLimit on AsksForMorePermits.b(): permits must be 1" + like + "100",
                failure.apply(AsksForMorePermits.class));
        assertEquals("@WithRateLimit on AsksForAnotherPeriod.b(): period must be 1 SECONDS" + like + "1 MINUTES",
                failure.apply(AsksForAnotherPeriod.class));
        assertEquals("@WithRateLimit on AsksForAnotherBurst.b(): burst must be 1" + like + "2",
                failure.apply(AsksForAnotherBurst.class));
        assertEquals("@WithRateLimit on AsksForAKey.b(): key must be NONE" + like + "CLIENT",
                failure.apply(AsksForAKey.class));
        assertEquals("@WithRateLimit on AsksForMoreKeys.b(): maxKeys must be 100000 like the @WithRateLimit on"
                + " SharesOnePerSecond.k() that created the shared limiter 'k' but was 10",
                failure.apply(AsksForMoreKeys.class));

        AgreesInOtherUnits same = create(AgreesInOtherUnits.class, registry); // 1,000 ms is 1 s: one limiter
        assertEquals("ok", first.a());
        assertThrows(RateLimitedException.class, same::b);
    }

    @Test
    void aLimiterRegisteredInCodeUnderTheNameWinsOverEveryAnnotation() {
        RateLimiter mine = RateLimiter.builder("s").limit(Rate.perSecond(3)).ticker(ticker)
                .metrics(MetricsSink.noop()).build();
        PolicyRegistry registry = new PolicyRegistry().register(mine);
        SharesOnePerSecond one = create(SharesOnePerSecond.class, registry);
        AsksForMorePermits hundred = create(AsksForMorePermits.class, registry); // no contradiction with code
        assertEquals("ok", one.a());
        assertEquals("ok", hundred.b());
        assertEquals("ok", one.a());
        assertThrows(RateLimitedException.class, hundred::b, "both use the registered 3 per second");
    }

    private <I> I create(Class<I> iface, PolicyRegistry registry) {
        return NinesProxy.builder(iface, stub(iface)).registry(registry).ticker(ticker).metrics(MetricsSink.noop())
                .build();
    }
}
