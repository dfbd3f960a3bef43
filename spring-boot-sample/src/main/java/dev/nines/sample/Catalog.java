package dev.nines.sample;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** The shop's products, in memory. Immutable and thread-safe. */
@Component
public class Catalog {

    /**
     * A product.
     *
     * @param id         its id
     * @param name       its name
     * @param priceCents its price in cents
     */
    public record Product(long id, String name, long priceCents) {
    }

    private final List<Product> products = List.of(
            new Product(1, "Espresso cup", 900),
            new Product(2, "Coffee grinder", 8900),
            new Product(3, "Milk jug", 1500),
            new Product(4, "Pour-over kettle", 4200),
            new Product(5, "Coffee beans, 1 kg", 2600));

    /** Created by Spring. */
    public Catalog() {
    }

    /** The products whose name contains {@code query}, ignoring case. */
    public List<Product> search(String query) {
        String q = query.toLowerCase(Locale.ROOT);
        return products.stream().filter(p -> p.name().toLowerCase(Locale.ROOT).contains(q)).toList();
    }

    /** The product with {@code id}. */
    public Optional<Product> find(long id) {
        return products.stream().filter(p -> p.id() == id).findFirst();
    }

    /** A few products to suggest: the cheapest first. */
    public List<Product> recommendations() {
        return products.stream().sorted((a, b) -> Long.compare(a.priceCents(), b.priceCents())).limit(3).toList();
    }
}
