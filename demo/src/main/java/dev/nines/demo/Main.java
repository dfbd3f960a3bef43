package dev.nines.demo;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The game day, nines' main job. Run it from the repository root with
 * {@code mvn -B -q -pl demo -am -DskipTests compile exec:java} (options through
 * {@code -Dexec.args="..."}; {@code --help} lists them). Exits 2 on a bad command line.
 */
public final class Main {

    private Main() {
    }

    /** Parses the flags, plays the game day, writes the report and prints where it is. */
    public static void main(String[] args) throws Exception {
        Flags.Parsed parsed;
        try {
            parsed = Flags.parse(args);
        } catch (Flags.UsageException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println();
            System.err.print(Flags.usage());
            System.exit(2);
            return;
        }
        if (parsed.help()) {
            System.out.print(Flags.usage());
            return;
        }
        GameConfig config = parsed.config();
        PrintStream out = System.out;
        out.printf("nines game day: %s; each run %ds, shop capacity about %.0f req/s, normal load %.0f req/s%n",
                config.scenario.flag(), config.runLength.toSeconds(), config.capacity(), config.normalRate);
        GameReport report = new GameDay(config, config.console ? out : null).play();
        Path dir = ReportFiles.write(report, config.out);
        out.println();
        out.print(MarkdownReport.headline(report));
        out.println();
        out.println("Report: " + dir.resolve(ReportFiles.HTML).toAbsolutePath().normalize());
        out.println("Summary: " + dir.resolve(ReportFiles.MARKDOWN).toAbsolutePath().normalize());
    }
}
