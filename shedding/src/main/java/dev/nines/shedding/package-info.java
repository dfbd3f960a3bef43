/** Priority load shedding. */
package dev.nines.shedding;
