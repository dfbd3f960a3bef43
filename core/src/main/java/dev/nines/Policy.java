package dev.nines;

import java.lang.reflect.UndeclaredThrowableException;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The one interface every resilience policy implements: given a call and its context, run it
 * under the policy, handing it on to {@link Next} for the rest of the chain.
 *
 * <p>Implementations are immutable after they are built and safe to share between threads. A
 * policy adds only unchecked exceptions of its own (the {@link RejectedCallException} family);
 * exceptions from the call pass through unchanged unless the policy's purpose is to replace them
 * (a fallback).
 *
 * <p>Compose policies with {@link Pipeline#of(Policy...)}; the first is outermost. Every policy can
 * also run a call on its own through the default methods below.
 */
public interface Policy {

    /** The name metrics and errors use for this policy instance. */
    String name();

    /**
     * Runs {@code call} under this policy. Implementations call {@code next.call(context, call)}
     * zero or more times (a retry calls it repeatedly, an open breaker not at all).
     */
    <T> T execute(CallContext context, Callable<T> call, Next next) throws Exception;

    /**
     * Runs an asynchronous call under this policy. Must not block the calling thread and must not
     * throw: failures, rejections included, complete the returned stage exceptionally.
     */
    <T> CompletionStage<T> executeAsync(CallContext context, AsyncCall<T> call, Next next);

    /** Runs {@code call} under this policy alone, with an empty context. */
    default <T> T call(Callable<T> call) throws Exception {
        return execute(CallContext.empty(), Objects.requireNonNull(call, "call"), Next.END);
    }

    /**
     * Runs a context-reading {@code call} under this policy alone, starting from an empty context
     * (policies such as a timeout fill in the deadline): {@code policy.call(ctx -> ...)}.
     */
    default <T> T call(Call<T> call) throws Exception {
        return execute(CallContext.empty(), Objects.requireNonNull(call, "call"), Next.END);
    }

    /** Runs {@code call} under this policy alone, with the given context. */
    default <T> T call(CallContext context, Call<T> call) throws Exception {
        return execute(Objects.requireNonNull(context, "context"), Objects.requireNonNull(call, "call"), Next.END);
    }

    /**
     * Runs a {@link Supplier} under this policy alone. Since a supplier throws no checked
     * exception, neither does this method.
     */
    default <T> T get(Supplier<T> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        return uncheckedCall(this, supplier::get);
    }

    /** Runs a {@link Runnable} under this policy alone. */
    default void run(Runnable runnable) {
        Objects.requireNonNull(runnable, "runnable");
        uncheckedCall(this, () -> {
            runnable.run();
            return null;
        });
    }

    /** Runs an asynchronous call under this policy alone, with an empty context. */
    default <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        return executeAsync(CallContext.empty(), ctx -> supplier.get(), Next.END);
    }

    /** Runs a context-reading asynchronous call under this policy alone, from an empty context. */
    default <T> CompletionStage<T> callAsync(AsyncCall<T> call) {
        return executeAsync(CallContext.empty(), Objects.requireNonNull(call, "call"), Next.END);
    }

    /** Runs an asynchronous call under this policy alone, with the given context. */
    default <T> CompletionStage<T> callAsync(CallContext context, AsyncCall<T> call) {
        return executeAsync(Objects.requireNonNull(context, "context"), Objects.requireNonNull(call, "call"), Next.END);
    }

    private static <T> T uncheckedCall(Policy policy, Callable<T> call) {
        try {
            return policy.execute(CallContext.empty(), call, Next.END);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception checked) {
            // Only a misbehaving custom policy can get here: the call itself cannot throw checked.
            throw new UndeclaredThrowableException(checked);
        }
    }
}
