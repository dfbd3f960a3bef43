package dev.nines;

import dev.nines.internal.Exceptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which outcomes of a call count as failures and which are not counted at all: the one way every
 * nines policy that judges outcomes is told so. The circuit breaker counts a
 * {@link Verdict#FAILURE} against the dependency's health, a retry tries it again, a fallback
 * replaces it, the load shedder learns from it and the adaptive throttle counts it as the
 * backend's refusal; an {@link Verdict#IGNORED} outcome is none of these things (the breaker does
 * not count it, a retry gives up at once, a fallback lets it through), and a
 * {@link Verdict#SUCCESS} is what the dependency answered.
 *
 * <pre>{@code
 * FailureFilter failures = FailureFilter.on(IOException.class, TimeoutExceededException.class)
 *         .ignoring(FileNotFoundException.class)      // checked first: a miss says nothing
 *         .failingResults(r -> r instanceof Response res && res.status() >= 500);
 * CircuitBreaker breaker = CircuitBreaker.builder("payments").failures(failures).build();
 * Retry retry = Retry.builder("payments").failures(failures).build();
 * }</pre>
 *
 * <p>An exception is judged in this order: {@link Verdict#IGNORED} if it is one of the
 * {@link #ignoring ignored} types or matches an {@link #ignoringIf ignore predicate};
 * {@link Verdict#FAILURE} if it is one of the failure types or matches a failure predicate;
 * otherwise {@link Verdict#SUCCESS}. A {@link java.util.concurrent.CompletionException} or
 * {@link java.util.concurrent.ExecutionException} is judged by its cause. A returned result is
 * {@link Verdict#IGNORED} if an {@link #ignoringResults ignore-result predicate} matches,
 * {@link Verdict#FAILURE} if a {@link #failingResults failure-result predicate} matches, otherwise
 * {@link Verdict#SUCCESS}; by default every result is a success.
 *
 * <p>A predicate that throws (anything but a {@link VirtualMachineError}) does not break the
 * call: the outcome then counts as a {@link Verdict#FAILURE}, and the first such throwable of each
 * filter is logged. Each policy adds its own fixed rules on top, in its javadoc: for example a
 * cancelled call is never a breaker failure and an {@link InterruptedException} is never retried.
 *
 * <p>Immutable and thread-safe if its predicates are: every method returns a new filter.
 */
public final class FailureFilter {

    private static final Logger LOG = LoggerFactory.getLogger(FailureFilter.class);
    private static final Class<?>[] NONE = new Class<?>[0];
    private static final FailureFilter EXCEPTIONS = new FailureFilter(new Class<?>[] {Exception.class}, NONE,
            null, null, null, null);

    /** What a {@link FailureFilter} says of one outcome. */
    public enum Verdict {
        /** The outcome is what the dependency answered: a success in the judging policy's eyes. */
        SUCCESS,
        /** The outcome counts as a failure. */
        FAILURE,
        /** The outcome is not counted at all, as a failure or as a success. */
        IGNORED
    }

    private final Class<?>[] failures;
    private final Class<?>[] ignored;
    private final Predicate<? super Throwable> failureIf;
    private final Predicate<? super Throwable> ignoreIf;
    private final Predicate<Object> failureResult;
    private final Predicate<Object> ignoreResult;
    private final AtomicBoolean logged = new AtomicBoolean();

    private FailureFilter(Class<?>[] failures, Class<?>[] ignored, Predicate<? super Throwable> failureIf,
            Predicate<? super Throwable> ignoreIf, Predicate<Object> failureResult, Predicate<Object> ignoreResult) {
        this.failures = failures;
        this.ignored = ignored;
        this.failureIf = failureIf;
        this.ignoreIf = ignoreIf;
        this.failureResult = failureResult;
        this.ignoreResult = ignoreResult;
    }

    /**
     * Every {@link Exception} is a failure; {@link Error}s are not (each policy says what it does
     * with an {@code Error}); every result is a success. The default of every policy but the load
     * shedder and the adaptive throttle.
     */
    public static FailureFilter exceptions() {
        return EXCEPTIONS;
    }

    /**
     * Only these types and their subtypes are failures: {@code FailureFilter.on(IOException.class)}.
     * List {@link Throwable} to count everything, {@link Error}s included.
     *
     * @throws NullPointerException if {@code types} or one of them is {@code null}
     * @throws IllegalArgumentException if {@code types} is empty (use {@link #none()} to count no
     *                                  exception)
     */
    @SafeVarargs
    public static FailureFilter on(Class<? extends Throwable>... types) {
        List<Class<?>> copy = new ArrayList<>();
        for (Class<? extends Throwable> type : Objects.requireNonNull(types, "on")) {
            copy.add(Objects.requireNonNull(type, "on element"));
        }
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("on(...) needs at least one type; FailureFilter.none() counts none");
        }
        return new FailureFilter(copy.toArray(NONE), NONE, null, null, null, null);
    }

    /** Only exceptions matching {@code predicate} are failures. */
    public static FailureFilter onlyIf(Predicate<? super Throwable> predicate) {
        return new FailureFilter(NONE, NONE, Objects.requireNonNull(predicate, "onlyIf"), null, null, null);
    }

    /** No exception is a failure (results may still be, through {@link #failingResults}). */
    public static FailureFilter none() {
        return new FailureFilter(NONE, NONE, null, null, null, null);
    }

    /** This filter, and these types and their subtypes are failures too. */
    @SafeVarargs
    public final FailureFilter or(Class<? extends Throwable>... types) {
        List<Class<?>> more = new ArrayList<>(Arrays.asList(failures));
        for (Class<? extends Throwable> type : Objects.requireNonNull(types, "or")) {
            more.add(Objects.requireNonNull(type, "or element"));
        }
        return new FailureFilter(more.toArray(NONE), ignored, failureIf, ignoreIf, failureResult,
                ignoreResult);
    }

    /** This filter, and exceptions matching {@code predicate} are failures too. */
    public FailureFilter orIf(Predicate<? super Throwable> predicate) {
        Objects.requireNonNull(predicate, "orIf");
        Predicate<? super Throwable> before = failureIf;
        Predicate<Throwable> both = before == null ? predicate::test : t -> before.test(t) || predicate.test(t);
        return new FailureFilter(failures, ignored, both, ignoreIf, failureResult, ignoreResult);
    }

    /**
     * This filter, and these types and their subtypes are not counted at all, even where they are
     * also failure types: ignoring is checked first.
     */
    @SafeVarargs
    public final FailureFilter ignoring(Class<? extends Throwable>... types) {
        List<Class<?>> more = new ArrayList<>(Arrays.asList(ignored));
        for (Class<? extends Throwable> type : Objects.requireNonNull(types, "ignoring")) {
            more.add(Objects.requireNonNull(type, "ignoring element"));
        }
        return new FailureFilter(failures, more.toArray(NONE), failureIf, ignoreIf,
                failureResult, ignoreResult);
    }

    /** This filter, and exceptions matching {@code predicate} are not counted at all (checked first). */
    public FailureFilter ignoringIf(Predicate<? super Throwable> predicate) {
        Objects.requireNonNull(predicate, "ignoringIf");
        Predicate<? super Throwable> before = ignoreIf;
        Predicate<Throwable> both = before == null ? predicate::test : t -> before.test(t) || predicate.test(t);
        return new FailureFilter(failures, ignored, failureIf, both, failureResult, ignoreResult);
    }

    /**
     * This filter, and a returned result matching {@code predicate} is a failure, such as a
     * response with status 503. Combines with earlier result predicates by "or".
     */
    public FailureFilter failingResults(Predicate<Object> predicate) {
        Objects.requireNonNull(predicate, "failingResults");
        return new FailureFilter(failures, ignored, failureIf, ignoreIf, orElse(failureResult, predicate),
                ignoreResult);
    }

    /**
     * This filter, and a returned result matching {@code predicate} is not counted at all (checked
     * before {@link #failingResults}), for answers that say nothing about the dependency's health,
     * such as a 404.
     */
    public FailureFilter ignoringResults(Predicate<Object> predicate) {
        Objects.requireNonNull(predicate, "ignoringResults");
        return new FailureFilter(failures, ignored, failureIf, ignoreIf, failureResult,
                orElse(ignoreResult, predicate));
    }

    /** The verdict on a call that threw {@code thrown}, judged by its cause if it is a wrapper. */
    public Verdict judge(Throwable thrown) {
        Throwable t = Exceptions.unwrap(Objects.requireNonNull(thrown, "thrown"));
        try {
            if (isAny(t, ignored) || (ignoreIf != null && ignoreIf.test(t))) {
                return Verdict.IGNORED;
            }
            return isAny(t, failures) || (failureIf != null && failureIf.test(t)) ? Verdict.FAILURE : Verdict.SUCCESS;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            return predicateThrew(e);
        }
    }

    /** The verdict on a call that returned {@code result} (which may be {@code null}). */
    public Verdict judgeResult(Object result) {
        if (failureResult == null && ignoreResult == null) {
            return Verdict.SUCCESS;
        }
        try {
            if (ignoreResult != null && ignoreResult.test(result)) {
                return Verdict.IGNORED;
            }
            return failureResult != null && failureResult.test(result) ? Verdict.FAILURE : Verdict.SUCCESS;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            return predicateThrew(e);
        }
    }

    /** Whether {@link #judge} says {@link Verdict#FAILURE}. */
    public boolean isFailure(Throwable thrown) {
        return judge(thrown) == Verdict.FAILURE;
    }

    /** Whether any result can be other than a success: a result predicate was given. */
    public boolean judgesResults() {
        return failureResult != null || ignoreResult != null;
    }

    private Verdict predicateThrew(Throwable e) {
        if (logged.compareAndSet(false, true)) {
            LOG.warn("nines: a predicate of {} threw; counting such outcomes as failures", this, e);
        }
        return Verdict.FAILURE;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("FailureFilter[on=").append(names(failures));
        if (failureIf != null) {
            s.append(" or a predicate");
        }
        s.append(", ignoring=").append(names(ignored));
        if (ignoreIf != null) {
            s.append(" or a predicate");
        }
        if (failureResult != null) {
            s.append(", failing results");
        }
        if (ignoreResult != null) {
            s.append(", ignoring results");
        }
        return s.append(']').toString();
    }

    private static String names(Class<?>[] types) {
        return Arrays.stream(types).map(Class::getSimpleName).toList().toString();
    }

    private static boolean isAny(Throwable t, Class<?>[] types) {
        for (Class<?> type : types) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static Predicate<Object> orElse(Predicate<Object> before, Predicate<Object> next) {
        return before == null ? next : r -> before.test(r) || next.test(r);
    }
}
