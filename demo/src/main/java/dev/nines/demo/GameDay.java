package dev.nines.demo;

import dev.nines.Sleeper;
import dev.nines.Ticker;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.Outcome;
import dev.nines.metrics.PolicyKinds;
import dev.nines.metrics.Transition;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Plays the game day: the same script once against the shop protected by nines, then once
 * against the same shop without it (no rate limit, no shedding, no breaker, no timeout, no
 * fallback: a plain pool with an unbounded queue), and returns both records. The protected run
 * goes first so that the unprotected shop's backlog cannot spill into it.
 */
final class GameDay {

    private final GameConfig config;
    private final PrintStream out;
    private final Ticker ticker = Ticker.system();

    /** How long the unrecorded warm-up plays normal load. */
    static final java.time.Duration WARM_UP = java.time.Duration.ofSeconds(3);

    /** @param out where the per-second lines go, or {@code null} for none */
    GameDay(GameConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
    }

    /** Plays both runs; takes about twice the configured run length. */
    GameReport play() throws IOException, InterruptedException {
        warmUp();
        RunResult nines = play(true, config.script(), out);
        RunResult none = play(false, config.script(), out);
        return new GameReport(config, new RunReport(nines, config), new RunReport(none, config));
    }

    /**
     * Plays {@link #WARM_UP} of normal load, unrecorded, so that the JIT has compiled the server,
     * the client and nines before the first recorded second (or the first run starts cold).
     */
    void warmUp() throws IOException, InterruptedException {
        if (out != null) {
            out.printf(Locale.ROOT, "warming up for %d s ...%n", WARM_UP.toSeconds());
        }
        play(true, new Script.Builder().phase("warm-up", 1, 1, false, Downstream.Condition.HEALTHY)
                .build(WARM_UP.toNanos()), null);
    }

    /** Plays one run of {@code script}, with or without nines, printing to {@code out} if not null. */
    RunResult play(boolean protect, Script script, PrintStream out) throws IOException, InterruptedException {
        String label = protect ? "nines" : "none";
        Dependencies deps = new Dependencies(config, Sleeper.system());
        Protection protection = protect ? new Protection(config, deps, ticker) : null;
        int seconds = (int) (script.lengthNanos() / 1_000_000_000L) + (int) config.clientTimeout.toSeconds() + 4;
        if (out != null) {
            out.printf(Locale.ROOT, "%n== %s: %s, %s ==%n", label,
                    protect ? "the shop protected by nines" : "the same shop without nines",
                    config.scenario.description());
            out.println(Console.header());
        }
        try (ShopService shop = ShopService.start(config, deps, protection, Sleeper.system())) {
            Recorder recorder = new Recorder(ticker, seconds);
            long start = ticker.read();
            AtomicReference<Phase> phase = new AtomicReference<>(script.phases().get(0));
            LoadGenerator generator = new LoadGenerator(config, script, shop::uri, recorder, p -> {
                phase.set(p);
                deps.catalog().condition(p.catalog());
            });
            try (Console console = new Console(label, recorder,
                    s -> sample(s, shop, protection, phase.get().name()), out)) {
                console.start();
                generator.run();
            }
            return new RunResult(label, protect, script, recorder.samples(), recorder.ticks(),
                    changes(protection, start), deps.catalog().calls(), counters(protection),
                    protection == null ? "" : protection.health().check().json());
        }
    }

    private static Tick sample(int second, ShopService shop, Protection protection, String phase) {
        Map<String, String> breakers = new LinkedHashMap<>();
        if (protection == null) {
            return new Tick(second, phase, shop.busy(), shop.queued(), -1, -1, "-", breakers);
        }
        for (Map.Entry<String, CircuitBreaker> e : protection.breakers().entrySet()) {
            breakers.put(e.getKey(), e.getValue().state().name());
        }
        return new Tick(second, phase, shop.busy(), shop.queued(), protection.shedder().inFlight(),
                protection.shedder().limit(), protection.shedder().tier().name(), breakers);
    }

    private static List<RunResult.StateChange> changes(Protection protection, long start) {
        List<RunResult.StateChange> changes = new ArrayList<>();
        if (protection == null) {
            return changes;
        }
        for (Transition t : protection.metrics().transitions()) {
            String what = t.kind().equals(PolicyKinds.LOAD_SHEDDER) ? "tier"
                    : t.kind().equals(PolicyKinds.CIRCUIT_BREAKER) ? t.policy() : null;
            if (what != null) {
                changes.add(new RunResult.StateChange(t.atNanos() - start, what, t.fromState(), t.toState()));
            }
        }
        return changes;
    }

    private static Map<String, Long> counters(Protection protection) {
        Map<String, Long> c = new LinkedHashMap<>();
        if (protection == null) {
            return c;
        }
        InMemoryMetrics m = protection.metrics();
        long fallbacks = 0;
        long retries = 0;
        long timeouts = 0;
        for (Endpoint e : Endpoint.values()) {
            String name = e.name().toLowerCase(Locale.ROOT);
            fallbacks += m.count(name + "-fallback", Outcome.FALLBACK);
            retries += m.count(name + "-retry", Outcome.RETRIED);
            timeouts += m.count(name + "-timeout", Outcome.TIMED_OUT);
        }
        long breakerRejections = 0;
        long budgetRefusals = 0;
        for (String dep : protection.breakers().keySet()) {
            breakerRejections += m.count(dep, Outcome.REJECTED);
            budgetRefusals += m.count(dep + "-budget", Outcome.REJECTED);
        }
        c.put("requests shed", m.count("shop", Outcome.SHED));
        c.put("fallback answers", fallbacks);
        c.put("dependency timeouts", timeouts);
        c.put("retries", retries);
        c.put("retries refused by the budget", budgetRefusals);
        c.put("calls refused by open breakers", breakerRejections);
        return c;
    }
}
