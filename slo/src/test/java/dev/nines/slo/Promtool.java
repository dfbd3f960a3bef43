package dev.nines.slo;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Test fixture: Prometheus's {@code promtool}, taken from Debian's {@code prometheus} package without
 * installing it ({@code apt-get download prometheus}, then {@code dpkg -x} into
 * {@code target/promtool/}), and cached there so later runs start at once.
 *
 * <p>When it cannot be had (no {@code apt-get}, no package lists, no network) the test using it
 * <b>fails</b> saying why, as CI must. A developer without apt may run with
 * {@code -Dnines.promtool.skip=true} to skip those tests instead, or point
 * {@code -Dnines.promtool=/path/to/promtool} at a binary of their own.
 *
 * <p>Thread-safe: the first caller downloads, others wait.
 */
final class Promtool {

    /** The system property that turns a missing promtool from a failure into a skipped test. */
    static final String SKIP_PROPERTY = "nines.promtool.skip";
    /** The system property naming a promtool binary to use instead of Debian's. */
    static final String PATH_PROPERTY = "nines.promtool";

    private static final Path HOME = Paths.get("target", "promtool").toAbsolutePath();
    private static final Path CACHED = HOME.resolve("usr/bin/promtool");
    private static final long TIMEOUT_SECONDS = 300;

    private static Path binary; // guarded by Promtool.class
    /** Why the download failed, so the tests after the first fail at once instead of trying again. */
    private static String problem; // guarded by Promtool.class

    private Promtool() {
    }

    /** The result of one run of promtool. */
    record Run(int exitCode, String output) {
    }

    /** Returns the promtool binary, downloading it on first use; fails or skips the test when it cannot. */
    static synchronized Path binary() {
        if (binary != null) {
            return binary;
        }
        String given = System.getProperty(PATH_PROPERTY);
        if (given != null && !given.isBlank()) {
            Path p = Paths.get(given);
            if (!Files.isExecutable(p)) {
                fail("-D" + PATH_PROPERTY + "=" + given + " is not an executable file");
            }
            binary = p;
            return binary;
        }
        if (!Files.isExecutable(CACHED)) {
            if (problem == null) {
                problem = download();
            }
            if (problem != null) {
                String message = "promtool is needed to check the generated Prometheus rules and could not be had"
                        + " from Debian's prometheus package: " + problem + ". On a Debian or Ubuntu machine run"
                        + " `apt-get update` (the package lists are missing?); elsewhere pass -D" + PATH_PROPERTY
                        + "=/path/to/promtool, or -D" + SKIP_PROPERTY + "=true to skip these tests";
                if (Boolean.getBoolean(SKIP_PROPERTY)) {
                    Assumptions.abort("skipped (-D" + SKIP_PROPERTY + "=true): " + message);
                }
                fail(message);
            }
        }
        binary = CACHED;
        return binary;
    }

    /** Runs promtool with {@code args} in {@code dir}, returning its exit code and merged output. */
    static Run run(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(binary().toString());
        command.addAll(List.of(args));
        return exec(dir, command, null);
    }

    /** Runs promtool with {@code args}, giving it {@code stdin}. */
    static Run runWithInput(Path dir, String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(binary().toString());
        command.addAll(List.of(args));
        return exec(dir, command, stdin);
    }

    /** Downloads and extracts the package into {@link #HOME}; returns null, or what went wrong. */
    private static String download() {
        try {
            Path work = Files.createDirectories(HOME.resolveSibling("promtool-download"));
            clean(work);
            Files.createDirectories(work);
            Run got = exec(work, List.of("apt-get", "download", "prometheus"), null);
            if (got.exitCode == -1) {
                return got.output; // apt-get is not there
            }
            if (got.exitCode != 0) {
                return "`apt-get download prometheus` exited with " + got.exitCode + ": " + got.output.strip();
            }
            Path deb;
            try (Stream<Path> files = Files.list(work)) {
                deb = files.filter(f -> f.getFileName().toString().endsWith(".deb")).findFirst().orElse(null);
            }
            if (deb == null) {
                return "`apt-get download prometheus` left no .deb in " + work + ": " + got.output.strip();
            }
            Path extracted = work.resolve("x");
            Run x = exec(work, List.of("dpkg", "-x", deb.toString(), extracted.toString()), null);
            if (x.exitCode != 0) {
                return "`dpkg -x " + deb.getFileName() + "` exited with " + x.exitCode + ": " + x.output.strip();
            }
            Path tool = extracted.resolve("usr/bin/promtool");
            if (!Files.isExecutable(tool)) {
                return "the package " + deb.getFileName() + " has no usr/bin/promtool";
            }
            // keep only promtool (the server and the web assets are not needed), moved into place last
            // so an interrupted download never leaves a half-written binary where the cache looks
            Files.createDirectories(CACHED.getParent());
            Files.move(tool, CACHED, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            clean(work);
            return null;
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static Run exec(Path dir, List<String> command, String stdin) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Run(-1, "cannot start " + command.get(0) + ": " + e.getMessage());
        }
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes(); // until the process closes it, at its end
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Run(-1, String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static void clean(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
