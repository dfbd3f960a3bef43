package dev.nines.demo;

import static dev.nines.demo.MarkdownReport.fmt;

import dev.nines.Priority;
import dev.nines.slo.BurnRateAlert;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report's error-budget section, shared by the HTML and Markdown writers: a burn-rate chart per
 * priority and run (the burn rate over each alert's long window, on a logarithmic scale with the
 * alert thresholds 14.4, 6 and 1 drawn across, and a strip under the plot while an alert fires),
 * the scaled alert table, and when each alert fired. Everything comes from {@link RunSlos}.
 */
final class BurnRateCharts {

    /** One colour per alert of {@link RunSlos#ALERTS}, in table order: its curve, threshold and strip. */
    private static final String[] COLORS = {"#c62828", "#ef6c00", "#1565c0"};
    /** The bottom of every chart's scale: burn rates at or below it (zero included) sit on it. */
    static final double Y_MIN = 0.1;
    /** How many stretches of one alert's firing the table lists before it sums up the rest. */
    private static final int SHOWN = 4;

    private BurnRateCharts() {
    }

    /** The paragraph that says what the charts show and why the alert windows are so short. */
    static String explanation() {
        return fmt("Burn rate: the bad share of the requests in a window divided by the share the objective allows "
                + "(1 - objective); at 1 the error budget lasts exactly the SLO window, at 14.4 a 30-day budget "
                + "is gone in about two days. Computed by nines-slo: one availability SLO per priority, fed with "
                + "the request event of every well-behaved client's request at the moment it ended, on the run's "
                + "clock, and evaluated every %.0f ms. The game day's time is compressed %d-fold: one hour of the "
                + "Google SRE workbook's alert table is %d s here, so the 30-day SLO window becomes %d minutes "
                + "(longer than any run: the run is one budget window) and each alert window shrinks alike, while "
                + "the thresholds stay the workbook's. An alert fires while the burn rate over both its windows "
                + "reaches its threshold; the curves show the long window, the strip under each chart when an "
                + "alert fired (in its colour). The scale is logarithmic so that a burn of 500× and the 1× line "
                + "both show; zero is drawn on the bottom line. With a few requests a second per priority, a single "
                + "failed P0 request lifts the 3 s burn rate past 14.4: alerts on little traffic are twitchy, "
                + "as the workbook warns.",
                RunSlos.RESOLUTION.toNanos() / 1e6, RunSlos.TIME_SCALE, Duration.ofHours(1).dividedBy(RunSlos.TIME_SCALE)
                        .toSeconds(), RunSlos.WINDOW.toMinutes());
    }

    /** The scaled alert table's rows: name, severity, burn rate, long and short window, the workbook's windows. */
    static List<String[]> alertRows() {
        List<String[]> rows = new ArrayList<>();
        List<BurnRateAlert> workbook = BurnRateAlert.workbook();
        for (int i = 0; i < RunSlos.ALERTS.size(); i++) {
            BurnRateAlert a = RunSlos.ALERTS.get(i);
            BurnRateAlert w = workbook.get(i);
            rows.add(new String[] {a.name(), a.severity(), burn(a.burnRate()), seconds(a.longWindow()),
                    seconds(a.shortWindow()), human(w.longWindow()) + " / " + human(w.shortWindow())});
        }
        return rows;
    }

    /** The top of {@code priority}'s scale: the power of ten at or above the most it can burn (all bad). */
    static double yMax(Priority priority) {
        double most = 1 / (1 - RunSlos.objective(priority).doubleValue());
        return Math.pow(10, Math.ceil(Math.log10(most) - 1e-9));
    }

    /** The chart of {@code priority} in {@code run}, on the scale both runs share. */
    static String chart(RunReport run, String runName, Priority priority, int seconds, List<Phase> phases) {
        RunSlos slos = run.slos();
        List<Svg.Line> lines = new ArrayList<>();
        List<Svg.Threshold> thresholds = new ArrayList<>();
        String[] strip = new String[slos.steps()];
        for (int a = 0; a < RunSlos.ALERTS.size(); a++) {
            BurnRateAlert alert = RunSlos.ALERTS.get(a);
            lines.add(new Svg.Line(seconds(alert.longWindow()) + " (" + alert.name() + ")", COLORS[a],
                    slos.longBurnRate(priority, a)));
            thresholds.add(new Svg.Threshold(alert.name() + " " + burn(alert.burnRate()), COLORS[a], alert.burnRate()));
            boolean[] firing = slos.firing(priority, a);
            for (int k = 0; k < strip.length; k++) {
                if (firing[k] && strip[k] == null) {
                    strip[k] = COLORS[a]; // the most urgent firing alert's colour
                }
            }
        }
        String title = fmt("%s %s burn rate, %s", priority, Endpoint.of(priority).path(), runName);
        return Svg.logChart(title, "burn rate", lines, RunSlos.stepSeconds(), thresholds, Y_MIN, yMax(priority), strip,
                seconds, phases);
    }

    /** When alert {@code alert} of {@code priority} fired in {@code run}: "never" or the stretches. */
    static String fired(RunReport run, Priority priority, int alert) {
        List<RunSlos.Stretch> stretches = run.slos().firedDuring(priority, alert);
        if (stretches.isEmpty()) {
            return "never";
        }
        List<String> parts = new ArrayList<>();
        double total = 0;
        for (RunSlos.Stretch s : stretches) {
            total += s.to() - s.from();
            if (parts.size() < SHOWN) {
                parts.add(s.cleared() ? fmt("%.2f–%.2f s", s.from(), s.to()) : fmt("%.2f s to the end", s.from()));
            }
        }
        String shown = String.join(", ", parts);
        return stretches.size() <= SHOWN ? shown
                : fmt("%s and %d more (%d stretches, %.2f s in all)", shown, stretches.size() - SHOWN, stretches.size(),
                        total);
    }

    /** The SVG file name of {@code priority}'s chart for the run labelled {@code label}. */
    static String fileName(Priority priority, String label) {
        return "burn-rate-" + priority.name().toLowerCase(Locale.ROOT) + "-" + label + ".svg";
    }

    static String burn(double rate) {
        return (rate == Math.rint(rate) ? fmt("%.0f", rate) : fmt("%s", rate)) + "×";
    }

    static String seconds(Duration d) {
        double s = d.toNanos() / 1e9;
        return s == Math.rint(s) ? fmt("%.0f s", s) : fmt("%s s", s);
    }

    private static String human(Duration d) {
        if (d.toDaysPart() > 0 && d.toHoursPart() == 0) {
            return d.toDays() + " d";
        }
        return d.toMinutesPart() == 0 ? d.toHours() + " h" : d.toMinutes() + " min";
    }
}
