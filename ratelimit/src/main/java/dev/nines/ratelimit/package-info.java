/** Rate limiting: a lock-free token bucket, multi-limit and per-client limiters. */
package dev.nines.ratelimit;
