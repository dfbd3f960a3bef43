package dev.nines.spring.boot.autoconfigure.internal;

import dev.nines.Priority;
import dev.nines.Ticker;
import dev.nines.slo.Availability;
import dev.nines.slo.BurnRateAlert;
import dev.nines.slo.Slo;
import dev.nines.spring.boot.autoconfigure.SloProperties;
import dev.nines.spring.boot.autoconfigure.SloProperties.AlertSettings;
import dev.nines.spring.boot.autoconfigure.SloProperties.SloSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Builds the SLOs of {@code nines.slo.instances}: checks every setting (reporting each invalid one
 * by property path and value, all at once, in a {@link NinesConfigurationException}) and builds
 * each SLO with its nines-slo builder. Stateless and thread-safe.
 */
public final class SloBuilders {

    /** The section's prefix. */
    static final String PREFIX = "nines.slo";

    private SloBuilders() {
    }

    /**
     * Builds every configured SLO.
     *
     * @param ticker the SLOs' time, or {@code null} for nines-slo's default (the shared coarse ticker)
     * @throws NinesConfigurationException listing every invalid setting by property path and value
     */
    public static List<Slo> build(SloProperties properties, Ticker ticker) {
        List<String> problems = new ArrayList<>();
        Duration interval = properties.getEvaluationInterval();
        if (interval == null || interval.isNegative() || interval.isZero()) {
            problems.add(PREFIX + ".evaluation-interval: must be more than 0 but was " + interval);
        }
        List<Slo> slos = new ArrayList<>();
        for (Map.Entry<String, SloSettings> e : properties.getInstances().entrySet()) {
            Slo slo = build(e.getKey(), e.getValue() == null ? new SloSettings() : e.getValue(),
                    properties.getDefaults(), ticker, problems);
            if (slo != null) {
                slos.add(slo);
            }
        }
        if (!problems.isEmpty()) {
            throw new NinesConfigurationException("nines configuration", problems, PolicyFactory.ACTION);
        }
        return slos;
    }

    /** A setting's value, from the instance or the defaults, and the property path it came from. */
    private record Setting<T>(T value, String path) {
    }

    private static <T> Setting<T> pick(String key, SloSettings own, SloSettings defaults, String ownPath,
            Function<SloSettings, T> getter) {
        T mine = getter.apply(own);
        if (mine != null) {
            return new Setting<>(mine, ownPath + key);
        }
        T fallback = defaults == null ? null : getter.apply(defaults);
        // unset in both: the instance is where to set it
        return new Setting<>(fallback, fallback == null ? ownPath + key : PREFIX + ".defaults." + key);
    }

    private static Slo build(String name, SloSettings own, SloSettings defaults, Ticker ticker, List<String> problems) {
        String instance = PREFIX + ".instances." + (name.contains(".") ? "[" + name + "]" : name);
        String at = instance + ".";
        int before = problems.size();
        Setting<String> indicatorSetting = pick("indicator", own, defaults, at, SloSettings::getIndicator);
        Setting<Duration> thresholdSetting = pick("threshold", own, defaults, at, SloSettings::getThreshold);
        String indicator = indicatorSetting.value() == null ? "availability"
                : indicatorSetting.value().strip().toLowerCase(Locale.ROOT);
        Duration threshold = thresholdSetting.value();
        if (!indicator.equals("availability") && !indicator.equals("latency")) {
            problems.add(indicatorSetting.path() + ": must be availability or latency but was '"
                    + indicatorSetting.value() + "'");
        } else if (indicator.equals("latency") && (threshold == null || threshold.isNegative() || threshold.isZero())) {
            problems.add(thresholdSetting.path() + ": must be more than 0 for a latency SLO but was " + threshold);
        } else if (indicator.equals("availability") && threshold != null) {
            problems.add(thresholdSetting.path() + ": must be unset for an availability SLO (set indicator: latency)"
                    + " but was " + threshold);
        }
        if (!name.matches("[A-Za-z0-9_.-]+")) {
            problems.add(instance + ": the name must be letters, digits, '.', '_' or '-' but was '" + name + "'");
        }
        Setting<String> objectiveSetting = pick("objective", own, defaults, at, SloSettings::getObjective);
        Availability objective = null;
        if (objectiveSetting.value() != null) {
            String text = objectiveSetting.value();
            try {
                objective = Availability.parse(text);
                if (objective.compareTo(Availability.NONE) <= 0 || objective.compareTo(Availability.PERFECT) >= 0) {
                    problems.add(objectiveSetting.path() + ": must be strictly between 0 and 100% (100% leaves no"
                            + " error budget) but was '" + text + "'");
                }
            } catch (IllegalArgumentException e) {
                problems.add(objectiveSetting.path() + ": must be a percentage such as 99.9% or a fraction such as"
                        + " 0.999 but was '" + text + "'");
            }
        }
        Slo.Treatment degraded = treatment(pick("degraded", own, defaults, at, SloSettings::getDegraded), problems);
        Slo.Treatment rateLimited = treatment(pick("rate-limited", own, defaults, at, SloSettings::getRateLimited),
                problems);
        Setting<Duration> resolutionSetting = pick("resolution", own, defaults, at, SloSettings::getResolution);
        Setting<Duration> windowSetting = pick("window", own, defaults, at, SloSettings::getWindow);
        Duration resolution = resolutionSetting.value() == null ? Duration.ofMinutes(1) : resolutionSetting.value();
        Duration window = windowSetting.value() == null ? Duration.ofDays(30) : windowSetting.value();
        boolean resolutionValid = positive(resolutionSetting.path(), resolution, problems);
        if (resolutionValid) {
            whole(windowSetting.path(), window, resolution, problems);
        }
        Setting<List<AlertSettings>> table = pick("alerts", own, defaults, at, SloSettings::getAlerts);
        List<BurnRateAlert> alerts = table.value() == null ? BurnRateAlert.workbook()
                : alerts(table.path(), table.value(), window, resolutionValid ? resolution : null, problems);
        Setting<List<Priority>> priorities = pick("priorities", own, defaults, at, SloSettings::getPriorities);
        List<Priority> counted = priorities.value() == null ? List.of() : priorities.value();
        if (counted.stream().anyMatch(Objects::isNull)) {
            problems.add(priorities.path() + ": must list P0, P1, P2 or P3 but had an empty entry");
        }
        Setting<List<String>> requests = pick("requests", own, defaults, at, SloSettings::getRequests);
        List<String> names = requests.value() == null ? List.of() : requests.value();
        for (String r : names) {
            if (r == null || r.isBlank()) {
                problems.add(requests.path() + ": must list request names but had an empty entry");
                break;
            }
        }
        if (problems.size() > before) {
            return null;
        }
        Slo.Builder b = indicator.equals("latency") ? Slo.latency(name, threshold) : Slo.availability(name);
        if (objective != null) {
            b.objective(objective);
        }
        b.window(window).resolution(resolution).alerts(alerts).requests(names.toArray(new String[0]))
                .priorities(counted.toArray(new Priority[0]));
        if (degraded != null) {
            b.degraded(degraded);
        }
        if (rateLimited != null) {
            b.rateLimited(rateLimited);
        }
        if (ticker != null) {
            b.ticker(ticker);
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            // what the checks above do not cover, in the builder's words (they name field and value)
            problems.add(instance + ": " + e.getMessage());
            return null;
        }
    }

