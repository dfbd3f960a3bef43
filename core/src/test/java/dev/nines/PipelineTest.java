package dev.nines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PipelineTest {

    /** Records when a call enters and leaves it, so tests can see the nesting. */
    static class Tracing implements Policy {
        private final String name;
        private final List<String> log;

        Tracing(String name, List<String> log) {
            this.name = name;
            this.log = log;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public <T> T execute(CallContext context, Callable<T> call, Next next) throws Exception {
            log.add(name + ">");
            try {
                return next.call(context, call);
            } finally {
                log.add("<" + name);
            }
        }

        @Override
        public <T> CompletionStage<T> executeAsync(CallContext context, AsyncCall<T> call, Next next) {
            log.add(name + ">");
            return next.callAsync(context, call).whenComplete((r, e) -> log.add("<" + name));
        }
    }

    @Test
    void firstPolicyIsOutermost() throws Exception {
        List<String> log = new ArrayList<>();
        Pipeline p = Pipeline.of(new Tracing("a", log), new Tracing("b", log), new Tracing("c", log));

        String result = p.call(() -> {
            log.add("call");
            return "done";
        });

        assertEquals("done", result);
        assertEquals(List.of("a>", "b>", "c>", "call", "<c", "<b", "<a"), log);
    }

    @Test
    void asyncFollowsTheSameOrder() {
        List<String> log = new ArrayList<>();
        Pipeline p = Pipeline.of(new Tracing("a", log), new Tracing("b", log));

        String result = p.callAsync(() -> {
            log.add("call");
            return CompletableFuture.completedFuture("done");
        }).toCompletableFuture().join();

        assertEquals("done", result);
        assertEquals(List.of("a>", "b>", "call", "<b", "<a"), log);
    }

    @Test
    void nestedPipelinesAreFlattenedInPlace() throws Exception {
        List<String> log = new ArrayList<>();
        Pipeline inner = Pipeline.of(new Tracing("b", log), new Tracing("c", log));
        Pipeline outer = Pipeline.of(new Tracing("a", log), inner, new Tracing("d", log));

        assertEquals(List.of("a", "b", "c", "d"), outer.policies().stream().map(Policy::name).toList());
        outer.run(() -> log.add("call"));
        assertEquals(List.of("a>", "b>", "c>", "d>", "call", "<d", "<c", "<b", "<a"), log);
    }

    @Test
    void pipelineUsedAsAMiddleElementOfAHandMadeChainStillNests() throws Exception {
        List<String> log = new ArrayList<>();
        Pipeline middle = Pipeline.of(new Tracing("b", log));
        Policy outer = new Tracing("a", log);
        Next rest = new Next() {
            @Override
            public <T> T call(CallContext context, Callable<T> call) throws Exception {
                return middle.execute(context, call, new Next() {
                    @Override
                    public <U> U call(CallContext c, Callable<U> inner) throws Exception {
                        log.add("tail");
                        return Next.END.call(c, inner);
                    }

                    @Override
                    public <U> CompletionStage<U> callAsync(CallContext c, AsyncCall<U> inner) {
                        return Next.END.callAsync(c, inner);
                    }
                });
            }

            @Override
            public <T> CompletionStage<T> callAsync(CallContext context, AsyncCall<T> call) {
                throw new UnsupportedOperationException();
            }
        };

        outer.execute(CallContext.empty(), () -> log.add("call"), rest);
        assertEquals(List.of("a>", "b>", "tail", "call", "<b", "<a"), log);
    }

    @Test
    void emptyPipelineRunsTheCallDirectly() throws Exception {
        assertEquals(42, Pipeline.of().call(() -> 42));
    }

    @Test
    void aCallSeesTheContextItWasGiven() throws Exception {
        ManualTicker ticker = new ManualTicker();
        CallContext ctx = CallContext.empty().withDeadline(java.time.Duration.ofSeconds(2), ticker)
                .withPriority(Priority.P1).withKey("client-7");
        ticker.advance(java.time.Duration.ofMillis(500));

        String seen = Pipeline.of(new Tracing("a", new ArrayList<>()))
                .call(ctx, c -> c.priorityOr(Priority.P3) + " " + c.keyOr("-") + " " + c.remainingNanos());

        assertEquals("P1 client-7 1500000000", seen);
    }

    @Test
    void checkedExceptionsOfTheCallPassThroughUnchanged() {
        IOException boom = new IOException("boom");
        Pipeline p = Pipeline.of(new Tracing("a", new ArrayList<>()));
        IOException thrown = assertThrows(IOException.class, () -> p.call(() -> {
            throw boom;
        }));
        assertSame(boom, thrown);
    }

    @Test
    void supplierAndRunnableFormsRun() {
        AtomicInteger runs = new AtomicInteger();
        Pipeline p = Pipeline.of(new Tracing("a", new ArrayList<>()));
        assertEquals("x", p.get(() -> "x"));
        p.run(runs::incrementAndGet);
        assertEquals(1, runs.get());
    }

    @Test
    void anAsyncCallThatThrowsFailsTheStageInsteadOfTheCaller() {
        Pipeline p = Pipeline.of(new Tracing("a", new ArrayList<>()));
        CompletionStage<String> stage = p.callAsync(() -> {
            throw new IllegalStateException("before the stage existed");
        });
        CompletionException e = assertThrows(CompletionException.class, () -> stage.toCompletableFuture().join());
        assertTrue(e.getCause() instanceof IllegalStateException);
    }

    @Test
    void anAsyncPolicyThatThrowsFailsTheStage() {
        Policy rude = new Tracing("rude", new ArrayList<>()) {
            @Override
            public <T> CompletionStage<T> executeAsync(CallContext context, AsyncCall<T> call, Next next) {
                throw new IllegalStateException("policies must not throw here");
            }
        };
        CompletionStage<String> stage = Pipeline.of(Pipeline.of(), rude)
                .callAsync(() -> CompletableFuture.completedFuture("unreached"));
        assertThrows(CompletionException.class, () -> stage.toCompletableFuture().join());
    }

    @Test
    void nullPoliciesAreNamedByPosition() {
        Policy a = new Tracing("a", new ArrayList<>());
        NullPointerException e = assertThrows(NullPointerException.class, () -> Pipeline.of(a, null));
        assertEquals("policies[1] is null", e.getMessage());
    }

    @Test
    void toStringShowsTheOrder() {
        Pipeline p = Pipeline.named("payments", List.of(new Tracing("retry", new ArrayList<>()),
                new Tracing("breaker", new ArrayList<>())));
        assertEquals("payments[retry -> breaker]", p.toString());
    }

    @Test
    void unnamedPipelinesGetFreshNamesSoTheirMetricsNeverMix() {
        String first = Pipeline.of().name();
        String second = Pipeline.of(List.of()).name();
        assertTrue(first.matches("pipeline-\\d+"), first);
        assertTrue(second.matches("pipeline-\\d+"), second);
        assertNotEquals(first, second);
    }
}
