package dev.nines.slo;

import java.time.Duration;
import java.util.List;

/**
 * An SLO's state at one ticker reading: its window's counts, the error budget left, and each alert's
 * burn rates. Computed by {@link Slo#status()}; an immutable snapshot.
 *
 * @param name                  the SLO's name
 * @param objective             the fraction of events that must be good
 * @param window                the window the budget is counted over
 * @param good                  good events in the window
 * @param total                 events in the window (excluded ones are not events)
 * @param attainment            {@code good / total}, or 1 when the window has no events
 * @param budgetRemaining       the fraction of the error budget left: 1 when nothing failed, 0 when
 *                              exactly the budget failed, negative when it is overspent
 * @param budgetRemainingEvents the bad events the budget still allows for the events so far:
 *                              {@code (1 - objective) × total - bad}, negative when overspent
 * @param alerts                each alert of the SLO's table with its burn rates, in table order
 */
public record SloStatus(String name, Availability objective, Duration window, long good, long total,
        double attainment, double budgetRemaining, double budgetRemainingEvents, List<AlertStatus> alerts) {

    /** The state of an SLO none of whose alerts fires. */
    public static final String OK = "ok";

    /** Copies the alert list. */
    public SloStatus {
        alerts = List.copyOf(alerts);
    }

    /** Returns the bad events in the window. */
    public long bad() {
        return total - good;
    }

    /**
     * Returns the SLO's alert state: the severity of the first firing alert in table order (the table
     * lists the most urgent first), or {@link #OK}.
     */
    public String state() {
        for (AlertStatus a : alerts) {
            if (a.firing()) {
                return a.alert().severity();
            }
        }
        return OK;
    }

    /** Returns whether an alert of severity {@link BurnRateAlert#PAGE} fires: the budget burns fast. */
    public boolean fastBurn() {
        for (AlertStatus a : alerts) {
            if (a.firing() && BurnRateAlert.PAGE.equals(a.alert().severity())) {
                return true;
            }
        }
        return false;
    }

    /**
     * One alert's evaluation.
     *
     * @param alert         the table row
     * @param longBurnRate  the burn rate over its long window
     * @param shortBurnRate the burn rate over its short window
     * @param firing        whether both reach the threshold
     */
    public record AlertStatus(BurnRateAlert alert, double longBurnRate, double shortBurnRate, boolean firing) {
    }
}
