package dev.nines.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything a game day is played with: the script, the shop's simulated capacity, the load and
 * where the report goes. Immutable; made by {@link Builder}, whose defaults are the documented
 * game day (a 42 s script per run, so about 90 s for both runs).
 *
 * <p>Capacity: {@code workers} threads each hold a request for {@code serviceTime} plus the
 * dependency's latency, so the shop serves about {@code workers / (serviceTime + latency)}
 * requests per second (4 / 27 ms ≈ 148/s by default). Normal load is about half of that.
 */
final class GameConfig {

    final Scenario scenario;
    final Duration runLength;
    final Path out;
    final long seed;
    final int workers;
    final int dispatchers;
    final Duration serviceTime;
    final Duration dependencyLatency;
    final Duration slowLatency;
    final Duration dependencyTimeout;
    final double normalRate;
    final double spikeFactor;
    final double abuseRate;
    final int clients;
    final int clientLimitPerSecond;
    final Duration clientTimeout;
    final int shedderLimit;
    final int queueCapacity;
    final boolean console;

    private GameConfig(Builder b) {
        this.scenario = b.scenario;
        this.runLength = b.runLength;
        this.out = b.out;
        this.seed = b.seed;
        this.workers = b.workers;
        this.dispatchers = b.dispatchers;
        this.serviceTime = b.serviceTime;
        this.dependencyLatency = b.dependencyLatency;
        this.slowLatency = b.slowLatency;
        this.dependencyTimeout = b.dependencyTimeout;
        this.normalRate = b.normalRate;
        this.spikeFactor = b.spikeFactor;
        this.abuseRate = b.abuseRate;
        this.clients = b.clients;
        this.clientLimitPerSecond = b.clientLimitPerSecond;
        this.clientTimeout = b.clientTimeout;
        this.shedderLimit = b.shedderLimit;
        this.queueCapacity = b.queueCapacity;
        this.console = b.console;
    }

    static Builder builder() {
        return new Builder();
    }

    /** The script this configuration plays. */
    Script script() {
        return scenario.script(runLength, spikeFactor);
    }

    /** Requests per second the shop can serve while its dependencies are healthy. */
    double capacity() {
        return workers * 1e9 / (serviceTime.toNanos() + dependencyLatency.toNanos());
    }

    /** Configures a game day. Not thread-safe; {@link #build()} validates. */
    static final class Builder {
        private Scenario scenario = Scenario.FULL;
        private Duration runLength = Duration.ofSeconds(42);
        private Path out = Path.of("demo", "target", "game-day");
        private long seed = 7;
        private int workers = 4;
        private int dispatchers = 64;
        private Duration serviceTime = Duration.ofMillis(25);
        private Duration dependencyLatency = Duration.ofMillis(2);
        private Duration slowLatency = Duration.ofMillis(400);
        private Duration dependencyTimeout = Duration.ofMillis(60);
        private double normalRate = 75;
        private double spikeFactor = 3;
        private double abuseRate = 120;
        private int clients = 20;
        private int clientLimitPerSecond = 25;
        private Duration clientTimeout = Duration.ofSeconds(1);
        private int shedderLimit = 12;
        private int queueCapacity = 32;
        private boolean console = true;

        Builder scenario(Scenario scenario) {
            this.scenario = Objects.requireNonNull(scenario, "scenario");
            return this;
        }

        /** How long each run plays the script; the game plays it twice. */
        Builder runLength(Duration runLength) {
            this.runLength = Objects.requireNonNull(runLength, "runLength");
            return this;
        }

        Builder out(Path out) {
            this.out = Objects.requireNonNull(out, "out");
            return this;
        }

        Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        Builder workers(int workers) {
            this.workers = workers;
            return this;
        }

        Builder serviceTime(Duration serviceTime) {
            this.serviceTime = Objects.requireNonNull(serviceTime, "serviceTime");
            return this;
        }

        /** Legitimate requests per second in normal phases. */
        Builder normalRate(double normalRate) {
            this.normalRate = normalRate;
            return this;
        }

        /** How many times the normal load the spike phase offers. */
        Builder spikeFactor(double spikeFactor) {
            this.spikeFactor = spikeFactor;
            return this;
        }

        /** Requests per second from the abusive client while it is active. */
        Builder abuseRate(double abuseRate) {
            this.abuseRate = abuseRate;
            return this;
        }

        /** How many well-behaved clients share the legitimate load. */
        Builder clients(int clients) {
            this.clients = clients;
            return this;
        }

        /** Each client's rate limit, requests per second (and burst). */
        Builder clientLimitPerSecond(int clientLimitPerSecond) {
            this.clientLimitPerSecond = clientLimitPerSecond;
            return this;
        }

        /** How long the load generator waits for an answer before it counts a timeout. */
        Builder clientTimeout(Duration clientTimeout) {
            this.clientTimeout = Objects.requireNonNull(clientTimeout, "clientTimeout");
            return this;
        }

        /** Whether to print one line per second. */
        Builder console(boolean console) {
            this.console = console;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming every invalid field and its value
         */
        GameConfig build() {
            // the demo is a user of nines like any other, so it checks its own settings instead of
            // borrowing the library's internal Validation (its module may not read dev.nines.internal)
            List<String> problems = new ArrayList<>();
            check(problems, !runLength.isNegative() && runLength.compareTo(Duration.ofSeconds(2)) >= 0
                    && runLength.compareTo(Duration.ofMinutes(30)) <= 0, "runLength", "in [2s, 30m]", runLength);
            check(problems, workers >= 1 && workers <= 64, "workers", "in [1, 64]", workers);
            check(problems, serviceTime.toMillis() >= 1, "serviceTime", ">= 1ms", serviceTime);
            check(problems, normalRate > 0 && normalRate <= 2000, "normalRate", "in (0, 2000]", normalRate);
            check(problems, spikeFactor >= 1 && spikeFactor <= 50, "spikeFactor", "in [1, 50]", spikeFactor);
            check(problems, abuseRate >= 0 && abuseRate <= 2000, "abuseRate", "in [0, 2000]", abuseRate);
            check(problems, clients >= 1, "clients", ">= 1", clients);
            check(problems, clientLimitPerSecond >= 1, "clientLimitPerSecond", ">= 1", clientLimitPerSecond);
            check(problems, clientTimeout.toMillis() >= 10, "clientTimeout", ">= 10ms", clientTimeout);
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", problems));
            }
            return new GameConfig(this);
        }

        /** Records {@code field must be <requirement> but was <value>} unless {@code ok}. */
        private static void check(List<String> problems, boolean ok, String field, String requirement, Object value) {
            if (!ok) {
                problems.add(field + " must be " + requirement + " but was " + value);
            }
        }
    }
}
