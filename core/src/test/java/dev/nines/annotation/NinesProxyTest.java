package dev.nines.annotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.AsyncCall;
import dev.nines.CallContext;
import dev.nines.Next;
import dev.nines.Policy;
import java.io.IOException;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class NinesProxyTest {

    @Retention(RetentionPolicy.RUNTIME)
    @PolicyAnnotation
    @interface Outer {
        String value() default "outer";
    }

    @Retention(RetentionPolicy.RUNTIME)
    @PolicyAnnotation
    @interface Inner {
        int limit() default 1;
    }

    @Retention(RetentionPolicy.RUNTIME)
    @PolicyAnnotation
    @interface Orphan {
    }

    @Retention(RetentionPolicy.RUNTIME)
    @PolicyAnnotation
    @interface SameSlotAsOuter {
    }

    @Retention(RetentionPolicy.RUNTIME)
    @interface NotOurs {
    }

    static final List<String> LOG = new CopyOnWriteArrayList<>();

    /** A policy that logs entering and leaving, and the key it sees. */
    record Logging(String name) implements Policy {
        @Override
        public <T> T execute(CallContext context, Callable<T> call, Next next) throws Exception {
            LOG.add(name + ">" + context.keyOr(""));
            try {
                return next.call(context, call);
            } finally {
                LOG.add("<" + name);
            }
        }

        @Override
        public <T> CompletionStage<T> executeAsync(CallContext context, AsyncCall<T> call, Next next) {
            LOG.add(name + ">" + context.keyOr(""));
            return next.callAsync(context, call).whenComplete((r, e) -> LOG.add("<" + name));
        }
    }

    static final class OuterHandler implements AnnotationHandler<Outer> {
        @Override
        public Class<Outer> annotationType() {
            return Outer.class;
        }

        @Override
        public int order(Outer annotation) {
            return PipelineOrder.FALLBACK;
        }

        @Override
        public Policy create(Outer annotation, AnnotatedMethod method) {
            return method.registry().getOrCreate(annotation.value(), Logging.class, () -> new Logging(annotation.value()));
        }

        @Override
        public ContextCustomizer contextCustomizer(Outer annotation, AnnotatedMethod method) {
            return method.method().getParameterCount() == 0 ? null
                    : (ctx, args) -> ctx.withKey(String.valueOf(args[0]));
        }
    }

    static final class InnerHandler implements AnnotationHandler<Inner> {
        @Override
        public Class<Inner> annotationType() {
            return Inner.class;
        }

        @Override
        public int order(Inner annotation) {
            return PipelineOrder.BULKHEAD;
        }

        @Override
        public Policy create(Inner annotation, AnnotatedMethod method) {
            if (annotation.limit() < 1) {
                throw new IllegalArgumentException("limit must be >= 1 but was " + annotation.limit());
            }
            return new Logging("inner");
        }
    }

    static final class SameSlotHandler implements AnnotationHandler<SameSlotAsOuter> {
        @Override
        public Class<SameSlotAsOuter> annotationType() {
            return SameSlotAsOuter.class;
        }

        @Override
        public int order(SameSlotAsOuter annotation) {
            return PipelineOrder.FALLBACK;
        }

        @Override
        public Policy create(SameSlotAsOuter annotation, AnnotatedMethod method) {
            return new Logging("same");
        }
    }

    @Outer
    interface Service {
        // declared inner first: the pipeline order must not depend on it
        @Inner
        @NotOurs
        String greet(String name) throws IOException;

        @Outer("special")
        String special(String name);

        CompletableFuture<String> later(String name);

        default String plain() {
            return "default method";
        }
    }

    static class Impl implements Service {
        @Override
        public String greet(String name) throws IOException {
            LOG.add("call");
            if (name.equals("io")) {
                throw new IOException("declared");
            }
            return "hello " + name;
        }

        @Override
        public String special(String name) {
            LOG.add("call");
            return "special " + name;
        }

        @Override
        public CompletableFuture<String> later(String name) {
            LOG.add("call");
            return CompletableFuture.completedFuture("later " + name);
        }
    }

    private Service proxy() {
        LOG.clear();
        return NinesProxy.builder(Service.class, new Impl())
                .handlers(new OuterHandler(), new InnerHandler(), new SameSlotHandler())
                .build();
    }

    @Test
    void policiesFollowPipelineOrderNotDeclarationOrder() throws Exception {
        Service s = proxy();
        assertEquals("hello ada", s.greet("ada"));
        assertEquals(List.of("outer>ada", "inner>ada", "call", "<inner", "<outer"), LOG);
    }

    @Test
    void aMethodAnnotationReplacesTheTypeAnnotationOfTheSameKind() {
        Service s = proxy();
        assertEquals("special bob", s.special("bob"));
        assertEquals(List.of("special>bob", "call", "<special"), LOG);
    }

    @Test
    void asyncMethodsRunThroughTheAsyncForm() {
        Service s = proxy();
        assertEquals("later cy", s.later("cy").join());
        assertEquals(List.of("outer>cy", "call", "<outer"), LOG);
    }

    @Test
    void typeLevelAnnotationsApplyToDefaultMethodsToo() {
        Service s = proxy();
        assertEquals("default method", s.plain());
        assertEquals(List.of("outer>", "<outer"), LOG);
    }

    @Test
    void declaredExceptionsReachTheCallerUnwrapped() {
        Service s = proxy();
        IOException e = assertThrows(IOException.class, () -> s.greet("io"));
        assertEquals("declared", e.getMessage());
    }

    @Test
    void objectMethodsBypassThePolicies() {
        Service s = proxy();
        Service other = proxy();
        assertTrue(s.equals(s));
        assertFalse(s.equals(other));
        assertEquals(System.identityHashCode(s), s.hashCode());
        assertNotEquals(System.identityHashCode(other), s.hashCode());
        assertTrue(s.toString().startsWith("NinesProxy["));
        assertTrue(LOG.isEmpty());
    }

    @Test
    void namedPoliciesAreSharedThroughTheRegistry() {
        PolicyRegistry registry = new PolicyRegistry();
        Logging shared = new Logging("outer");
        registry.register(shared);
        NinesProxy.builder(Service.class, new Impl()).registry(registry)
                .handlers(new OuterHandler(), new InnerHandler()).build();
        assertSame(shared, registry.find("outer", Logging.class).orElseThrow());
    }

    interface Invalid {
        @Inner(limit = 0)
        void call();
    }

    @Test
    void anInvalidAttributeNamesTheMethodAndTheAttribute() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NinesProxy.builder(Invalid.class, () -> { }).handlers(new InnerHandler()).build());
        assertEquals("@Inner on Invalid.call(): limit must be >= 1 but was 0", e.getMessage());
    }

    interface Unhandled {
        @Orphan
        void call();
    }

    @Test
    void aNinesAnnotationWithoutAHandlerIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NinesProxy.builder(Unhandled.class, () -> { }).handlers(new InnerHandler()).build());
        assertEquals("@Orphan on Unhandled.call(): no handler for this annotation is on the classpath", e.getMessage());
    }

    interface Clash {
        @Outer
        @SameSlotAsOuter
        void call(String s);
    }

    @Test
    void twoAnnotationsInOneSlotAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NinesProxy.builder(Clash.class, s -> { })
                        .handlers(new OuterHandler(), new SameSlotHandler()).build());
        assertTrue(e.getMessage().startsWith("@"), e.getMessage());
        assertTrue(e.getMessage().contains("Clash.call(String)"), e.getMessage());
        assertTrue(e.getMessage().contains("shares pipeline position 100"), e.getMessage());
    }

    @Test
    void theRegistryRefusesATypeMismatch() {
        PolicyRegistry registry = new PolicyRegistry().register(new Logging("x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> registry.getOrCreate("x", dev.nines.Pipeline.class, dev.nines.Pipeline::of));
        assertEquals("policy 'x' is a Logging, not a Pipeline", e.getMessage());
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class,
                () -> registry.register(new Logging("x")));
        assertTrue(dup.getMessage().startsWith("a policy named 'x' is already registered"));
    }

    @Test
    void oneRuleChoosesTheInstanceAnAnnotationGets() throws Exception {
        PolicyRegistry registry = new PolicyRegistry();
        AnnotatedMethod m = new AnnotatedMethod(Service.class.getMethod("greet", String.class), null, registry,
                dev.nines.metrics.MetricsSink.noop(), dev.nines.Ticker.system());

        Logging own = m.policy("", Logging.class, () -> new Logging("built"));
        assertNotSame(own, m.policy("", Logging.class, () -> new Logging("built")),
                "without a name and nothing registered, each method gets its own");
        assertTrue(registry.find("Service.greet", Logging.class).isEmpty(), "and it is not registered");

        Logging named = m.policy("shared", Logging.class, () -> new Logging("shared"));
        assertSame(named, m.policy("shared", Logging.class, () -> new Logging("other")), "a name shares");

        Logging configured = new Logging("Service.greet");
        registry.register(configured);
        assertSame(configured, m.policy("", Logging.class, () -> new Logging("built")),
                "an instance registered under the default name wins over the attributes");
    }

    @Test
    void notAnInterfaceIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NinesProxy.builder(Impl.class, new Impl()).build());
        assertTrue(e.getMessage().startsWith("iface must be an interface but was "), e.getMessage());
    }

    @Test
    void methodPoliciesExposeTheirPipeline() throws Exception {
        PolicyRegistry registry = new PolicyRegistry();
        AnnotatedMethod m = new AnnotatedMethod(Service.class.getMethod("greet", String.class), null, registry,
                dev.nines.metrics.MetricsSink.noop(), dev.nines.Ticker.system());
        MethodPolicies plan = MethodPolicies.of(m, java.util.Map.of(Outer.class, new OuterHandler(),
                Inner.class, new InnerHandler()));
        assertEquals(List.of("outer", "inner"), plan.pipeline().policies().stream().map(Policy::name).toList());
        assertEquals("k", plan.context(CallContext.empty(), new Object[] {"k"}).keyOr(""));
        assertEquals("Service.greet", plan.pipeline().name());
    }
}
