/**
 * Redlock: one lock across several independent Redis masters, with fencing tokens.
 */
@NullMarked
package dev.distlock.redis.redlock;

import org.jspecify.annotations.NullMarked;
