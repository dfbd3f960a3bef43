package dev.nines.internal;

import java.util.function.Consumer;

/**
 * The invariants a policy's state must satisfy whenever no call is running through it: nothing in
 * flight, every permit and probe slot given back, no waiter queued, counters that agree with each
 * other. A policy hands one to {@link BuildRecorder#record} when it is built, so a test can check,
 * after the test, that the test left every policy it built at rest.
 *
 * <p>A check only reads; it never repairs what it finds and never waits. While calls are still
 * running it may report violations that go away once they finish, so a caller that knows threads
 * may still be finishing asks again for a bounded time. Implementations are thread-safe. Not part
 * of the public API.
 */
@FunctionalInterface
public interface QuiescentInvariants {

    /**
     * Reports each invariant broken now, one sentence each naming the invariant and the values seen
     * (such as {@code "in-flight must be 0 at rest but was 2"}), to {@code violations}; reports
     * nothing when all hold.
     */
    void check(Consumer<String> violations);
}
