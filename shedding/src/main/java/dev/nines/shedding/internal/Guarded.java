package dev.nines.shedding.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs user callbacks (listeners) so that whatever they throw is logged once per owner and never
 * reaches the protected call. Thread-safe.
 */
public final class Guarded {

    private static final Logger LOG = LoggerFactory.getLogger(Guarded.class);

    private final String owner;
    private final AtomicBoolean logged = new AtomicBoolean();

    /** @param owner names the policy whose callbacks these are, for the log */
    public Guarded(String owner) {
        this.owner = owner;
    }

    /** Runs {@code callback}, swallowing (and logging once) anything but a VM error. */
    public void run(Runnable callback) {
        try {
            callback.run();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            failed(t);
        }
    }

    /** Records that a user callback threw {@code t}, logged once per owner. Never throws. */
    private void failed(Throwable t) {
        if (logged.compareAndSet(false, true)) {
            LOG.warn("nines: a listener of '{}' threw; ignoring this and later failures", owner, t);
        }
    }
}
