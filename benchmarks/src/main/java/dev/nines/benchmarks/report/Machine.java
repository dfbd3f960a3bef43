package dev.nines.benchmarks.report;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * The machine a run was measured on: CPU model, core count and operating system. The JDK comes
 * from the JMH results themselves.
 *
 * <p>The run script records these in {@code machine.properties} next to the JMH files
 * ({@code cpu}, {@code cores}, {@code os}, {@code date}), so a report regenerated elsewhere still
 * names the machine that measured; without that file the report step describes the machine it
 * runs on.
 *
 * @param cpu CPU model, from {@code /proc/cpuinfo}
 * @param cores processors available to the JVM
 * @param os operating system name and kernel
 * @param date when the run was made, free text; empty when unknown
 */
public record Machine(String cpu, int cores, String os, String date) {

    /** Describes the machine this JVM runs on. */
    public static Machine detect() {
        return new Machine(cpuModel(Path.of("/proc/cpuinfo")),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                "");
    }

    /** Reads a {@code machine.properties} file; missing keys fall back to {@link #detect()}. */
    public static Machine load(Path file) throws IOException {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        }
        Machine here = detect();
        String cores = props.getProperty("cores");
        return new Machine(
                props.getProperty("cpu", here.cpu()),
                cores == null ? here.cores() : Integer.parseInt(cores.trim()),
                props.getProperty("os", here.os()),
                props.getProperty("date", ""));
    }

    /** The first {@code model name} in a cpuinfo file, or {@code unknown CPU}. */
    static String cpuModel(Path cpuinfo) {
        try {
            List<String> lines = Files.readAllLines(cpuinfo, StandardCharsets.UTF_8);
            for (String line : lines) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: say so below
        }
        return "unknown CPU";
    }
}