    private static List<BurnRateAlert> alerts(String at, List<AlertSettings> table, Duration window,
            Duration resolution, List<String> problems) {
        List<BurnRateAlert> alerts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < table.size(); i++) {
            String row = at + "[" + i + "].";
            AlertSettings a = table.get(i);
            int before = problems.size();
            if (a == null) {
                problems.add(at + "[" + i + "]: must be an alert with name, severity, burn-rate, long-window and"
                        + " short-window but was empty");
                continue;
            }
            label(row + "name", a.getName(), problems);
            label(row + "severity", a.getSeverity(), problems);
            if (a.getName() != null && names.contains(a.getName())) {
                problems.add(row + "name: must be unique in the table but was '" + a.getName() + "' again");
            }
            names.add(a.getName());
            Double rate = a.getBurnRate();
            if (rate == null || !(rate > 0) || rate.isInfinite()) {
                problems.add(row + "burn-rate: must be a number more than 0 but was " + rate);
            }
            boolean longValid = positive(row + "long-window", a.getLongWindow(), problems);
            boolean shortValid = positive(row + "short-window", a.getShortWindow(), problems);
            if (longValid && a.getLongWindow().compareTo(window) > 0) {
                problems.add(row + "long-window: must fit in the SLO's window " + window + " but was "
                        + a.getLongWindow());
            }
            if (longValid && shortValid && a.getShortWindow().compareTo(a.getLongWindow()) >= 0) {
                problems.add(row + "short-window: must be shorter than long-window " + a.getLongWindow() + " but was "
                        + a.getShortWindow());
            }
            if (resolution != null) {
                if (longValid) {
                    whole(row + "long-window", a.getLongWindow(), resolution, problems);
                }
                if (shortValid) {
                    whole(row + "short-window", a.getShortWindow(), resolution, problems);
                }
            }
            if (problems.size() == before) {
                alerts.add(new BurnRateAlert(a.getName(), a.getSeverity(), rate, a.getLongWindow(), a.getShortWindow()));
            }
        }
        return alerts;
    }

    private static Slo.Treatment treatment(Setting<String> setting, List<String> problems) {
        String value = setting.value();
        String path = setting.path();
        if (value == null) {
            return null;
        }
        switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "answer":
                return Slo.Treatment.ANSWER;
            case "failure":
                return Slo.Treatment.FAILURE;
            case "excluded":
                return Slo.Treatment.EXCLUDED;
            default:
                problems.add(path + ": must be answer, failure or excluded but was '" + value + "'");
                return null;
        }
    }

    private static void label(String path, String value, List<String> problems) {
        if (value == null || !value.matches("[A-Za-z0-9_-]+")) {
            problems.add(path + ": must be letters, digits, _ or - but was " + (value == null ? "unset" : "'" + value + "'"));
        }
    }

    private static boolean positive(String path, Duration d, List<String> problems) {
        if (d == null || d.isNegative() || d.isZero()) {
            problems.add(path + ": must be more than 0 but was " + (d == null ? "unset" : d));
            return false;
        }
        return true;
    }

    private static void whole(String path, Duration d, Duration resolution, List<String> problems) {
        if (d.isNegative() || d.isZero() || d.toNanos() % resolution.toNanos() != 0) {
            problems.add(path + ": must be a positive whole number of resolutions (" + resolution + ") but was " + d);
        }
    }
}
