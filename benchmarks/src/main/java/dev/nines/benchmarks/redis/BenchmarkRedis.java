package dev.nines.benchmarks.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Redis the Redis benchmarks run against: the server named by the system property
 * {@value #URL_PROPERTY} (which {@code benchmarks/run redis} sets to the server it started, so
 * every fork and every contender shares one server), or else a {@code redis-server} this class
 * starts on a free loopback port and stops on {@link #close()} (the smoke test's case, and a
 * benchmark run by hand).
 *
 * <p>The server it starts keeps nothing on disk ({@code --save '' --appendonly no}) and is killed
 * by a JVM shutdown hook if {@link #close()} is never reached. Not thread-safe: one per benchmark
 * trial, opened in {@code @Setup} and closed in {@code @TearDown}.
 */
public final class BenchmarkRedis implements AutoCloseable {

    /** System property naming an already running server, as {@code redis://127.0.0.1:6379}. */
    public static final String URL_PROPERTY = "nines.redis.url";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final String url;
    private final Process process;
    private final Thread reaper;

    private BenchmarkRedis(String url, Process process) {
        this.url = url;
        this.process = process;
        if (process == null) {
            reaper = null;
        } else {
            reaper = new Thread(process::destroyForcibly, "benchmark-redis-reaper");
            Runtime.getRuntime().addShutdownHook(reaper);
        }
    }

    /** The server named by {@value #URL_PROPERTY}, or a new one on a free loopback port. */
    public static BenchmarkRedis open() {
        String given = System.getProperty(URL_PROPERTY, "").trim();
        return given.isEmpty() ? start() : new BenchmarkRedis(given, null);
    }

    /** Starts a {@code redis-server} of our own and waits until it answers {@code PING}. */
    public static BenchmarkRedis start() {
        int port = freePort();
        Process process;
        try {
            process = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port),
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server (the Redis benchmarks need "
                    + "Redis's binaries on the PATH: on Debian, apt-get install redis-server)", e);
        }
        BenchmarkRedis redis = new BenchmarkRedis("redis://127.0.0.1:" + port, process);
        try {
            redis.awaitPong(port);
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
        return redis;
    }

    /** The server's URI, for {@code RedisClient.create}. */
    public String url() {
        return url;
    }

    /** Stops the server if this instance started it; a server given by URL is left running. */
    @Override
    public void close() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    private void awaitPong(int port) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server on port " + port + " exited with "
                        + process.exitValue() + " before answering PING");
            }
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] reply = socket.getInputStream().readNBytes(7);
                if (new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n")) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            try {
                Thread.sleep(5); // polling a process that is starting up, not letting time pass
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for redis-server", e);
            }
        }
        throw new IllegalStateException("redis-server on port " + port + " did not answer PING within "
                + START_TIMEOUT.toSeconds() + " s", last);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
