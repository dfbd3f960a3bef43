package dev.nines.shedding.annotation;

import static dev.nines.Priority.P0;
import static dev.nines.Priority.P3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.AsyncCall;
import dev.nines.CallContext;
import dev.nines.ManualTicker;
import dev.nines.Next;
import dev.nines.Policy;
import dev.nines.annotation.AnnotatedMethod;
import dev.nines.annotation.AnnotationHandler;
import dev.nines.annotation.ContextCustomizer;
import dev.nines.annotation.NinesProxy;
import dev.nines.annotation.PolicyRegistry;
import dev.nines.shedding.LoadShedder;
import dev.nines.shedding.ShedException;
import dev.nines.shedding.Tier;
import dev.nines.shedding.internal.PriorityHandler;
import dev.nines.shedding.limit.ConcurrencyLimit;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class PriorityAnnotationTest {

    public interface Shop {
        @WithPriority(value = P0, shedder = "api")
        String checkout();

        @WithPriority(value = P3, shedder = "api")
        String recommendations();

        @WithPriority(value = P3, shedder = "api")
        CompletionStage<String> prefetch();

        @WithPriority(P0)
        String health();
    }

    /**
     * The service itself. It cannot see the call context; {@link Recording} records the priority
     * each call's context carries when it reaches the shedder.
     */
    static final class ShopImpl implements Shop {
        @Override
        public String checkout() {
            return "receipt";
        }

        @Override
        public String recommendations() {
            return "items";
        }

        @Override
        public CompletionStage<String> prefetch() {
            return CompletableFuture.completedFuture("prefetched");
        }

        @Override
        public String health() {
            return "ok";
        }
    }

    @Test
    void annotatedMethodsAreAdmittedByPriorityThroughTheNamedShedder() throws Exception {
        LoadShedder api = LoadShedder.builder("api").limit(ConcurrencyLimit.fixed(10)).build();
        PolicyRegistry registry = new PolicyRegistry().register(api);
        Shop shop = NinesProxy.builder(Shop.class, new ShopImpl()).registry(registry).build();
        assertEquals("receipt", shop.checkout());
        assertEquals("items", shop.recommendations());
        api.forceTier(Tier.REDUCED);
        ShedException e = assertThrows(ShedException.class, shop::recommendations);
        assertEquals(P3, e.priority());
        ExecutionException async = assertThrows(ExecutionException.class,
                () -> shop.prefetch().toCompletableFuture().get());
        assertTrue(async.getCause() instanceof ShedException);
        assertEquals("receipt", shop.checkout(), "P0 is still admitted");
        assertEquals(0, api.inFlight());
    }

    /** The real {@link PriorityHandler}, with each policy it builds wrapped to record the context it is given. */
    static final class Recording implements AnnotationHandler<WithPriority> {
        final PriorityHandler real = new PriorityHandler();
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public Class<WithPriority> annotationType() {
            return real.annotationType();
        }

        @Override
        public int order(WithPriority annotation) {
            return real.order(annotation);
        }

        @Override
        public ContextCustomizer contextCustomizer(WithPriority annotation, AnnotatedMethod method) {
            return real.contextCustomizer(annotation, method);
        }

        @Override
        public Policy create(WithPriority annotation, AnnotatedMethod method) {
            Policy shedder = real.create(annotation, method);
            return new Policy() {
                @Override
                public String name() {
                    return shedder.name();
                }

                @Override
                public <T> T execute(CallContext context, Callable<T> call, Next next) throws Exception {
                    seen.add(shedder.name() + ":" + context.priority().map(Enum::name).orElse("none"));
                    return shedder.execute(context, call, next);
                }

                @Override
                public <T> CompletionStage<T> executeAsync(CallContext context, AsyncCall<T> call, Next next) {
                    seen.add(shedder.name() + ":" + context.priority().map(Enum::name).orElse("none"));
                    return shedder.executeAsync(context, call, next);
                }
            };
        }
    }

    @Test
    void eachCallReachesTheShedderWithItsMethodsPriorityInTheContext() throws Exception {
        Recording recording = new Recording();
        LoadShedder api = LoadShedder.builder("api").limit(ConcurrencyLimit.fixed(10)).build();
        Shop shop = NinesProxy.builder(Shop.class, new ShopImpl()).registry(new PolicyRegistry().register(api))
                .ticker(new ManualTicker()).handlers(recording).build();
        shop.checkout();
        shop.recommendations();
        shop.prefetch().toCompletableFuture().get();
        shop.health();
        assertEquals(List.of("api:P0", "api:P3", "api:P3", "default:P0"), recording.seen);
    }

    @Test
    void anUnregisteredShedderIsCreatedOnceAndShared() {
        // "api" must exist (a name refers); the implicit "default" shedder is created
        PolicyRegistry registry = new PolicyRegistry().register(LoadShedder.builder("api").build());
        Shop shop = NinesProxy.builder(Shop.class, new ShopImpl()).registry(registry).ticker(new ManualTicker()).build();
        assertEquals("ok", shop.health());
        LoadShedder created = registry.find("default", LoadShedder.class).orElseThrow();
        Shop other = NinesProxy.builder(Shop.class, new ShopImpl()).registry(registry).build();
        other.health();
        assertSame(created, registry.find("default", LoadShedder.class).orElseThrow());
    }

    public interface Blank {
        @WithPriority(value = P0, shedder = " ")
        String call();
    }

    @Test
    void aBlankShedderNameFailsAtProxyCreationNamingMethodAndAttribute() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NinesProxy.create(Blank.class, () -> "x"));
        assertEquals("@WithPriority on Blank.call(): shedder must be non-blank but was ' '", e.getMessage());
    }

    public interface Misspelt {
        @WithPriority(value = P3, shedder = "apii")
        String search();
    }

    @Test
    void aShedderNameThatIsNotRegisteredFailsAtProxyCreationNamingTheShedderThatExist() {
        PolicyRegistry registry = new PolicyRegistry().register(LoadShedder.builder("api").build())
                .register(LoadShedder.builder("batch").build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NinesProxy.builder(Misspelt.class, () -> "x").registry(registry).build());
        assertEquals("@WithPriority on Misspelt.search(): shedder must name a LoadShedder registered in the"
                + " PolicyRegistry but was 'apii', which is not registered (registered LoadShedders: [api, batch]);"
                + " register it, or set createShedder = true to create it with defaults", e.getMessage());
        assertTrue(registry.find("apii", LoadShedder.class).isEmpty(), "no second shedder was created");
    }

    public interface OptedIn {
        @WithPriority(value = P3, shedder = "batch", createShedder = true)
        String export();
    }

    @Test
    void createShedderCreatesAMissingShedderWithDefaultsAndSharesIt() {
        PolicyRegistry registry = new PolicyRegistry();
        OptedIn first = NinesProxy.builder(OptedIn.class, () -> "x").registry(registry).build();
        LoadShedder created = registry.find("batch", LoadShedder.class).orElseThrow();
        NinesProxy.builder(OptedIn.class, () -> "y").registry(registry).build();
        assertSame(created, registry.find("batch", LoadShedder.class).orElseThrow());
        assertEquals("x", first.export());
    }
}
