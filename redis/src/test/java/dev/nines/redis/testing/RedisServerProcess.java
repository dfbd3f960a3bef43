package dev.nines.redis.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} for tests, on a free loopback port: started with no persistence
 * ({@code --save '' --appendonly no}), bound to 127.0.0.1, ready once it answers {@code PING}.
 * {@link #stop()} and {@link #start()} again keep the port, so a test can take Redis down and bring it
 * back under the same clients. {@link #close()} (use try-with-resources, or {@code @AfterAll}) ends the
 * process, and a JVM shutdown hook ends it if the test JVM dies first.
 *
 * <p>Needs {@code redis-server} on the {@code PATH} (Debian: {@code apt-get install -y redis-server});
 * without it {@link #start()} fails saying so. Extra arguments (for example
 * {@code --cluster-enabled yes}) go to every start. Not thread-safe: one test thread drives it.
 */
public final class RedisServerProcess implements AutoCloseable {

    private static final long READY_TIMEOUT_MILLIS = 10_000;

    private final int port;
    private final List<String> extraArgs;
    private final Path workDir;
    private final Thread hook;
    private Process process;

    private RedisServerProcess(int port, List<String> extraArgs) {
        this.port = port;
        this.extraArgs = List.copyOf(extraArgs);
        try {
            this.workDir = Files.createTempDirectory("nines-redis-" + port + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.hook = new Thread(this::kill, "redis-server-" + port + "-stopper");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Starts a server on a free loopback port and waits until it answers {@code PING}. */
    public static RedisServerProcess start(String... extraArgs) {
        return startOn(freePort(), extraArgs);
    }

    /** Starts a server on {@code port} and waits until it answers {@code PING}. */
    public static RedisServerProcess startOn(int port, String... extraArgs) {
        RedisServerProcess server = new RedisServerProcess(port, List.of(extraArgs));
        try {
            server.startAgain();
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** A loopback port nothing listens on now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The port the server listens on (kept across {@link #stop()} and {@link #startAgain()}). */
    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:port}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** The server's working directory (a temporary one, its cluster config file lives there). */
    public Path workDir() {
        return workDir;
    }

    /** Whether the process is running. */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Starts the (stopped) server again on the same port, empty, and waits until it answers {@code PING}. */
    public void startAgain() {
        if (isRunning()) {
            throw new IllegalStateException("redis-server on port " + port + " is already running");
        }
        List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port), "--save", "",
                "--appendonly", "no", "--bind", "127.0.0.1", "--dir", workDir.toString()));
        command.addAll(extraArgs);
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server (" + e.getMessage() + "): the Redis tests need a"
                    + " real redis-server on the PATH; install Debian's redis-server (apt-get install -y redis-server)", e);
        }
        awaitPing();
    }

    /** Ends the server (SIGTERM, then SIGKILL after 5 s) and waits until it has exited; keeps the port for {@link #startAgain()}. */
    public void stop() {
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Sends one command (inline form) and returns the first line of the reply, e.g. {@code +PONG}. */
    public String command(String inline) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
            socket.setSoTimeout(2_000);
            OutputStream out = socket.getOutputStream();
            out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String line = in.readLine();
            return line == null ? "" : line;
        } catch (IOException e) {
            throw new UncheckedIOException("redis-server on port " + port + " did not answer '" + inline + "'", e);
        }
    }

    /**
     * Sends one command and returns its reply as text: a simple string or error line as sent
     * ({@code +OK}, {@code -ERR ...}), an integer's digits, a bulk string's content, or {@code null}
     * for a nil bulk string.
     */
    public String reply(String inline) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
            socket.setSoTimeout(2_000);
            OutputStream out = socket.getOutputStream();
            out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed");
            }
            if (line.startsWith(":")) {
                return line.substring(1);
            }
            if (line.startsWith("$")) {
                int length = Integer.parseInt(line.substring(1));
                if (length < 0) {
                    return null;
                }
                char[] text = new char[length]; // the replies read here are ASCII: one char per byte
                int read = 0;
                while (read < length) {
                    int n = in.read(text, read, length - read);
                    if (n < 0) {
                        throw new IOException("reply cut short");
                    }
                    read += n;
                }
                return new String(text);
            }
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException("redis-server on port " + port + " did not answer '" + inline + "'", e);
        }
    }

    private void awaitPing() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MILLIS);
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server on port " + port + " exited with " + process.exitValue()
                        + "; its log: " + log());
            }
            try {
                if ("+PONG".equals(command("PING"))) {
                    return;
                }
            } catch (UncheckedIOException e) {
                last = e.getCause();
            }
            try {
                Thread.sleep(10); // polling a real process for readiness, not letting test time pass
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for redis-server", e);
            }
        }
        stop();
        throw new IllegalStateException("redis-server on port " + port + " did not answer PING within "
                + READY_TIMEOUT_MILLIS + " ms (last: " + last + "); its log: " + log());
    }

    private String log() {
        try {
            return Files.readString(workDir.resolve("redis.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void kill() {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
        }
    }

    /** Stops the server, removes the shutdown hook and deletes the working directory. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        try (Stream<Path> files = Files.walk(workDir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary directory left behind is no reason to fail a test
        }
    }
}
