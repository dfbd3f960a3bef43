package dev.nines.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command line of the game day. {@link #parse} turns arguments into a {@link GameConfig}, or
 * throws {@link UsageException} whose message says what was wrong; {@link #usage()} is the help.
 */
final class Flags {

    /** The system property the demo's pom sets to {@code demo/target/game-day}. */
    static final String OUT_PROPERTY = "nines.demo.out";
    /** The run length {@code --quick} stands for. */
    static final Duration QUICK = Duration.ofSeconds(12);

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)");

    /** A bad command line. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /**
     * What the command line asked for.
     *
     * @param config the game to play
     * @param help   whether only the help was asked for
     */
    record Parsed(GameConfig config, boolean help) {
    }

    private Flags() {
    }

    /** The help text. */
    static String usage() {
        StringBuilder s = new StringBuilder();
        s.append("Usage: mvn -B -q -pl demo -am -DskipTests test-compile exec:java -Dexec.args=\"[options]\"\n\n");
        s.append("Plays a scripted game day against a sample shop on loopback, once protected by nines\n");
        s.append("and once without, and writes a comparison report (HTML and Markdown).\n\n");
        s.append("Options:\n");
        s.append("  --scenario <name>  the script to play (default full):\n");
        for (Scenario sc : Scenario.values()) {
            s.append(String.format(Locale.ROOT, "                       %-7s %s%n", sc.flag(), sc.description()));
        }
        s.append("  --duration <time>  how long each of the two runs lasts, e.g. 20s, 1m, 8000ms\n");
        s.append("                     (default 42s, so about 90 s in all; from 2s to 30m)\n");
        s.append("  --quick            the same as --duration ").append(QUICK.toSeconds()).append("s\n");
        s.append("  --out <dir>        where the report goes (default demo/target/game-day)\n");
        s.append("  --seed <n>         seed of the random request mix (default 7)\n");
        s.append("  --quiet            no per-second lines\n");
        s.append("  --help             this text\n");
        return s.toString();
    }

    /**
     * Parses {@code args}.
     *
     * @throws UsageException naming the bad flag or value
     */
    static Parsed parse(String... args) throws UsageException {
        GameConfig.Builder b = GameConfig.builder()
                .out(Path.of(System.getProperty(OUT_PROPERTY, "game-day-report")));
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            switch (arg) {
                case "--help":
                case "-h":
                    noValue(arg, value);
                    help = true;
                    break;
                case "--quick":
                    noValue(arg, value);
                    b.runLength(QUICK);
                    break;
                case "--quiet":
                    noValue(arg, value);
                    b.console(false);
                    break;
                case "--scenario":
                    b.scenario(scenario(value != null ? value : next(args, ++i, arg)));
                    break;
                case "--duration":
                    b.runLength(duration(value != null ? value : next(args, ++i, arg)));
                    break;
                case "--out":
                    b.out(Path.of(value != null ? value : next(args, ++i, arg)));
                    break;
                case "--seed":
                    b.seed(seed(value != null ? value : next(args, ++i, arg)));
                    break;
                default:
                    throw new UsageException("unknown option '" + args[i] + "'");
            }
        }
        try {
            return new Parsed(b.build(), help);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** A switch takes no value: {@code --quick=no} must not pass silently as {@code --quick}. */
    private static void noValue(String flag, String value) throws UsageException {
        if (value != null) {
            throw new UsageException(flag + " takes no value but was given '" + value + "'");
        }
    }

    private static String next(String[] args, int i, String flag) throws UsageException {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new UsageException(flag + " needs a value");
        }
        return args[i];
    }

    static Scenario scenario(String value) throws UsageException {
        for (Scenario s : Scenario.values()) {
            if (s.flag().equals(value.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        StringBuilder names = new StringBuilder();
        for (Scenario s : Scenario.values()) {
            names.append(names.length() == 0 ? "" : ", ").append(s.flag());
        }
        throw new UsageException("--scenario must be one of " + names + " but was '" + value + "'");
    }

    static Duration duration(String value) throws UsageException {
        Matcher m = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new UsageException("--duration must be a whole number of ms, s or m (e.g. 20s) but was '"
                    + value + "'");
        }
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new UsageException("--duration is too large: '" + value + "'");
        }
        Duration d = m.group(2).equals("ms") ? Duration.ofMillis(n)
                : m.group(2).equals("s") ? Duration.ofSeconds(n) : Duration.ofMinutes(Math.min(n, 1_000_000));
        if (d.compareTo(Duration.ofSeconds(2)) < 0 || d.compareTo(Duration.ofMinutes(30)) > 0) {
            throw new UsageException("--duration must be from 2s to 30m but was '" + value + "'");
        }
        return d;
    }

    private static long seed(String value) throws UsageException {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--seed must be a whole number but was '" + value + "'");
        }
    }
}
