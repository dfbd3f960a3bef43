package dev.nines.testing;

import dev.nines.internal.BuildRecorder;
import dev.nines.internal.BuildRecorder.Built;
import java.lang.reflect.AnnotatedElement;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestInstanceFactoryContext;
import org.junit.jupiter.api.extension.TestInstancePreConstructCallback;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * A JUnit 5 extension that fails a test which leaves a nines policy it built not at rest: a call
 * still in flight, a bulkhead or shedder permit or a half-open probe slot never given back, a waiter
 * still queued, counters that disagree. It is the after-test validation Caffeine runs on its caches,
 * for nines' policies, and it catches the leaks that an assertion on the test's own result misses.
 *
 * <p>How it works: from before the test instance is constructed until after the test (its
 * {@code @AfterEach} methods included) every policy built on the test's thread is recorded. After a
 * test that passed, each recorded policy checks its invariants at rest; while some fail, the
 * extension polls for up to {@link #DEFAULT_TIMEOUT} (configuration parameter {@value #TIMEOUT_KEY},
 * an ISO-8601 duration such as {@code PT1S}) for threads the test started to finish, then fails the
 * test naming each policy and each broken invariant. A test that already failed is not checked
 * again. Policies built on other threads (a pool, a server) and jqwik properties (another engine)
 * are not covered.
 *
 * <p>Register it with {@code @ExtendWith(PolicyInvariantsExtension.class)}, or for every test with
 * {@code junit.jupiter.extensions.autodetection.enabled=true} in {@code junit-platform.properties}:
 * the fixtures jar lists it in {@code META-INF/services}. Exempt a test with
 * {@link LeavesPoliciesBusy}. Runs on the class path: it reads nines-core's internal recorder.
 *
 * <p>Thread-safe: the recording is per thread, so tests may run in parallel.
 */
public final class PolicyInvariantsExtension
        implements TestInstancePreConstructCallback, BeforeEachCallback, AfterEachCallback {

    /** How long to wait, by default, for policies to come to rest after a test. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    /** The configuration parameter that overrides {@link #DEFAULT_TIMEOUT}. */
    public static final String TIMEOUT_KEY = "nines.policy-invariants.timeout";

    private static final long POLL_MILLIS = 10;

    /** The recording of the current thread's test: whose it is, and what it recorded. */
    private static final class Recording {
        String owner;
        final List<Built> built = new CopyOnWriteArrayList<>();
    }

    private static final ThreadLocal<Recording> RECORDING = new ThreadLocal<>();

    /** Made by JUnit. */
    public PolicyInvariantsExtension() {
    }

    @Override
    public void preConstructTestInstance(TestInstanceFactoryContext factoryContext, ExtensionContext context) {
        start(context.getUniqueId());
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        start(context.getUniqueId());
    }

    /**
     * Starts recording for {@code owner}, keeping a recording an enclosing scope started (the test
     * class, built before its methods; an outer instance of a nested class) and dropping a stale one.
     */
    private static void start(String owner) {
        Recording r = RECORDING.get();
        if (r != null && owner.startsWith(r.owner)) {
            r.owner = owner;
            return;
        }
        Recording fresh = new Recording();
        fresh.owner = owner;
        RECORDING.set(fresh);
        BuildRecorder.install(fresh.built::add);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Recording r = RECORDING.get();
        RECORDING.remove();
        BuildRecorder.install(null);
        if (r == null || r.built.isEmpty() || context.getExecutionException().isPresent()) {
            return;
        }
        Optional<LeavesPoliciesBusy> exempt = exemption(context);
        if (exempt.isPresent()) {
            if (exempt.get().reason().isBlank()) {
                throw new IllegalStateException("@LeavesPoliciesBusy on " + context.getDisplayName()
                        + " must give a reason, but it was blank");
            }
            return;
        }
        assertAtRest(r.built, timeout(context));
    }

    /**
     * Waits up to {@code timeout} for every policy in {@code built} to be at rest, checking every
     * few milliseconds; throws an {@link AssertionError} naming each one that is not and why.
     */
    static void assertAtRest(List<Built> built, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> violations = violations(built);
        while (!violations.isEmpty() && deadline - System.nanoTime() > 0) {
            try {
                Thread.sleep(POLL_MILLIS); // real threads of the test finishing: not time passing for a policy
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            violations = violations(built);
        }
        if (!violations.isEmpty()) {
            throw new AssertionError("policies built by this test were not at rest after it (waited " + timeout
                    + "); release what the test holds in a finally, or mark it @LeavesPoliciesBusy(reason = ...):\n  "
                    + String.join("\n  ", violations));
        }
    }

    /** One line per broken invariant, each naming its policy. */
    private static List<String> violations(List<Built> built) {
        List<String> found = new ArrayList<>();
        for (Built b : built) {
            try {
                b.invariants().check(v -> found.add(b + ": " + v));
            } catch (RuntimeException e) {
                found.add(b + ": checking its invariants threw " + e);
            }
        }
        return found;
    }

    private static Optional<LeavesPoliciesBusy> exemption(ExtensionContext context) {
        Optional<LeavesPoliciesBusy> onMethod = find(context.getTestMethod().orElse(null));
        if (onMethod.isPresent()) {
            return onMethod;
        }
        for (Class<?> c = context.getTestClass().orElse(null); c != null; c = c.getEnclosingClass()) {
            Optional<LeavesPoliciesBusy> onClass = find(c);
            if (onClass.isPresent()) {
                return onClass;
            }
        }
        return Optional.empty();
    }

    private static Optional<LeavesPoliciesBusy> find(AnnotatedElement element) {
        return AnnotationSupport.findAnnotation(element, LeavesPoliciesBusy.class);
    }

    private static Duration timeout(ExtensionContext context) {
        Optional<String> configured = context.getConfigurationParameter(TIMEOUT_KEY);
        if (configured.isEmpty()) {
            return DEFAULT_TIMEOUT;
        }
        try {
            Duration d = Duration.parse(configured.get().trim());
            if (d.isNegative()) {
                throw new IllegalArgumentException(TIMEOUT_KEY + " must be >= 0 but was " + configured.get());
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(TIMEOUT_KEY + " must be an ISO-8601 duration such as PT5S but was "
                    + configured.get(), e);
        }
    }
}
