package dev.nines.redis.internal;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The GCRA Lua script ({@code gcra.lua} beside this class) and how it is run on one Lettuce
 * connection, plain or cluster: by SHA ({@code EVALSHA}), and, when Redis answers {@code NOSCRIPT}
 * (a restart or a {@code SCRIPT FLUSH} emptied its script cache), once more with the script's text
 * ({@code EVAL}, which also caches it again). The script is never loaded ahead: the first call costs
 * one extra round trip, then every decision is one. Thread-safe.
 */
public final class GcraScript {

    /** The script's text. */
    public static final String TEXT = load();

    /** Its SHA-1, the name Redis caches it under. */
    public static final String SHA = sha1(TEXT);

    private final RedisScriptingAsyncCommands<String, String> commands;
    private final StatefulConnection<String, String> connection;

    private GcraScript(RedisScriptingAsyncCommands<String, String> commands, StatefulConnection<String, String> connection) {
        this.commands = commands;
        this.connection = connection;
    }

    /** Runs on a single Redis (or a primary behind Sentinel). */
    public static GcraScript on(StatefulRedisConnection<String, String> connection) {
        return new GcraScript(connection.async(), connection);
    }

    /** Runs on a Redis Cluster: Lettuce routes each call to the node owning its keys' slot. */
    public static GcraScript on(StatefulRedisClusterConnection<String, String> connection) {
        return new GcraScript(connection.async(), connection);
    }

    /** The connection given, for the config. */
    public StatefulConnection<String, String> connection() {
        return connection;
    }

    /**
     * Starts one decision: {@code keys} (one per limit, one slot), {@code args} as the script reads
     * them. Completes with {@code {granted, taken, remaining, waitNanos, binding}}.
     */
    public CompletableFuture<List<Object>> run(String[] keys, String[] args) {
        CompletionStage<List<Object>> first = commands.evalsha(SHA, ScriptOutputType.MULTI, keys, args);
        return first.toCompletableFuture().exceptionallyCompose(e -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof RedisNoScriptException || String.valueOf(cause.getMessage()).startsWith("NOSCRIPT")) {
                CompletionStage<List<Object>> again = commands.eval(TEXT, ScriptOutputType.MULTI, keys, args);
                return again;
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    private static String load() {
        try (InputStream in = GcraScript.class.getResourceAsStream("gcra.lua")) {
            if (in == null) {
                throw new IllegalStateException("gcra.lua is missing beside " + GcraScript.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
