package dev.nines.demo;

import dev.nines.Priority;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes the report files of a game day into a folder. */
final class ReportFiles {

    /** The HTML report's file name. */
    static final String HTML = "game-day.html";
    /** The Markdown summary's file name. */
    static final String MARKDOWN = "game-day.md";

    private ReportFiles() {
    }

    /**
     * Writes both files into {@code dir} (created if missing), and beside the Markdown the burn-rate
     * charts it shows as images (the HTML has them inline); returns {@code dir}.
     */
    static Path write(GameReport report, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(HTML), HtmlReport.render(report), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(MARKDOWN), MarkdownReport.render(report), StandardCharsets.UTF_8);
        int seconds = Math.max(report.nines().seconds(), report.none().seconds());
        List<Phase> phases = report.nines().result().script().phases();
        for (Priority p : Priority.values()) {
            Files.writeString(dir.resolve(BurnRateCharts.fileName(p, report.nines().label())),
                    BurnRateCharts.chart(report.nines(), "nines", p, seconds, phases), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(BurnRateCharts.fileName(p, report.none().label())),
                    BurnRateCharts.chart(report.none(), "without nines", p, seconds, phases), StandardCharsets.UTF_8);
        }
        return dir;
    }
}
