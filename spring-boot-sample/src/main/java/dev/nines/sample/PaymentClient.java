package dev.nines.sample;

import dev.nines.circuitbreaker.annotation.WithCircuitBreaker;
import dev.nines.retry.annotation.WithRetry;
import dev.nines.timeout.annotation.WithTimeout;
import org.springframework.stereotype.Component;

/**
 * The shop's one outbound dependency: charging a payment. The nines annotations on
 * {@link #charge} (a breaker named {@code payments}, up to three attempts, two seconds in all) are
 * applied by the starter's AOP on Spring beans. Thread-safe.
 */
@Component
public class PaymentClient {

    private final PaymentGateway gateway;

    /** Charges through {@code gateway}. */
    public PaymentClient(PaymentGateway gateway) {
        this.gateway = gateway;
    }

    /**
     * Charges {@code cents} for order {@code orderId}.
     *
     * @param orderId the order
     * @param cents   the amount
     * @return the provider's payment id
     * @throws PaymentFailedException when the provider refuses or cannot be reached
     */
    @WithCircuitBreaker(name = "payments", windowSize = 20, minimumCalls = 10, openDuration = "PT30S")
    @WithRetry(maxAttempts = 3, initialDelayMillis = 50, maxDelayMillis = 400)
    @WithTimeout(millis = 2000)
    public String charge(String orderId, long cents) {
        return gateway.charge(orderId, cents);
    }

    /** The payment could not be made. */
    public static class PaymentFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /**
         * A failure described by {@code message}.
         *
         * @param message what went wrong
         */
        public PaymentFailedException(String message) {
            super(message);
        }
    }
}
