package dev.nines.slo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Generates Prometheus recording and alerting rules (a rule file in YAML) that compute, over a whole
 * fleet, the burn rates and the multi-window alerts that each process computes for itself.
 *
 * <p><b>Why.</b> An {@link Slo}'s windows live in its process: they start empty when the process
 * starts (a restart forgets the incident it was in) and see only that instance's requests. The
 * fleet-wide truth is these rules evaluated by Prometheus over every instance's counters
 * ({@value SloPrometheusText#EVENTS_TOTAL} and {@value SloPrometheusText#GOOD_EVENTS_TOTAL}, written by
 * {@link SloPrometheusText} or the Micrometer sink), which {@code rate()} reads across restarts.
 *
 * <p><b>What.</b> One rule group ({@linkplain Builder#group named}, default {@value #DEFAULT_GROUP})
 * holding, for each SLO in order:
 * <ul>
 *   <li>one recording rule per distinct window of its alert table, named by {@link #recordName}
 *       ({@code nines_slo:burn_rate:5m}), keeping the SLO's labels but those summed away
 *       ({@linkplain Builder#sumWithout default} {@code instance}):
 *       <pre>(1 - sum without (instance) (rate(nines_slo_good_events_total{slo="checkout"}[5m]))
 *     / sum without (instance) (rate(nines_slo_events_total{slo="checkout"}[5m]))) / 0.001</pre></li>
 *   <li>one alerting rule per row of its alert table, named {@value #DEFAULT_ALERT} unless
 *       {@linkplain Builder#alertName set}, firing while both windows burn at least the row's rate
 *       (the workbook's two-window condition):
 *       <pre>nines_slo:burn_rate:1h{slo="checkout"} &gt;= 14.4 and nines_slo:burn_rate:5m{slo="checkout"} &gt;= 14.4</pre>
 *       with the labels {@code slo}, {@code alert} (the row's name) and {@code severity}, and
 *       annotations {@code summary} and {@code description} that state the SLO's objective and
 *       window, the threshold and how soon that rate spends the whole budget.</li>
 * </ul>
 * An optional {@linkplain Builder#matcher label matcher} ({@code job="shop"}) narrows every selector
 * to one service's series. Prometheus's rates over a window differ slightly from the process's,
 * which round windows up to whole buckets; both divide the same counts.
 *
 * <p>Immutable and thread-safe. Build with {@link #builder()}.
 */
public final class PrometheusRules {

    /** The rule group's name unless {@linkplain Builder#group set}. */
    public static final String DEFAULT_GROUP = "nines-slo";
    /** The alerting rules' name unless {@linkplain Builder#alertName set}. */
    public static final String DEFAULT_ALERT = "NinesSloBurnRate";

    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern ONE_MATCHER =
            Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\\\n]|\\\\.)*)\"\\s*");

    private final String group;
    private final String alertName;
    private final String matcher;
    private final List<String> sumWithout;

    private PrometheusRules(Builder b) {
        this.group = b.group;
        this.alertName = b.alertName;
        this.matcher = b.matcher;
        this.sumWithout = List.copyOf(b.sumWithout);
    }

    /** Starts rules with the defaults: group {@value #DEFAULT_GROUP}, no matcher, summed without {@code instance}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the name of the recording rule of the burn rate over {@code window}:
     * {@code nines_slo:burn_rate:} and the window as Prometheus writes it ({@code 5m}, {@code 1h},
     * {@code 3d}).
     *
     * @throws IllegalArgumentException if {@code window} is not a positive whole number of milliseconds
     */
    public static String recordName(Duration window) {
        return "nines_slo:burn_rate:" + range(window);
    }

    /** Returns the rule file for the SLOs of {@code registry}, in the order they were added. */
    public String yaml(SloRegistry registry) {
        return yaml(Objects.requireNonNull(registry, "registry").all());
    }

    /** Returns the rule file for {@code slos}, as {@link #write} writes it. */
    public String yaml(Collection<Slo> slos) {
        StringBuilder text = new StringBuilder();
        try {
            write(slos, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not throw
        }
        return text.toString();
    }

    /**
     * Writes the rule file for {@code slos} to {@code out}: one group, for each SLO its recording rules
     * (shortest window first) then its alerting rules (in table order). Recording rules come before the
     * alerts that read them, so one evaluation of the group sees its own fresh rates.
     *
     * @throws IllegalArgumentException if two SLOs share a name, or an alert window is not a whole
     *     number of milliseconds (Prometheus's finest unit)
     */
    public void write(Collection<Slo> slos, Appendable out) throws IOException {
        Objects.requireNonNull(out, "out");
        List<Slo> list = List.copyOf(slos);
        Set<String> names = new LinkedHashSet<>();
        for (Slo slo : list) {
            if (!names.add(slo.name())) {
                throw new IllegalArgumentException("two SLOs are named " + slo.name());
            }
            for (BurnRateAlert a : slo.alerts()) {
                range(a.longWindow()); // fails before anything is written
                range(a.shortWindow());
            }
        }
        out.append("# Generated by nines (dev.nines.slo.PrometheusRules): burn rates and the multi-window,\n")
                .append("# multi-burn-rate alerts of the SLOs ").append(String.join(", ", names)).append(",\n")
                .append("# computed from ").append(SloPrometheusText.EVENTS_TOTAL).append(" and ")
                .append(SloPrometheusText.GOOD_EVENTS_TOTAL).append(" summed over ")
                .append(sumWithout.isEmpty() ? "nothing" : String.join(", ", sumWithout)).append(".\n")
                .append("groups:\n")
                .append("  - name: ").append(quote(group)).append('\n');
        if (list.isEmpty()) {
            out.append("    rules: []\n");
            return;
        }
        out.append("    rules:\n");
        for (Slo slo : list) {
            writeSlo(slo, out);
        }
    }

    private void writeSlo(Slo slo, Appendable out) throws IOException {
        TreeSet<Duration> windows = new TreeSet<>();
        for (BurnRateAlert a : slo.alerts()) {
            windows.add(a.longWindow());
            windows.add(a.shortWindow());
        }
        String selector = selector(slo);
        String without = "sum without (" + String.join(", ", sumWithout) + ") ";
        String allowed = slo.objective().unavailability().stripTrailingZeros().toPlainString();
        for (Duration w : windows) {
            String range = "[" + range(w) + "]";
            out.append("      - record: ").append(quote(recordName(w))).append('\n')
                    .append("        expr: ").append(quote("(1 - " + without + "(rate("
                            + SloPrometheusText.GOOD_EVENTS_TOTAL + selector + range + ")) / " + without + "(rate("
                            + SloPrometheusText.EVENTS_TOTAL + selector + range + "))) / " + allowed)).append('\n')
                    // the series carries it already; as a rule label it also tells the SLOs' rules apart
                    .append("        labels:\n")
                    .append("          slo: ").append(quote(slo.name())).append('\n');
        }
        for (BurnRateAlert a : slo.alerts()) {
            String threshold = SloPrometheusText.number(a.burnRate());
            String longRange = range(a.longWindow());
            String shortRange = range(a.shortWindow());
            String window = BurnRateAlert.label(slo.window());
            out.append("      - alert: ").append(quote(alertName)).append('\n')
                    .append("        expr: ").append(quote(recordName(a.longWindow()) + selector + " >= " + threshold
                            + " and " + recordName(a.shortWindow()) + selector + " >= " + threshold)).append('\n')
                    .append("        labels:\n")
                    .append("          slo: ").append(quote(slo.name())).append('\n')
                    .append("          alert: ").append(quote(a.name())).append('\n')
                    .append("          severity: ").append(quote(a.severity())).append('\n')
                    .append("        annotations:\n")
                    .append("          summary: ").append(quote("SLO " + slo.name() + " burns its error budget at "
                            + threshold + "x or faster over " + longRange + " and " + shortRange)).append('\n')
                    .append("          description: ").append(quote("SLO " + slo.name() + " (" + slo.indicator().name()
                            .toLowerCase(java.util.Locale.ROOT) + ", objective " + slo.objective() + " over "
                            + window + ") burns its error budget at " + threshold + " times the sustainable rate or"
                            + " faster over both " + longRange + " and " + shortRange + "; at that rate the " + window
                            + " budget is spent in " + BurnRateAlert.label(spentIn(slo.window(), a.burnRate()))
                            + " (alert " + a.name() + ", severity " + a.severity() + ").")).append('\n');
        }
    }

    /** The time a burn rate takes to spend a window's whole budget, to the minute (at least one). */
    private static Duration spentIn(Duration window, double burnRate) {
        long minutes = (long) Math.floor(window.toMinutes() / burnRate);
        return Duration.ofMinutes(Math.max(1, minutes));
    }

    private String selector(Slo slo) {
        return "{slo=\"" + SloPrometheusText.escapeLabelValue(slo.name()) + "\"" + (matcher == null ? "" : "," + matcher)
                + "}";
    }

    /** Formats a range or record-name window; Prometheus has no unit finer than a millisecond. */
    private static String range(Duration window) {
        if (window.toNanos() % 1_000_000L != 0) {
            throw new IllegalArgumentException("alert windows must be whole milliseconds for Prometheus but one was "
                    + window);
        }
        return BurnRateAlert.label(window);
    }

    /**
     * Quotes {@code value} as a YAML single-quoted scalar: within it only {@code '} is special, written
     * twice. Control characters (a line feed would be folded) are refused.
     */
    static String quote(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new IllegalArgumentException("a control character cannot be written in a rule file but was"
                        + " in '" + value.replace("\n", "\\n") + "'");
            }
        }
        return "'" + value.replace("'", "''") + "'";
    }

    @Override
    public String toString() {
        return "PrometheusRules[group " + group + ", alert " + alertName + ", matcher " + matcher + ", sum without "
                + sumWithout + "]";
    }

    /**
     * Builds {@link PrometheusRules}. Defaults: group {@value #DEFAULT_GROUP}, alerts named
     * {@value #DEFAULT_ALERT}, no extra matcher, counters summed without {@code instance}.
     */
    public static final class Builder {
        private String group = DEFAULT_GROUP;
        private String alertName = DEFAULT_ALERT;
        private String matcher;
        private List<String> sumWithout = List.of("instance");

        private Builder() {
        }

        /** Sets the rule group's name, unique within a Prometheus server's rule files. Default {@value #DEFAULT_GROUP}. */
        public Builder group(String name) {
            this.group = Objects.requireNonNull(name, "group");
            return this;
        }

        /** Sets the alerting rules' name (their {@code alertname}), a metric-style name. Default {@value #DEFAULT_ALERT}. */
        public Builder alertName(String name) {
            this.alertName = Objects.requireNonNull(name, "alertName");
            return this;
        }

        /**
         * Adds label matchers to every selector, in PromQL's syntax with double-quoted values, comma
         * separated: {@code job="shop"}, {@code namespace=~"prod-.*",job!="canary"}; null for none (the
         * default). They must name labels that survive the sum (not {@code instance}), and not
         * {@code slo}: a summed-away label is gone from the recorded series the alerts read.
         */
        public Builder matcher(String matchers) {
            this.matcher = matchers;
            return this;
        }

        /**
         * Sets the labels the counters are summed away from, those that tell the instances of one fleet
         * apart. Default {@code instance}; add {@code pod} and the like where the scrape sets them.
         */
        public Builder sumWithout(String... labels) {
            this.sumWithout = List.of(labels);
            return this;
        }

        /**
         * Builds the generator.
         *
         * @throws IllegalArgumentException naming the field and value: a blank group or one with a
         *     control character, an alert name that is not a metric-style name, a matcher that is not
         *     PromQL label matchers or names {@code slo}, {@code __name__} or a summed-away label, a
         *     label to sum away that is not a label name or is {@code slo}
         */
        public PrometheusRules build() {
            List<String> problems = new ArrayList<>();
            if (group.isBlank() || group.chars().anyMatch(Character::isISOControl)) {
                problems.add("group must be a non-blank name without control characters but was '"
                        + group.replace("\n", "\\n") + "'");
            }
            if (!alertName.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
                problems.add("alertName must be letters, digits, '_' and ':', not starting with a digit, but was '"
                        + alertName + "'");
            }
            Set<String> without = new HashSet<>();
            for (String label : sumWithout) {
                if (label == null || !LABEL_NAME.matcher(label).matches() || label.equals("slo")) {
                    problems.add("sumWithout must be label names other than slo but had '" + label + "'");
                } else if (!without.add(label)) {
                    problems.add("sumWithout names " + label + " twice");
                }
            }
            if (matcher != null) {
                checkMatcher(matcher, without, problems);
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("PrometheusRules: " + String.join("; ", problems));
            }
            return new PrometheusRules(this);
        }

        private static void checkMatcher(String text, Set<String> without, List<String> problems) {
            String bad = "matcher must be PromQL label matchers such as job=\"shop\", comma separated, but was '"
                    + text.replace("\n", "\\n") + "'";
            if (text.isBlank()) {
                problems.add(bad);
                return;
            }
            for (String part : splitMatchers(text)) {
                Matcher m = ONE_MATCHER.matcher(part);
                if (!m.matches()) {
                    problems.add(bad);
                    return;
                }
                String label = m.group(1);
                if (label.equals("slo") || label.equals("__name__")) {
                    problems.add("matcher must not match " + label + " (the rules choose it) but was '" + text + "'");
                } else if (without.contains(label)) {
                    problems.add("matcher must not match " + label + ", which the rules sum away, but was '" + text
                            + "'");
                }
            }
        }

        /** Splits at the commas outside double-quoted strings. */
        private static List<String> splitMatchers(String text) {
            List<String> parts = new ArrayList<>();
            boolean quoted = false;
            int start = 0;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (quoted && c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = !quoted;
                } else if (c == ',' && !quoted) {
                    parts.add(text.substring(start, i));
                    start = i + 1;
                }
            }
            parts.add(text.substring(start));
            return parts;
        }
    }
}
