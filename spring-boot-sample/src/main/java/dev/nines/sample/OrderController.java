package dev.nines.sample;

import dev.nines.Priority;
import dev.nines.RejectedCallException;
import dev.nines.bulkhead.annotation.WithBulkhead;
import dev.nines.ratelimit.annotation.KeySource;
import dev.nines.ratelimit.annotation.WithRateLimit;
import dev.nines.shedding.annotation.WithPriority;
import java.net.URI;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Placing orders: the traffic that pays, so P0, admitted even when everything else is shed; 5 a
 * second per client, and at most 32 at once (each holds a payment call). Thread-safe.
 */
@RestController
public class OrderController {

    private final Catalog catalog;
    private final PaymentClient payments;

    /** Takes orders for {@code catalog}'s products, charged through {@code payments}. */
    public OrderController(Catalog catalog, PaymentClient payments) {
        this.catalog = catalog;
        this.payments = payments;
    }

    /**
     * An order for {@code quantity} of product {@code productId}.
     *
     * @param productId the product
     * @param quantity  how many, 1 to 100
     */
    public record OrderRequest(long productId, int quantity) {
    }

    /**
     * A placed order.
     *
     * @param id         the order's id
     * @param productId  the product
     * @param quantity   how many
     * @param totalCents what was charged
     * @param paymentId  the payment provider's reference
     */
    public record Order(String id, long productId, int quantity, long totalCents, String paymentId) {
    }

    /**
     * Places an order and charges it.
     *
     * @param request what to order
     * @return 201 with the order
     */
    @PostMapping("/orders")
    @WithPriority(Priority.P0)
    @WithRateLimit(permits = 5, period = 1, unit = TimeUnit.SECONDS, key = KeySource.CLIENT)
    @WithBulkhead(maxConcurrent = 32)
    public ResponseEntity<Order> place(@RequestBody OrderRequest request) {
        if (request.quantity() < 1 || request.quantity() > 100) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "quantity must be 1..100 but was " + request.quantity());
        }
        Catalog.Product product = catalog.find(request.productId()).orElseThrow(
                () -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no product " + request.productId()));
        String id = UUID.randomUUID().toString();
        long total = product.priceCents() * request.quantity();
        String paymentId = payments.charge(id, total);
        Order order = new Order(id, product.id(), request.quantity(), total, paymentId);
        return ResponseEntity.created(URI.create("/orders/" + id)).body(order);
    }

    /**
     * The payment provider failed (after the retries, or its breaker is open): 502, the order is
     * not placed. An exception the controller answers itself still counts as a failure of the
     * endpoint's own policies, since it passed through them.
     *
     * @param e what failed
     * @return a problem
     */
    @ExceptionHandler(PaymentClient.PaymentFailedException.class)
    public ProblemDetail paymentFailed(PaymentClient.PaymentFailedException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY, e.getMessage());
        problem.setTitle("Payment failed");
        return problem;
    }

    /**
     * The payment call was refused by its own policies (its breaker is open): 503, and no
     * {@code Retry-After}, since when the provider recovers is not this client's business.
     *
     * @param e the refusal
     * @return a problem
     */
    @ExceptionHandler(RejectedCallException.class)
    public ProblemDetail paymentsPaused(RejectedCallException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "payments are paused: " + e.getMessage());
        problem.setTitle("Payments unavailable");
        return problem;
    }
}
