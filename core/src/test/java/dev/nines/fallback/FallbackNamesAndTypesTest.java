package dev.nines.fallback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.AsyncCall;
import dev.nines.Call;
import dev.nines.CallContext;
import dev.nines.Next;
import dev.nines.annotation.Invocation;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class FallbackNamesAndTypesTest {

    @Test
    void unnamedFallbacksEachGetTheirOwnNameSoTheirMetricsDoNotMerge() {
        Fallback a = Fallback.of("a");
        Fallback b = Fallback.of((failure, ctx) -> "b");
        assertTrue(a.name().matches("fallback-\\d+"), a.name());
        assertTrue(b.name().matches("fallback-\\d+"), b.name());
        assertNotEquals(a.name(), b.name());
    }

    public interface Orders {
        Integer count();

        int primitiveCount();

        CompletionStage<Integer> countAsync();

        Object anything();
    }

    /** A failing call that says which method it invokes, as the proxy's and the web filters' calls do. */
    private static final class Failing implements Call<Object>, AsyncCall<Object>, Invocation {
        private final Method method;
        final IOException failure = new IOException("down");

        Failing(String method) throws NoSuchMethodException {
            this.method = Orders.class.getMethod(method);
        }

        @Override
        public Object call(CallContext context) throws Exception {
            throw failure;
        }

        @Override
        public CompletionStage<Object> start(CallContext context) {
            return CompletableFuture.failedFuture(failure);
        }

        @Override
        public Method method() {
            return method;
        }

        @Override
        public Object[] arguments() {
            return new Object[0];
        }
    }

    @Test
    void aReplacementOfTheWrongTypeForAMethodFailsNamingTheFallbackAndBothTypesNotWithAClassCast()
            throws Exception {
        Fallback pending = Fallback.builder("orders-pending").value("PENDING").build();
        Failing call = new Failing("count");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> pending.execute(CallContext.empty(), call, Next.END));
        assertEquals("fallback 'orders-pending' replaced a failure of Orders.count with a java.lang.String (PENDING),"
                + " but the method returns Integer", e.getMessage());
        assertSame(call.failure, e.getSuppressed()[0]);
    }

    @Test
    void nullForAPrimitiveResultFailsNamingTheFallback() throws Exception {
        Fallback none = Fallback.builder("none").value(null).build();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> none.execute(CallContext.empty(), new Failing("primitiveCount"), Next.END));
        assertEquals("fallback 'none' replaced a failure of Orders.primitiveCount with null, but the method returns int",
                e.getMessage());
    }

    @Test
    void anAsyncReplacementIsCheckedAgainstTheStagesElementType() throws Exception {
        Fallback pending = Fallback.builder("orders-pending").value("PENDING").build();
        CompletionStage<Object> stage = pending.executeAsync(CallContext.empty(), new Failing("countAsync"), Next.END);
        ExecutionException e = assertThrows(ExecutionException.class, () -> stage.toCompletableFuture().get());
        IllegalStateException cause = assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals("fallback 'orders-pending' replaced a failure of Orders.countAsync with a java.lang.String"
                + " (PENDING), but the method returns CompletionStage<Integer>", cause.getMessage());

        Fallback async = Fallback.builder("orders-async")
                .asyncFunction(failure -> CompletableFuture.completedFuture("PENDING")).build();
        CompletionStage<Object> viaStage = async.executeAsync(CallContext.empty(), new Failing("countAsync"), Next.END);
        ExecutionException e2 = assertThrows(ExecutionException.class, () -> viaStage.toCompletableFuture().get());
        assertInstanceOf(IllegalStateException.class, e2.getCause());
    }

    @Test
    void aReplacementOfAFittingTypeIsReturned() throws Exception {
        assertEquals(7, (Integer) Fallback.of(7).execute(CallContext.empty(), new Failing("count"), Next.END));
        assertEquals(7, (Integer) Fallback.of(7).execute(CallContext.empty(), new Failing("primitiveCount"), Next.END));
        assertEquals("x", Fallback.of("x").execute(CallContext.empty(), new Failing("anything"), Next.END));
        assertEquals(7, Fallback.of(7).executeAsync(CallContext.empty(), new Failing("countAsync"), Next.END)
                .toCompletableFuture().get());
    }
}
