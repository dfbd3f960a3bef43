package dev.nines;

import dev.nines.annotation.Invocation;
import dev.nines.internal.RequestEvents;
import java.lang.reflect.Method;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The innermost call of one pipeline call that reports requests, remembering how its last attempt
 * ended, so that the pipeline can tell the call's own answer (fresh) from a fallback's (degraded),
 * and a rejection its policies raised from one the call itself threw. One per call, made only when
 * the pipeline has a sink. Thread-safe: a timeout may run the attempt on another thread.
 *
 * <p>A call that is an {@link Invocation} (a proxied method's) stays one when tracked, so that the
 * policies inside that read the invocation (a method fallback's arguments, the return type a
 * fallback's value is checked against) still see it.
 */
class TrackedCall<T> implements Call<T>, AsyncCall<T> {

    private final Callable<T> call;
    private final AsyncCall<T> async;
    private volatile boolean returned;
    private volatile Object value;
    private volatile Throwable thrown;
    /** The last attempt's stage, passed on untouched so that cancelling it still reaches the work. */
    private volatile CompletionStage<T> stage;

    private TrackedCall(Callable<T> call, AsyncCall<T> async) {
        this.call = call;
        this.async = async;
    }

    static <T> TrackedCall<T> of(Callable<T> call) {
        return call instanceof Invocation i ? new OfInvocation<>(call, null, i) : new TrackedCall<>(call, null);
    }

    static <T> TrackedCall<T> of(AsyncCall<T> call) {
        return call instanceof Invocation i ? new OfInvocation<>(null, call, i) : new TrackedCall<>(null, call);
    }

    /** A tracked proxied-method call, still an {@link Invocation}. */
    private static final class OfInvocation<T> extends TrackedCall<T> implements Invocation {
        private final Invocation invocation;

        OfInvocation(Callable<T> call, AsyncCall<T> async, Invocation invocation) {
            super(call, async);
            this.invocation = invocation;
        }

        @Override
        public Method method() {
            return invocation.method();
        }

        @Override
        public Object[] arguments() {
            return invocation.arguments();
        }
    }

    @Override
    public T call(CallContext context) throws Exception {
        try {
            T v = Next.END.call(context, call); // a Call gets the context, a plain Callable not
            value = v;
            returned = true;
            return v;
        } catch (Throwable t) {
            returned = false;
            thrown = t;
            throw t;
        }
    }

    @Override
    public CompletionStage<T> start(CallContext context) {
        stage = null;
        thrown = null;
        try {
            CompletionStage<T> s = async.start(context);
            stage = s;
            return s;
        } catch (Throwable t) {
            thrown = t;
            throw t;
        }
    }

    /** Whether {@code result} is what the call's last attempt answered (by identity). */
    boolean answered(Object result) {
        if (async == null) {
            return returned && value == result;
        }
        if (stage == null) {
            return false;
        }
        CompletableFuture<T> f = lastFuture();
        return f == null || f.isDone() && !f.isCompletedExceptionally() && f.getNow(null) == result;
    }

    /** What the call's last attempt threw or failed its stage with, or null. */
    Throwable thrown() {
        Throwable t = thrown;
        if (t != null || async == null) {
            return t;
        }
        CompletableFuture<T> f = lastFuture();
        if (f == null || !f.isCompletedExceptionally()) {
            return null;
        }
        try {
            f.join();
            return null;
        } catch (RuntimeException e) {
            return RequestEvents.unwrap(e);
        }
    }

    private CompletableFuture<T> lastFuture() {
        CompletionStage<T> s = stage;
        if (s == null) {
            return null;
        }
        try {
            return s.toCompletableFuture();
        } catch (UnsupportedOperationException e) {
            return null; // a stage that cannot be inspected: its answer is taken as the call's
        }
    }
}
