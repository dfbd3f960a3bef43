package dev.nines.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class SettlementTest {

    /** Records what it is told; {@code completed} throws {@code thrown} when set. */
    private static final class Recording extends Settlement<String> {
        private static final long serialVersionUID = 1L;
        final transient List<String> events = new CopyOnWriteArrayList<>();
        transient CompletableFuture<String> source;
        transient Error thrown;

        @Override
        protected void completed(String value, Throwable failure) {
            events.add("completed " + value + " " + (failure == null ? "-" : failure.getMessage()));
            if (thrown != null) {
                throw thrown;
            }
        }

        @Override
        protected void abandoned() {
            events.add("abandoned, source cancelled: " + source.isCancelled());
        }
    }

    @Test
    void aListenerThrowingAnErrorStillCompletesTheCallersStageWithTheCallsFailureKept() {
        Recording settlement = new Recording();
        settlement.thrown = new AssertionError("listener bug");
        CompletableFuture<String> source = new CompletableFuture<>();
        CompletableFuture<String> result = settlement.watch(source);
        source.completeExceptionally(new IOException("call failed"));

        ExecutionException e = assertThrows(ExecutionException.class, result::get);
        assertSame(settlement.thrown, e.getCause());
        assertEquals("call failed", e.getCause().getSuppressed()[0].getMessage());
        assertEquals(List.of("completed null call failed"), settlement.events);
    }

    @Test
    void aListenerThrowingOnSuccessFailsTheStageInsteadOfLeavingItOpen() {
        Recording settlement = new Recording();
        settlement.thrown = new StackOverflowError("listener recursion");
        CompletableFuture<String> result = settlement.watch(CompletableFuture.completedFuture("ok"));
        ExecutionException e = assertThrows(ExecutionException.class, result::get);
        assertEquals("listener recursion", e.getCause().getMessage());
    }

    @Test
    void aCancelStopsTheCallFirstThenSettlesAsAbandonedExactlyOnce() {
        Recording settlement = new Recording();
        settlement.source = new CompletableFuture<>();
        CompletableFuture<String> result = settlement.watch(settlement.source);
        assertTrue(result.cancel(true));
        result.cancel(true);
        settlement.source.complete("late");
        assertEquals(List.of("abandoned, source cancelled: true"), settlement.events);
    }
}
