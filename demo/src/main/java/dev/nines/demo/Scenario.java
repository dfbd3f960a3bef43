package dev.nines.demo;

import static dev.nines.demo.Downstream.Condition.FAILING;
import static dev.nines.demo.Downstream.Condition.HEALTHY;
import static dev.nines.demo.Downstream.Condition.SLOW;

import java.time.Duration;
import java.util.Locale;

/**
 * The scripts a game day can play. Each divides the run length between its phases in fixed
 * proportions, so a shorter run plays the same story faster.
 */
enum Scenario {
    /**
     * The whole game day: normal, 3x spike, calm, abusive client, calm, catalog failing, catalog
     * slow, recovery. The calm stretches are long enough for the unprotected shop to drain the
     * backlog of the incident before, so each incident shows its own effect.
     */
    FULL("normal load, a spike, an abusive client, a catalog outage (errors, then slowness), recovery") {
        @Override
        Script script(Duration length, double spike) {
            return new Script.Builder()
                    .phase("normal", 5, 1, false, HEALTHY)
                    .phase("spike", 6, spike, false, HEALTHY)
                    .phase("calm", 7, 1, false, HEALTHY)
                    .phase("abuse", 6, 1, true, HEALTHY)
                    .phase("calm", 5, 1, false, HEALTHY)
                    .phase("outage-errors", 4, 1, false, FAILING)
                    .phase("outage-slow", 4, 1, false, SLOW)
                    .phase("recovery", 5, 1, false, HEALTHY)
                    .build(length.toNanos());
        }
    },
    /** Normal load, the spike, recovery. */
    SPIKE("normal load, a spike, recovery") {
        @Override
        Script script(Duration length, double spike) {
            return new Script.Builder()
                    .phase("normal", 1, 1, false, HEALTHY)
                    .phase("spike", 2, spike, false, HEALTHY)
                    .phase("recovery", 1, 1, false, HEALTHY)
                    .build(length.toNanos());
        }
    },
    /** Normal load, the abusive client, recovery. */
    ABUSE("normal load, an abusive client, recovery") {
        @Override
        Script script(Duration length, double spike) {
            return new Script.Builder()
                    .phase("normal", 1, 1, false, HEALTHY)
                    .phase("abuse", 2, 1, true, HEALTHY)
                    .phase("recovery", 1, 1, false, HEALTHY)
                    .build(length.toNanos());
        }
    },
    /** Normal load, the catalog failing, then slow, recovery. */
    OUTAGE("normal load, the catalog failing, then slow, recovery") {
        @Override
        Script script(Duration length, double spike) {
            return new Script.Builder()
                    .phase("normal", 2, 1, false, HEALTHY)
                    .phase("outage-errors", 3, 1, false, FAILING)
                    .phase("outage-slow", 3, 1, false, SLOW)
                    .phase("recovery", 2, 1, false, HEALTHY)
                    .build(length.toNanos());
        }
    };

    private final String description;

    Scenario(String description) {
        this.description = description;
    }

    /** The script of this scenario over {@code length}, with the spike at {@code spike} times normal. */
    abstract Script script(Duration length, double spike);

    /** One line saying what the scenario plays. */
    String description() {
        return description;
    }

    /** The name used on the command line. */
    String flag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
