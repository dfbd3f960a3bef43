/**
 * Priority load shedding: {@link dev.nines.shedding.LoadShedder} admits or sheds requests of
 * priority P0 (critical) to P3 (sheddable) against a limit from {@link dev.nines.shedding.limit},
 * publishes a degradation {@link dev.nines.shedding.Tier}, and can queue blocking callers with
 * CoDel-style timeouts. See also {@link dev.nines.shedding.throttle} for the client side; the
 * deterministic overload simulator is the separate {@code nines-simulator} artifact.
 */
package dev.nines.shedding;
