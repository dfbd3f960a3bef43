package dev.nines.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The floor every admission decision stands on: what a clock read and one atomic update cost on
 * this machine, measured in the same run as the primitives so their ratios to it mean something.
 *
 * <p>{@link #nanoTime()} measures one {@code System.nanoTime()}; {@link #nanoTimeAndCas()} one
 * {@code System.nanoTime()} plus one successful CAS on a shared {@link AtomicLong} (the minimum a
 * lock-free token bucket does); {@link #cas()} the CAS alone. Each returns its result so nothing is
 * dead-code eliminated.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FloorBenchmark {

    private final AtomicLong state = new AtomicLong();

    @Benchmark
    public long nanoTime() {
        return System.nanoTime();
    }

    @Benchmark
    public long nanoTimeAndCas() {
        long now = System.nanoTime();
        long seen = state.get();
        // one CAS attempt, retried on a fresh read only when another thread won the race
        while (!state.compareAndSet(seen, now)) {
            seen = state.get();
        }
        return now;
    }

    @Benchmark
    public long cas() {
        long seen = state.get();
        while (!state.compareAndSet(seen, seen + 1)) {
            seen = state.get();
        }
        return seen;
    }
}
