package dev.nines.redis.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A real three-node Redis Cluster for tests: three masters, no replicas, on free loopback ports
 * (each with its cluster bus port, port + 10000, free too), made with
 * {@code redis-cli --cluster create … --cluster-yes}; {@link #start(Path)} returns once every node
 * reports {@code cluster_state:ok} with all 16384 slots served and knows the other two.
 *
 * <p>Each node keeps its files (its {@code nodes.conf}, its log, nothing persisted) in a directory
 * of its own under the given directory, which should be under {@code target/}; the log of
 * {@code --cluster create} is beside them. {@link #close()} kills the nodes; a JVM shutdown hook
 * does it too if a test run never gets there, and a start that fails stops what it started before
 * throwing. Needs Redis's binaries on the PATH (Debian: {@code apt-get install redis-server
 * redis-tools}). Not thread-safe: one test class starts it and closes it.
 */
public final class RedisClusterFixture implements AutoCloseable {

    /** Masters in the cluster. */
    public static final int NODES = 3;

    private static final int BUS_OFFSET = 10_000;
    private static final Duration NODE_START = Duration.ofSeconds(10);
    private static final Duration CREATE = Duration.ofSeconds(30);
    private static final Duration CONVERGE = Duration.ofSeconds(30);
    private static final int ATTEMPTS = 3;

    private final Path dir;
    private final int[] ports;
    private final List<Process> nodes = new ArrayList<>();
    private final Thread reaper;

