package dev.nines.demo;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The game day, nines' main job. Run it from the repository root with
 * {@code mvn -B -q -pl demo -am -DskipTests test-compile exec:java} (options through
 * {@code -Dexec.args="..."}; {@code --help} lists them). Exits 2 on a bad command line.
 */
public final class Main {

    private Main() {
    }

    /** Parses the flags, plays the game day, writes the report and prints where it is. */
    public static void main(String[] args) throws Exception {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Does what {@link #main} does, printing to {@code out} and {@code err}; returns the exit status:
     * 0, or 2 for a bad command line (after the error and the usage on {@code err}).
     */
    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        Flags.Parsed parsed;
        try {
            parsed = Flags.parse(args);
        } catch (Flags.UsageException e) {
            err.println("error: " + e.getMessage());
            err.println();
            err.print(Flags.usage());
            return 2;
        }
        if (parsed.help()) {
            out.print(Flags.usage());
            return 0;
        }
        GameConfig config = parsed.config();
        out.printf("nines game day: %s; each run %ds, shop capacity about %.0f req/s, normal load %.0f req/s%n",
                config.scenario.flag(), config.runLength.toSeconds(), config.capacity(), config.normalRate);
        GameReport report = new GameDay(config, config.console ? out : null).play();
        Path dir = ReportFiles.write(report, config.out);
        out.println();
        out.print(MarkdownReport.headline(report));
        out.println();
        out.println("Report:  " + dir.resolve(ReportFiles.HTML).toAbsolutePath().normalize());
        out.println("Summary: " + dir.resolve(ReportFiles.MARKDOWN).toAbsolutePath().normalize());
        return 0;
    }
}
