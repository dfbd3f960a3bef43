/**
 * The deterministic overload simulator: {@link dev.nines.shedding.simulation.OverloadSimulator}
 * drives a load shedder in virtual time and returns results as data for reports.
 */
package dev.nines.shedding.simulation;
