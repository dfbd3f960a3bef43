package dev.nines.it;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The application's implementation of {@link Inventory}, scripted so that a test can see each
 * policy act: it counts the calls that reach it, fails on demand, and hands out stages that
 * complete only when the test says so. Thread-safe.
 */
public final class Warehouse implements Inventory {

    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final List<CompletableFuture<String>> pending = new CopyOnWriteArrayList<>();

    /** A warehouse that answers every call. */
    public Warehouse() {
    }

    /** Makes the next {@code n} calls of {@link #quote}, {@link #restock} and {@link #price} fail. */
    public void failNext(int n) {
        failuresLeft.set(n);
    }

    /** How many calls reached this implementation. */
    public int calls() {
        return calls.get();
    }

    /** The stages {@link #lookup} and {@link #pick} returned and that are still open, oldest first. */
    public List<CompletableFuture<String>> pending() {
        return pending;
    }

    @Override
    public int stock(String sku) {
        calls.incrementAndGet();
        return 7;
    }

    @Override
    public String reserve(String sku) {
        calls.incrementAndGet();
        return "reserved " + sku;
    }

    @Override
    public String quote(String sku) {
        return answerOrFail("quote " + sku);
    }

    @Override
    public String restock(String sku) {
        return answerOrFail("restocked " + sku);
    }

    @Override
    public long price(String sku) {
        answerOrFail("price");
        return 100;
    }

    @SuppressWarnings("unused") // called by the @WithFallback of price, reflectively
    private long cachedPrice(String sku) {
        return 42;
    }

    @Override
    public CompletableFuture<String> lookup(String sku) {
        return held();
    }

    @Override
    public CompletableFuture<String> pick(String sku) {
        return held();
    }

    private CompletableFuture<String> held() {
        calls.incrementAndGet();
        CompletableFuture<String> stage = new CompletableFuture<>();
        pending.add(stage);
        stage.whenComplete((v, e) -> pending.remove(stage));
        return stage;
    }

    private String answerOrFail(String answer) {
        calls.incrementAndGet();
        if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("warehouse down");
        }
        return answer;
    }
}
