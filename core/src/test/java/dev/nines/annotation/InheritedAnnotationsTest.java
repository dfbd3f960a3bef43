package dev.nines.annotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nines.ManualTicker;
import dev.nines.metrics.MetricsSink;
import dev.nines.retry.Backoff;
import dev.nines.retry.Jitter;
import dev.nines.retry.Retry;
import dev.nines.retry.annotation.WithRetry;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Type-level annotations reach inherited methods, named after the proxied type, with a documented precedence. */
class InheritedAnnotationsTest {

    public interface Base {
        String quote() throws IOException;
    }

    @WithRetry(maxAttempts = 3, initialDelayMillis = 0, jitter = Jitter.NONE)
    public interface Sub extends Base {
    }

    @WithRetry(maxAttempts = 2, initialDelayMillis = 0, jitter = Jitter.NONE)
    public interface LayeredBase {
        String typeOnly() throws IOException;

        @WithRetry(maxAttempts = 4, initialDelayMillis = 0, jitter = Jitter.NONE)
        String annotatedInBase() throws IOException;
    }

    @WithRetry(maxAttempts = 3, initialDelayMillis = 0, jitter = Jitter.NONE)
    public interface LayeredSub extends LayeredBase {
        String ownMethod() throws IOException;
    }

    public interface AnnotatedOverridden {
        @WithRetry(maxAttempts = 4, initialDelayMillis = 0, jitter = Jitter.NONE)
        String quote() throws IOException;
    }

    public interface Redeclaring extends AnnotatedOverridden {
        @Override
        String quote() throws IOException;
    }

    /** Counts attempts of an implementation that always fails with an IOException. */
    private static final class Failing {
        final AtomicInteger attempts = new AtomicInteger();

        String fail() throws IOException {
            attempts.incrementAndGet();
            throw new IOException("down");
        }
    }

    private static <I> I proxy(Class<I> type, I target, PolicyRegistry registry) {
        ManualTicker ticker = new ManualTicker();
        return NinesProxy.builder(type, target).registry(registry).metrics(MetricsSink.noop())
                .ticker(ticker).sleeper(ticker::advance).build();
    }

    /** Attempts one call of {@code method} made, failing every time. */
    private static <I> int attemptsOf(Class<I> type, Function<Failing, I> impl, PolicyRegistry registry,
            Function<I, Callable> method) {
        Failing failing = new Failing();
        I proxy = proxy(type, impl.apply(failing), registry);
        assertThrows(IOException.class, () -> method.apply(proxy).call());
        return failing.attempts.get();
    }

    interface Callable {
        String call() throws IOException;
    }

    @Test
    void aTypeAnnotationOnASubinterfaceProtectsTheMethodsItInherits() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        Sub sub = proxy(Sub.class, () -> {
            if (attempts.incrementAndGet() < 3) {
                throw new IOException("flaky");
            }
            return "42";
        }, new PolicyRegistry());
        assertEquals("42", sub.quote());
        assertEquals(3, attempts.get());
    }

    @Test
    void anInheritedMethodsPolicyIsNamedAfterTheProxiedTypeSoARegistryOverrideUnderThatNameApplies() {
        PolicyRegistry registry = new PolicyRegistry();
        registry.register(Retry.builder("Sub.quote").maxAttempts(5).backoff(Backoff.none()).build());
        assertEquals(5, attemptsOf(Sub.class, f -> f::fail, registry, s -> s::quote));
    }

    @Test
    void aSubtypesAnnotationWinsOverItsSupertypesAndAMethodAnnotationWinsOverBoth() {
        class Impl implements LayeredSub {
            final Failing f;

            Impl(Failing f) {
                this.f = f;
            }

            @Override
            public String typeOnly() throws IOException {
                return f.fail();
            }

            @Override
            public String annotatedInBase() throws IOException {
                return f.fail();
            }

            @Override
            public String ownMethod() throws IOException {
                return f.fail();
            }
        }
        PolicyRegistry registry = new PolicyRegistry();
        assertEquals(3, attemptsOf(LayeredSub.class, Impl::new, registry, s -> s::typeOnly),
                "the subinterface's @WithRetry, not the base's");
        assertEquals(4, attemptsOf(LayeredSub.class, Impl::new, registry, s -> s::annotatedInBase),
                "the method's own @WithRetry, though it is declared in the base");
        assertEquals(3, attemptsOf(LayeredSub.class, Impl::new, registry, s -> s::ownMethod));
        assertEquals(2, attemptsOf(LayeredBase.class, Impl::new, registry, s -> s::typeOnly),
                "proxied as the base, the base's");
    }

    @Test
    void aRedeclaredMethodKeepsTheAnnotationOfTheMethodItOverrides() {
        assertEquals(4, attemptsOf(Redeclaring.class, f -> f::fail, new PolicyRegistry(), s -> s::quote));
    }

    @Test
    void anInheritedMethodIsDescribedAsAMethodOfTheProxiedType() throws Exception {
        AnnotatedMethod m = new AnnotatedMethod(Sub.class, Base.class.getMethod("quote"), null, new PolicyRegistry(),
                MetricsSink.noop(), new ManualTicker(), t -> { }, dev.nines.Scheduler.system());
        assertEquals("Sub.quote", m.defaultPolicyName());
        assertEquals("Sub.quote()", m.describe());
        assertEquals(3, m.annotation(WithRetry.class).maxAttempts());
    }

    @Test
    void aTypeThatDoesNotHaveTheMethodIsRefused() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AnnotatedMethod(Base.class, LayeredBase.class.getMethod("typeOnly"), null,
                        new PolicyRegistry(), MetricsSink.noop(), new ManualTicker(), t -> { },
                        dev.nines.Scheduler.system()));
        assertEquals("type must be LayeredBase or a subtype of it but was " + Base.class.getName(), e.getMessage());
    }
}
