package dev.nines.benchmarks;

import dev.nines.CoarseTicker;
import java.time.Duration;
import java.util.Arrays;

/**
 * What the {@link CoarseTicker} gives up: how far its reading lags {@link System#nanoTime()}, sampled
 * by a busy thread for a few seconds, at each resolution given. Prints the percentiles and the
 * largest lag seen, and checks that no reading ran ahead of the clock.
 *
 * <pre>{@code java -cp benchmarks/target/benchmarks.jar dev.nines.benchmarks.CoarseTickerLag 1ms 10ms}</pre>
 */
public final class CoarseTickerLag {

    private CoarseTickerLag() {
    }

    /**
     * Samples the lag at each resolution ({@code 100us}, {@code 1ms}, {@code 10ms}, ...), three seconds
     * each.
     *
     * @param args the resolutions; {@code 1ms} when none
     */
    public static void main(String[] args) {
        String[] resolutions = args.length == 0 ? new String[] {"1ms"} : args;
        System.out.println("| resolution | p50 lag | p99 lag | p99.9 lag | max lag | readings ahead of the clock |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (String r : resolutions) {
            Duration resolution = parse(r);
            try (CoarseTicker ticker = CoarseTicker.start(resolution)) {
                int n = 2_000_000;
                long[] lags = new long[n];
                long ahead = 0;
                long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                int count = 0;
                while (count < n && System.nanoTime() - end < 0) {
                    long reading = ticker.read();
                    long exact = System.nanoTime();
                    long lag = exact - reading;
                    if (lag < 0) {
                        ahead++;
                    }
                    lags[count++] = lag;
                    for (int spin = 0; spin < 200; spin++) {
                        Thread.onSpinWait(); // spread the samples over the run
                    }
                }
                long[] sorted = Arrays.copyOf(lags, count);
                Arrays.sort(sorted);
                System.out.printf("| %s | %s | %s | %s | %s | %d of %d |%n", r, micros(sorted, 0.50), micros(sorted, 0.99),
                        micros(sorted, 0.999), micros(sorted, 1.0), ahead, count);
            }
        }
    }

    private static String micros(long[] sorted, double quantile) {
        int i = (int) Math.min(sorted.length - 1, Math.round(quantile * (sorted.length - 1)));
        return String.format("%.1f µs", sorted[i] / 1_000.0);
    }

    private static Duration parse(String text) {
        if (text.endsWith("us")) {
            return Duration.ofNanos(Long.parseLong(text.substring(0, text.length() - 2)) * 1_000);
        } else if (text.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
        } else if (text.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
        }
        throw new IllegalArgumentException("a resolution like 100us, 1ms or 1s but was " + text);
    }
}
