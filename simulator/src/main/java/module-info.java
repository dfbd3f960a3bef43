/**
 * nines overload simulator: drives a load shedder in virtual time in front of a service of fixed
 * capacity and returns goodput, success and shed rates per priority as data, the curves users tune
 * thresholds from. A tuning tool, not runtime code, so it ships in its own artifact
 * ({@code nines-simulator}) instead of the {@code nines-shedding} jar.
 *
 * <p>It uses only the shedding module's API; of the internals it reads only the shared
 * {@code dev.nines.internal} (to validate its configuration). Its one package is exported.
 */
module dev.nines.simulator {
    requires transitive dev.nines.shedding;

    exports dev.nines.simulator;
}
