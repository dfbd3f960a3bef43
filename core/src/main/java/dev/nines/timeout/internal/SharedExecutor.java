package dev.nines.timeout.internal;

import dev.nines.internal.VirtualThreads;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The default executor of synchronous timeouts: unbounded daemon threads that stop after a minute
 * idle, created on first use. Unbounded because a timed-out call that ignores interruption keeps
 * its thread; bound concurrency with a bulkhead outside the timeout. Thread-safe. Not part of the
 * public API.
 */
public final class SharedExecutor {

    private static final ExecutorService INSTANCE = create();

    private SharedExecutor() {
    }

    /** The shared executor of virtual threads, one per task; made on first use (Java 21+ only). */
    public static ExecutorService virtual() {
        return Virtual.INSTANCE;
    }

    private static final class Virtual {
        static final ExecutorService INSTANCE = VirtualThreads.perTaskExecutor("nines-timeout-virtual-");
    }

    /** The shared executor. */
    public static ExecutorService get() {
        return INSTANCE;
    }

    private static ExecutorService create() {
        AtomicInteger count = new AtomicInteger();
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "nines-timeout-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
