/**
 * Fencing at the resource in Redis: one key per resource with the highest fencing token accepted,
 * checked by one Lua script.
 */
@NullMarked
package dev.distlock.redis.fencing;

import org.jspecify.annotations.NullMarked;
