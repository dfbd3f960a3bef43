/**
 * nines metrics as Micrometer meters: {@link dev.nines.micrometer.MicrometerSink} records every
 * policy outcome and every request as a timer with histogram buckets, every policy gauge as a gauge
 * and every transition as a counter, in whatever {@code MeterRegistry} the application uses.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // the sink takes a MeterRegistry: users need Micrometer
module dev.nines.micrometer {
    requires transitive dev.nines.core;
    requires transitive micrometer.core;

    exports dev.nines.micrometer;
}
