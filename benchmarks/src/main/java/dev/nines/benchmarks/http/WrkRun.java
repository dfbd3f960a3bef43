package dev.nines.benchmarks.http;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One wrk run, parsed from its {@code --latency} output: requests per second, the 50th and 99th
 * percentile latencies, the requests made and how many were not 2xx/3xx, the socket errors, and
 * (when {@code benchmarks/run http} appended it) the server JVM's CPU seconds during the run.
 *
 * @param requestsPerSecond wrk's {@code Requests/sec}
 * @param p50Micros the median latency, microseconds
 * @param p99Micros the 99th percentile latency, microseconds
 * @param requests the requests completed
 * @param non2xx responses that were not 2xx or 3xx
 * @param socketErrors connect, read, write and timeout errors, summed
 * @param serverCpuSeconds the server JVM's CPU time (user + system) during the run, or NaN
 */
public record WrkRun(double requestsPerSecond, double p50Micros, double p99Micros, long requests, long non2xx,
        long socketErrors, double serverCpuSeconds) {

    private static final Pattern RPS = Pattern.compile("(?m)^Requests/sec:\\s+([0-9.]+)");
    private static final Pattern PERCENTILE = Pattern.compile("(?m)^\\s+(50|99)(?:\\.000)?%\\s+([0-9.]+)(us|ms|s|m)\\s*$");
    private static final Pattern TOTAL = Pattern.compile("(?m)^\\s+(\\d+) requests in ");
    private static final Pattern NON_2XX = Pattern.compile("(?m)^\\s+Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern SOCKET = Pattern.compile(
            "(?m)^\\s+Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern CPU = Pattern.compile("(?m)^server-cpu-seconds: ([0-9.]+)");

    /** The server's CPU time per request, microseconds; NaN when unknown. */
    public double serverCpuMicrosPerRequest() {
        return requests == 0 ? Double.NaN : serverCpuSeconds * 1e6 / requests;
    }

    /**
     * Parses wrk's output.
     *
     * @throws IllegalArgumentException naming what is missing when {@code output} is not the output
     *     of {@code wrk --latency}
     */
    public static WrkRun parse(String output) {
        double rps = Double.parseDouble(find(RPS, output, "Requests/sec"));
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        Matcher m = PERCENTILE.matcher(output);
        while (m.find()) {
            double micros = micros(Double.parseDouble(m.group(2)), m.group(3));
            if (m.group(1).equals("50")) {
                p50 = micros;
            } else {
                p99 = micros;
            }
        }
        if (Double.isNaN(p50) || Double.isNaN(p99)) {
            throw new IllegalArgumentException("no 50% and 99% latency lines: was wrk run with --latency?");
        }
        long requests = Long.parseLong(find(TOTAL, output, "'N requests in'"));
        Matcher non = NON_2XX.matcher(output);
        long non2xx = non.find() ? Long.parseLong(non.group(1)) : 0;
        Matcher socket = SOCKET.matcher(output);
        long errors = 0;
        if (socket.find()) {
            for (int g = 1; g <= 4; g++) {
                errors += Long.parseLong(socket.group(g));
            }
        }
        Matcher cpu = CPU.matcher(output);
        double cpuSeconds = cpu.find() ? Double.parseDouble(cpu.group(1)) : Double.NaN;
        return new WrkRun(rps, p50, p99, requests, non2xx, errors, cpuSeconds);
    }

    private static String find(Pattern pattern, String output, String what) {
        Matcher m = pattern.matcher(output);
        if (!m.find()) {
            throw new IllegalArgumentException("no " + what + " line in the wrk output");
        }
        return m.group(1);
    }

    private static double micros(double value, String unit) {
        return switch (unit.toLowerCase(Locale.ROOT)) {
            case "us" -> value;
            case "ms" -> value * 1e3;
            case "s" -> value * 1e6;
            case "m" -> value * 60e6;
            default -> throw new IllegalArgumentException("unknown latency unit: " + unit);
        };
    }
}
