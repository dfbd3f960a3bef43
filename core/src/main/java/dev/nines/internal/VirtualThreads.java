package dev.nines.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * Virtual threads on Java 21+, reached reflectively so that nines still compiles for and runs on
 * Java 17 (a multi-release jar would need a Java 21 compiler in every build, and the Java 17 CI
 * could not build it).
 *
 * <p>Not part of the public API. Thread-safe.
 */
public final class VirtualThreads {

    /** {@code Thread.ofVirtual()}'s builder, or {@code null} before Java 21. */
    private static final MethodHandle OF_VIRTUAL;
    private static final MethodHandle NAME;
    private static final MethodHandle FACTORY;
    private static final MethodHandle PER_TASK;

    static {
        MethodHandle ofVirtual = null;
        MethodHandle name = null;
        MethodHandle factory = null;
        MethodHandle perTask = null;
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Class<?> builder = Class.forName("java.lang.Thread$Builder$OfVirtual");
            ofVirtual = lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(builder));
            name = lookup.findVirtual(builder, "name", MethodType.methodType(builder, String.class, long.class));
            factory = lookup.findVirtual(builder, "factory", MethodType.methodType(ThreadFactory.class));
            perTask = lookup.findStatic(java.util.concurrent.Executors.class, "newThreadPerTaskExecutor",
                    MethodType.methodType(ExecutorService.class, ThreadFactory.class));
        } catch (ReflectiveOperationException | LinkageError notBefore21) {
            ofVirtual = null;
        }
        OF_VIRTUAL = ofVirtual;
        NAME = name;
        FACTORY = factory;
        PER_TASK = perTask;
    }

    private VirtualThreads() {
    }

    /** Whether this JVM has virtual threads (Java 21 or later). */
    public static boolean available() {
        return OF_VIRTUAL != null;
    }

    /** What a builder requires of {@code virtualThreads} on a JVM without virtual threads. */
    public static String unavailableRequirement() {
        return "false on Java " + Runtime.version().feature() + " (virtual threads need Java 21 or later)";
    }

    /** Makes virtual threads named {@code prefix0}, {@code prefix1}, ... */
    public static ThreadFactory factory(String prefix) {
        if (OF_VIRTUAL == null) {
            throw new UnsupportedOperationException("virtual threads need Java 21 or later");
        }
        try {
            Object builder = OF_VIRTUAL.invoke();
            builder = NAME.invoke(builder, prefix, 0L);
            return (ThreadFactory) FACTORY.invoke(builder);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** An executor that starts one new virtual thread per task, named {@code prefix<n>}. */
    public static ExecutorService perTaskExecutor(String prefix) {
        ThreadFactory factory = factory(prefix);
        try {
            return (ExecutorService) PER_TASK.invoke(factory);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
