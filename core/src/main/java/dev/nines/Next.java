package dev.nines;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The rest of a pipeline, as seen from inside one {@link Policy}: the policies nested inside it,
 * and finally the user's call.
 *
 * <p>A {@link Pipeline} links its policies once, when it is built, so passing a call down the
 * chain allocates nothing.
 */
public interface Next {

    /** The end of every chain: runs the call itself. */
    Next END = new Next() {
        @Override
        public <T> T call(CallContext context, Callable<T> call) throws Exception {
            // A Call reads the context; a plain Callable does not. Both travel unwrapped.
            return CallTypes.isCall(call) ? ((Call<T>) call).call(context) : call.call();
        }

        @Override
        public <T> CompletionStage<T> callAsync(CallContext context, AsyncCall<T> call) {
            try {
                CompletionStage<T> stage = call.start(context);
                if (stage == null) {
                    return CompletableFuture.failedFuture(
                            new NullPointerException("async call returned null instead of a CompletionStage"));
                }
                return stage;
            } catch (Throwable t) {
                // a call that throws before returning its stage fails the stage, like any other failure
                return CompletableFuture.failedFuture(t);
            }
        }

        @Override
        public String toString() {
            return "Next.END";
        }
    };

    /** Runs the rest of the chain synchronously. */
    <T> T call(CallContext context, Callable<T> call) throws Exception;

    /** Runs the rest of the chain asynchronously; never throws, failures complete the stage. */
    <T> CompletionStage<T> callAsync(CallContext context, AsyncCall<T> call);
}

/**
 * Whether a callable is a {@link Call}, cached per class. On JDK 17 a failing {@code instanceof}
 * against an interface (a plain lambda {@code Callable} tested against {@code Call}) scans the
 * class's secondary supers on every call, about 12 ns; the cached lookup costs a few.
 */
final class CallTypes {

    private static final ClassValue<Boolean> IS_CALL = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return Call.class.isAssignableFrom(type);
        }
    };

    private CallTypes() {
    }

    static boolean isCall(Object callable) {
        return IS_CALL.get(callable.getClass());
    }
}
