/**
 * The Redis lock provider: Spring Data Redis with Lettuce, one Lua script per operation, works on
 * standalone Redis and Redis Cluster.
 */
@NullMarked
package dev.distlock.redis;

import org.jspecify.annotations.NullMarked;
