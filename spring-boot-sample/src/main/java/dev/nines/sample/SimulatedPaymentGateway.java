package dev.nines.sample;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * A payment provider in memory, so the sample runs alone: it accepts every charge until told it is
 * down ({@link #down(boolean)}, what the tests and a game day do). Thread-safe.
 */
@Component
public class SimulatedPaymentGateway implements PaymentGateway {

    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicLong calls = new AtomicLong();

    /** Created by Spring, up. */
    public SimulatedPaymentGateway() {
    }

    @Override
    public String charge(String orderId, long cents) {
        calls.incrementAndGet();
        if (down.get()) {
            throw new PaymentClient.PaymentFailedException("payment provider unavailable");
        }
        return "pay-" + orderId.substring(0, 8);
    }

    /**
     * Takes the provider down or brings it back.
     *
     * @param isDown true to fail every charge
     */
    public void down(boolean isDown) {
        down.set(isDown);
    }

    /**
     * How many charges reached the provider, so a test can tell a retried call from a refused one.
     *
     * @return the count since startup
     */
    public long calls() {
        return calls.get();
    }
}
