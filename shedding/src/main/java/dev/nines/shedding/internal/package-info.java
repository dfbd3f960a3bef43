/** Implementation details of the shedding module; not API, may change without notice. */
package dev.nines.shedding.internal;
