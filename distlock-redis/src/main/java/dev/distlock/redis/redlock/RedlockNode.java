package dev.distlock.redis.redlock;

import dev.distlock.redis.RedisLockProvider;

/**
 * One independent Redis master of a Redlock set: the single-node provider on it, and what to close
 * with it (the connection factory, when Redlock created it).
 * @param name how errors and logs name the node ({@code redis://host:port})
 * @param provider the redis provider on this node alone
 * @param connection closed after the provider; {@code () -> {}} when someone else owns it
 */
public record RedlockNode(String name, RedisLockProvider provider, AutoCloseable connection) {
}