    private RedisClusterFixture(Path dir, int[] ports) {
        this.dir = dir;
        this.ports = ports.clone();
        this.reaper = new Thread(() -> nodes.forEach(Process::destroyForcibly), "redis-cluster-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /**
     * Starts the three nodes in directories under {@code dir} and makes them a cluster. Ports are
     * drawn at random; when a node cannot take its port (another process took it between the check
     * and the start), the nodes are stopped and new ports are drawn, {@value #ATTEMPTS} times.
     */
    public static RedisClusterFixture start(Path dir) {
        SplittableRandom random = new SplittableRandom();
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            RedisClusterFixture cluster = new RedisClusterFixture(
                    dir.resolve("attempt-" + attempt), freePorts(random));
            try {
                cluster.startNodes();
                cluster.create();
                cluster.awaitConverged();
                return cluster;
            } catch (PortTaken e) {
                cluster.close();
                last = e;
            } catch (RuntimeException | Error e) {
                cluster.close();
                throw e;
            }
        }
        throw new IllegalStateException("could not start a Redis Cluster in " + ATTEMPTS + " attempts", last);
    }

    /** The nodes' client ports. */
    public int[] ports() {
        return ports.clone();
    }

    /** A URI per node, {@code redis://127.0.0.1:PORT}, for {@code RedisClusterClient.create}. */
    public List<String> uris() {
        List<String> uris = new ArrayList<>();
        for (int port : ports) {
            uris.add("redis://127.0.0.1:" + port);
        }
        return uris;
    }

    /** Asks a node which slot {@code key} hashes to ({@code CLUSTER KEYSLOT}), Redis's own answer. */
    public int keySlot(String key) {
        return Integer.parseInt(command(ports[0], "CLUSTER", "KEYSLOT", key));
    }

    /** The number of keys node {@code index} holds ({@code DBSIZE}). */
    public long keysOn(int index) {
        return Long.parseLong(command(ports[index], "DBSIZE"));
    }

    /** Kills every node; safe to call more than once. */
    @Override
    public void close() {
        for (Process node : nodes) {
            node.destroy();
        }
        for (Process node : nodes) {
            try {
                if (!node.waitFor(5, TimeUnit.SECONDS)) {
                    node.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                node.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // shutting down (the hook runs anyway), or removed by an earlier close
        }
    }

    private void startNodes() {
        for (int port : ports) {
            Path nodeDir = dir.resolve("node-" + port);
            try {
                Files.createDirectories(nodeDir);
                nodes.add(new ProcessBuilder(List.of("redis-server",
                        "--port", Integer.toString(port), "--bind", "127.0.0.1",
                        "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", "5000", "--save", "", "--appendonly", "no",
                        "--dir", nodeDir.toAbsolutePath().toString(), "--logfile", "redis.log",
                        "--daemonize", "no"))
                        .redirectErrorStream(true)
                        .redirectOutput(nodeDir.resolve("stdout.log").toFile())
                        .start());
            } catch (IOException e) {
                throw new IllegalStateException("cannot start redis-server (the cluster tests need Redis's "
                        + "binaries on the PATH: on Debian, apt-get install redis-server redis-tools)", e);
            }
        }
        for (int i = 0; i < NODES; i++) {
            awaitPong(i);
        }
    }

    private void awaitPong(int index) {
        long deadline = System.nanoTime() + NODE_START.toNanos();
        while (System.nanoTime() < deadline) {
            if (!nodes.get(index).isAlive()) {
                throw new PortTaken("node on port " + ports[index] + " exited with "
                        + nodes.get(index).exitValue() + " before answering PING; its log is in "
                        + dir.resolve("node-" + ports[index]));
            }
            try {
                if ("PONG".equals(command(ports[index], "PING"))) {
                    // and it is our node: another build's server may hold the port, ours failing to bind
                    long pid = nodes.get(index).pid();
                    if (!command(ports[index], "INFO", "server").contains("process_id:" + pid + "\r")) {
                        throw new PortTaken("port " + ports[index] + " is answered by another redis-server, not"
                                + " the node started there (pid " + pid + ")");
                    }
                    return;
                }
            } catch (UncheckedIOException notYet) {
                // not listening yet
            }
            pause();
        }
        throw new IllegalStateException("node on port " + ports[index] + " did not answer PING within "
                + NODE_START.toSeconds() + " s");
    }

    private void create() {
        List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        for (int port : ports) {
            command.add("127.0.0.1:" + port);
        }
        command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        Path log = dir.resolve("cluster-create.log");
        try {
            Process create = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!create.waitFor(CREATE.toSeconds(), TimeUnit.SECONDS)) {
                create.destroyForcibly();
                throw new IllegalStateException("redis-cli --cluster create did not finish within "
                        + CREATE.toSeconds() + " s; see " + log);
            }
            if (create.exitValue() != 0) {
                throw new IllegalStateException("redis-cli --cluster create exited with " + create.exitValue()
                        + ": " + Files.readString(log));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run redis-cli (Debian: apt-get install redis-tools)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating the cluster", e);
        }
    }

    private void awaitConverged() {
        long deadline = System.nanoTime() + CONVERGE.toNanos();
        String info = "";
        for (int i = 0; i < NODES; i++) {
            while (true) {
                info = command(ports[i], "CLUSTER", "INFO");
                if (info.contains("cluster_state:ok") && info.contains("cluster_slots_ok:16384")
                        && info.contains("cluster_known_nodes:" + NODES)) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the cluster did not reach cluster_state:ok within "
                            + CONVERGE.toSeconds() + " s; node " + ports[i] + " says:\n" + info);
                }
                pause();
            }
        }
    }

    /** Ports p with p and p + 10000 free on the loopback interface. */
    private static int[] freePorts(SplittableRandom random) {
        int[] ports = new int[NODES];
        int found = 0;
        for (int tries = 0; found < NODES; tries++) {
            if (tries > 1000) {
                throw new IllegalStateException("no free loopback port p with p + 10000 free too");
            }
            int port = random.nextInt(20_000, 30_000);
            boolean duplicate = false;
            for (int i = 0; i < found; i++) {
                duplicate |= ports[i] == port;
            }
            if (!duplicate && free(port) && free(port + BUS_OFFSET)) {
                ports[found++] = port;
            }
        }
        return ports;
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort() == port;
        } catch (IOException taken) {
            return false;
        }
    }

    /**
     * Sends one command in RESP and returns a simple, integer or bulk reply as text, so the fixture
     * needs no client library; an error reply throws.
     */
    static String command(int port, String... args) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5_000);
            StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
            for (String arg : args) {
                request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n")
                        .append(arg).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String line = readLine(in);
            switch (line.charAt(0)) {
                case '+':
                case ':':
                    return line.substring(1);
                case '$':
                    int length = Integer.parseInt(line.substring(1));
                    return length < 0 ? null : new String(in.readNBytes(length + 2), 0, length, StandardCharsets.UTF_8);
                default:
                    throw new IllegalStateException("Redis on port " + port + " answered " + String.join(" ", args)
                            + " with " + line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("connection closed mid-reply");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private static void pause() {
        try {
            Thread.sleep(10); // polling processes that are starting up, not letting time pass
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the cluster", e);
        }
    }

    /** A node could not take its port: worth another attempt on other ports. */
    private static final class PortTaken extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        PortTaken(String message) {
            super(message);
        }
    }
}
