package dev.nines.sample;

/** The payment provider's API, as the shop sees it. Implementations must be thread-safe. */
public interface PaymentGateway {

    /**
     * Charges {@code cents} for {@code orderId}.
     *
     * @param orderId the order
     * @param cents   the amount
     * @return the provider's payment id
     * @throws PaymentClient.PaymentFailedException when the charge fails
     */
    String charge(String orderId, long cents);
}
