/** Client-side adaptive throttling of outbound calls: {@link dev.nines.shedding.throttle.AdaptiveThrottle}. */
package dev.nines.shedding.throttle;
