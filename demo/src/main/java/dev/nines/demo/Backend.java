package dev.nines.demo;

/** How an endpoint reaches its downstream dependency: through nines policies or directly. */
@FunctionalInterface
interface Backend {

    /** Calls the dependency of {@code endpoint} and returns the answer to send. */
    Answer call(Endpoint endpoint) throws Exception;

    /** The unprotected way: call the dependency directly; its failures become 500s. */
    static Backend direct(Dependencies dependencies) {
        return endpoint -> new Answer(endpoint.freshBody(dependencies.get(endpoint.dependency()).call()), false);
    }
}
