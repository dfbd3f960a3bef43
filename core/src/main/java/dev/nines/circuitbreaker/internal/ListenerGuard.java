package dev.nines.circuitbreaker.internal;

import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.circuitbreaker.CircuitBreakerListener;
import dev.nines.circuitbreaker.CircuitState;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls a breaker's listeners so that one that throws never breaks the protected call: the
 * exception is caught and logged once per listener ({@link VirtualMachineError}s are rethrown).
 *
 * <p>Thread-safe; with no listeners, notifying costs a length check.
 */
public final class ListenerGuard {

    private static final Logger LOG = LoggerFactory.getLogger(ListenerGuard.class);

    private final CircuitBreakerListener[] listeners;
    private final AtomicIntegerArray logged;

    public ListenerGuard(List<CircuitBreakerListener> listeners) {
        this.listeners = listeners.toArray(new CircuitBreakerListener[0]);
        this.logged = new AtomicIntegerArray(this.listeners.length);
    }

    /** Tells every listener about a transition. */
    public void stateChanged(CircuitBreaker breaker, CircuitState from, CircuitState to) {
        for (int i = 0; i < listeners.length; i++) {
            try {
                listeners[i].onStateChange(breaker, from, to);
            } catch (Throwable t) {
                failed(i, t);
            }
        }
    }

    /** Tells every listener about a rejected call. */
    public void rejected(CircuitBreaker breaker, CircuitState state) {
        for (int i = 0; i < listeners.length; i++) {
            try {
                listeners[i].onCallRejected(breaker, state);
            } catch (Throwable t) {
                failed(i, t);
            }
        }
    }

    private void failed(int i, Throwable t) {
        if (t instanceof VirtualMachineError) {
            throw (VirtualMachineError) t;
        }
        if (logged.compareAndSet(i, 0, 1)) {
            LOG.warn("nines: circuit breaker listener {} threw; ignoring this and later failures of it", listeners[i], t);
        }
    }
}
