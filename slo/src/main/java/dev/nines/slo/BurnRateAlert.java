package dev.nines.slo;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One row of a multi-window, multi-burn-rate alert table (Google SRE workbook, chapter 5): the alert
 * fires while the error budget burns at least {@code burnRate} times the sustainable rate over both
 * {@code longWindow} and {@code shortWindow}. The long window makes it significant; the short one
 * makes it current, so the alert clears soon after the burning stops instead of a long window later.
 *
 * <p>A burn rate of 1 spends exactly the whole budget over the SLO's window; 14.4 over one hour spends
 * 2% of a 30-day budget in that hour.
 *
 * @param name        the alert's name, unique within its table: a label in metrics and generated rules
 * @param severity    what the alert asks for, conventionally {@code page} or {@code ticket}; the SLO's
 *                    state is the severity of its most urgent firing alert
 * @param burnRate    the threshold, &gt; 0
 * @param longWindow  the window that makes it significant
 * @param shortWindow the window that makes it current, shorter than {@code longWindow}
 */
public record BurnRateAlert(String name, String severity, double burnRate, Duration longWindow,
        Duration shortWindow) {

    /** The severity that pages someone; an SLO firing it is {@linkplain SloStatus#fastBurn() burning fast}. */
    public static final String PAGE = "page";
    /** The severity that files a ticket. */
    public static final String TICKET = "ticket";

    /**
     * Checks the row.
     *
     * @throws IllegalArgumentException naming the field and value when a name or severity is blank
     *     (or not a plain label: letters, digits, {@code _} and {@code -}), the burn rate is not a
     *     positive finite number, or a window is not positive or the short one is not shorter
     */
    public BurnRateAlert {
        requireLabel("name", name);
        requireLabel("severity", severity);
        if (!(burnRate > 0) || Double.isInfinite(burnRate)) {
            throw new IllegalArgumentException("alert " + name + ": burnRate must be a positive number but was "
                    + burnRate);
        }
        Objects.requireNonNull(longWindow, "longWindow");
        Objects.requireNonNull(shortWindow, "shortWindow");
        if (shortWindow.isNegative() || shortWindow.isZero()) {
            throw new IllegalArgumentException("alert " + name + ": shortWindow must be > 0 but was " + shortWindow);
        }
        if (shortWindow.compareTo(longWindow) >= 0) {
            throw new IllegalArgumentException("alert " + name + ": shortWindow must be shorter than longWindow "
                    + longWindow + " but was " + shortWindow);
        }
    }

    /**
     * The workbook's table, most urgent first: page at 14.4× over 1 h confirmed by 5 min
     * ({@code page-fast}), page at 6× over 6 h confirmed by 30 min ({@code page-slow}), ticket at 1×
     * over 3 days confirmed by 6 h ({@code ticket}). It fits SLO windows of 3 days or more.
     */
    public static List<BurnRateAlert> workbook() {
        return List.of(
                new BurnRateAlert("page-fast", PAGE, 14.4, Duration.ofHours(1), Duration.ofMinutes(5)),
                new BurnRateAlert("page-slow", PAGE, 6, Duration.ofHours(6), Duration.ofMinutes(30)),
                new BurnRateAlert("ticket", TICKET, 1, Duration.ofDays(3), Duration.ofHours(6)));
    }

    /** Returns whether the burn rates over the two windows fire this alert: both at or above the threshold. */
    public boolean firesAt(double longBurnRate, double shortBurnRate) {
        return longBurnRate >= burnRate && shortBurnRate >= burnRate;
    }

    /**
     * Returns the compact form of a window that metric labels, health details and generated rules use,
     * in its largest whole unit, as Prometheus writes durations: {@code 3d}, {@code 6h}, {@code 30m},
     * {@code 90s}, {@code 1500ms}; a window finer than a millisecond, which Prometheus cannot express,
     * in microseconds or nanoseconds ({@code 250us}, {@code 10ns}).
     *
     * @throws IllegalArgumentException if {@code window} is negative
     */
    public static String label(Duration window) {
        if (window.isNegative()) {
            throw new IllegalArgumentException("a window label needs a duration >= 0 but was " + window);
        }
        long nanos = window.toNanos();
        long[] units = {86_400_000_000_000L, 3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L};
        String[] names = {"d", "h", "m", "s", "ms", "us"};
        for (int i = 0; i < units.length; i++) {
            if (nanos != 0 && nanos % units[i] == 0) {
                return nanos / units[i] + names[i];
            }
        }
        return nanos + "ns";
    }

    private static void requireLabel(String field, String value) {
        Objects.requireNonNull(value, field);
        if (!value.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("alert " + field + " must be letters, digits, _ or - but was '"
                    + value + "'");
        }
    }
}
