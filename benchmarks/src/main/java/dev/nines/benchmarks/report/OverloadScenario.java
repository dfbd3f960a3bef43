package dev.nines.benchmarks.report;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * One overload scenario of the report, read from a properties file such as
 * {@code benchmarks/overload.properties}:
 *
 * <pre>
 * scenarios = configured, strict-shares
 * loads = 0.5, 1, 2, 3, 5, 10          # offered load, multiples of capacity
 * shares = 0.9, 0.7, 0.5               # share of the limit P1..P3 may fill (P0: all)
 * strict-shares.description = P2 and P3 shed earlier
 * strict-shares.shares = 0.8, 0.5, 0.3
 * </pre>
 *
 * A top-level key applies to every scenario; {@code <scenario>.<key>} overrides it for one.
 * {@code scenarios} lists the scenarios in order; {@code loads} is required. Every other key is
 * handed to the {@link OverloadSimulator} as it is.
 *
 * @param name scenario name
 * @param description what the scenario changes, for the report; may be empty
 * @param settings the resolved settings, {@code scenarios} and {@code description} removed
 */
public record OverloadScenario(String name, String description, Map<String, String> settings) {

    /** Copies the settings. */
    public OverloadScenario {
        settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /** The offered loads, parsed from {@code loads}. */
    public List<Double> loads() {
        return doubles("loads");
    }

    /**
     * A comma-separated list of numbers.
     *
     * @throws IllegalArgumentException naming scenario, key and value when absent or malformed
     */
    public List<Double> doubles(String key) {
        String value = settings.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + "." + key + " must be set");
        }
        try {
            return Arrays.stream(value.split(",")).map(String::trim).map(Double::valueOf).toList();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "." + key + " must be numbers separated by commas but was "
                    + value);
        }
    }

    /** Reads every scenario of a properties file, validating {@code loads}. */
    public static List<OverloadScenario> load(Path file) throws IOException {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        }
        return of(props);
    }

    /** Resolves the scenarios of {@code props}. */
    static List<OverloadScenario> of(Properties props) {
        String list = props.getProperty("scenarios", "").trim();
        if (list.isEmpty()) {
            throw new IllegalArgumentException("scenarios must name at least one scenario but was empty");
        }
        List<String> names = Arrays.stream(list.split(",")).map(String::trim).toList();
        List<OverloadScenario> scenarios = new ArrayList<>();
        for (String name : names) {
            Map<String, String> settings = new LinkedHashMap<>();
            props.stringPropertyNames().stream().sorted()
                    .filter(k -> names.stream().noneMatch(n -> k.startsWith(n + ".")))
                    .forEach(k -> settings.put(k, props.getProperty(k).trim()));
            props.stringPropertyNames().stream().sorted()
                    .filter(k -> k.startsWith(name + "."))
                    .forEach(k -> settings.put(k.substring(name.length() + 1), props.getProperty(k).trim()));
            settings.remove("scenarios");
            String description = settings.getOrDefault("description", "");
            settings.remove("description");
            OverloadScenario scenario = new OverloadScenario(name, description, settings);
            for (double load : scenario.loads()) {
                if (!(load > 0) || Double.isInfinite(load)) {
                    throw new IllegalArgumentException(name + ".loads must all be > 0 but held " + load);
                }
            }
            scenarios.add(scenario);
        }
        return scenarios;
    }
}
