package dev.nines.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nines.ManualTicker;
import dev.nines.Policy;
import dev.nines.annotation.AnnotatedMethod;
import dev.nines.annotation.MethodPolicies;
import dev.nines.annotation.NinesProxy;
import dev.nines.annotation.PolicyRegistry;
import dev.nines.bulkhead.BulkheadFullException;
import dev.nines.bulkhead.SemaphoreBulkhead;
import dev.nines.bulkhead.annotation.WithBulkhead;
import dev.nines.metrics.MetricsSink;
import dev.nines.retry.Backoff;
import dev.nines.retry.Retry;
import dev.nines.retry.RetryBudget;
import dev.nines.retry.annotation.WithRetry;
import dev.nines.timeout.Timeout;
import dev.nines.timeout.annotation.WithTimeout;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AnnotationsTest {

    private final ManualTicker ticker = new ManualTicker();

    public interface Client {
        @WithRetry(maxAttempts = 3, initialDelayMillis = 0, maxDelayMillis = 0)
        String flaky() throws IOException;

        @WithRetry(name = "shared", maxAttempts = 5)
        String named();

        @WithBulkhead(maxConcurrent = 1)
        String guarded() throws InterruptedException;

        @WithTimeout(millis = 500, scope = WithTimeout.Scope.ATTEMPT)
        @WithRetry(maxAttempts = 2)
        String perAttempt();

        @WithTimeout(millis = 500)
        @WithRetry(maxAttempts = 2, budget = "payments", createBudget = true)
        String total();
    }

    private static final class FlakyClient implements Client {
        final AtomicInteger calls = new AtomicInteger();
        final CountDownLatch inside = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public String flaky() throws IOException {
            if (calls.incrementAndGet() < 3) {
                throw new IOException("try again");
            }
            return "ok after " + calls.get();
        }

        @Override
        public String named() {
            return "named";
        }

        @Override
        public String guarded() throws InterruptedException {
            inside.countDown();
            release.await();
            return "guarded";
        }

        @Override
        public String perAttempt() {
            return "a";
        }

        @Override
        public String total() {
            return "t";
        }
    }

    private <I> NinesProxy.Builder<I> proxy(Class<I> iface, I target, PolicyRegistry registry) {
        return NinesProxy.builder(iface, target).registry(registry).ticker(ticker).metrics(MetricsSink.noop());
    }

    @Test
    void retryThroughTheProxyRetriesTheMethod() throws Exception {
        FlakyClient target = new FlakyClient();
        Client client = proxy(Client.class, target, new PolicyRegistry()).build();
        assertEquals("ok after 3", client.flaky());
    }

    @Test
    void aRegisteredInstanceWinsOverTheAnnotationsAttributes() throws Exception {
        PolicyRegistry registry = new PolicyRegistry();
        Retry mine = Retry.builder("shared").maxAttempts(1).backoff(Backoff.none()).build();
        registry.register(mine);
        proxy(Client.class, new FlakyClient(), registry).build();
        assertSame(mine, registry.find("shared", Retry.class).orElseThrow());
        List<Policy> policies = plan(registry, "named").pipeline().policies();
        assertSame(mine, policies.get(0));
    }

    @Test
    void bulkheadThroughTheProxyRejectsASecondConcurrentCall() throws Exception {
        FlakyClient target = new FlakyClient();
        Client client = proxy(Client.class, target, new PolicyRegistry()).build();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<String> first = pool.submit(client::guarded);
            target.inside.await(10, TimeUnit.SECONDS);
            assertThrows(BulkheadFullException.class, client::guarded);
            target.release.countDown();
            assertEquals("guarded", first.get(10, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theTimeoutScopeDecidesWhetherItSitsInsideOrOutsideTheRetry() throws Exception {
        PolicyRegistry registry = new PolicyRegistry();
        List<Policy> perAttempt = plan(registry, "perAttempt").pipeline().policies();
        assertInstanceOf(Retry.class, perAttempt.get(0));
        assertInstanceOf(Timeout.class, perAttempt.get(1));
        List<Policy> total = plan(registry, "total").pipeline().policies();
        assertInstanceOf(Timeout.class, total.get(0));
        assertInstanceOf(Retry.class, total.get(1));
        RetryBudget budget = registry.find("payments", RetryBudget.class).orElseThrow();
        assertSame(budget, ((Retry) total.get(1)).budget(), "the named budget is shared through the registry");
    }

    public interface BadAttempts {
        @WithRetry(maxAttempts = 0)
        void call();
    }

    public interface BadDelays {
        @WithRetry(initialDelayMillis = 200, maxDelayMillis = 100)
        void call();
    }

    public interface BadMultiplier {
        @WithRetry(multiplier = 0.5)
        void call();
    }

    public interface BadTimeout {
        @WithTimeout(millis = 0)
        void call();
    }

    public interface BadBulkhead {
        @WithBulkhead(maxConcurrent = 0)
        void call();
    }

    public interface BadWait {
        @WithBulkhead(maxWaitMillis = -5)
        void call();
    }

    @Test
    void invalidAttributesFailAtProxyCreationNamingMethodAndAttribute() {
        assertEquals("@WithRetry on BadAttempts.call(): maxAttempts must be >= 1 but was 0",
                invalid(BadAttempts.class, () -> { }));
        assertEquals("@WithRetry on BadDelays.call(): maxDelayMillis must be >= initialDelayMillis (200) but was 100",
                invalid(BadDelays.class, () -> { }));
        assertEquals("@WithRetry on BadMultiplier.call(): multiplier must be >= 1.0 and finite but was 0.5",
                invalid(BadMultiplier.class, () -> { }));
        assertEquals("@WithTimeout on BadTimeout.call(): millis must be > 0 but was 0",
                invalid(BadTimeout.class, () -> { }));
        assertEquals("@WithBulkhead on BadBulkhead.call(): maxConcurrent must be >= 1 but was 0",
                invalid(BadBulkhead.class, () -> { }));
        assertEquals("@WithBulkhead on BadWait.call(): maxWaitMillis must be >= 0 but was -5",
                invalid(BadWait.class, () -> { }));
    }

    @Test
    void aBulkheadNamedOnTwoMethodsIsOneBulkhead() throws Exception {
        PolicyRegistry registry = new PolicyRegistry();
        proxy(SharedLimit.class, new SharedLimit() {
            @Override
            public void a() {
            }

            @Override
            public void b() {
            }
        }, registry).build();
        SemaphoreBulkhead shared = registry.find("db", SemaphoreBulkhead.class).orElseThrow();
        assertEquals(4, shared.config().maxConcurrent());
    }

    public interface SharedLimit {
        @WithBulkhead(name = "db", maxConcurrent = 4)
        void a();

        @WithBulkhead(name = "db", maxConcurrent = 4)
        void b();
    }

    public interface MisspeltBudget {
        @WithRetry(maxAttempts = 2, budget = "paymnets")
        String charge();
    }

    @Test
    void aBudgetNameThatIsNotRegisteredFailsAtProxyCreationNamingTheBudgetsThatExist() {
        PolicyRegistry registry = new PolicyRegistry().register(RetryBudget.builder("payments").build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> proxy(MisspeltBudget.class, () -> "x", registry).build());
        assertEquals("@WithRetry on MisspeltBudget.charge(): budget must name a RetryBudget registered in the"
                + " PolicyRegistry but was 'paymnets', which is not registered (registered RetryBudgets: [payments]);"
                + " register it, or set createBudget = true to create it with defaults", e.getMessage());
        assertEquals(java.util.Optional.empty(), registry.find("paymnets", RetryBudget.class),
                "no second budget was created");
    }

    private MethodPolicies plan(PolicyRegistry registry, String method) throws NoSuchMethodException {
        Method m = Client.class.getMethod(method);
        return MethodPolicies.of(new AnnotatedMethod(m, new FlakyClient(), registry, MetricsSink.noop(), ticker),
                MethodPolicies.discoverHandlers());
    }

    /** Builds a proxy of an interface with one invalid annotation; returns the error message. */
    private <I> String invalid(Class<I> iface, Runnable impl) {
        @SuppressWarnings("unchecked")
        I target = (I) java.lang.reflect.Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface},
                (p, m, a) -> {
                    impl.run();
                    return null;
                });
        return assertThrows(IllegalArgumentException.class,
                () -> proxy(iface, target, new PolicyRegistry()).build()).getMessage();
    }
}
