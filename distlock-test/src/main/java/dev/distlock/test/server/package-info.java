/**
 * Private servers for provider tests that must crash, restart or cut off their backend without
 * touching the shared one: a {@link dev.distlock.test.server.RedisServerProcess} of the test's own
 * and {@link dev.distlock.test.server.LoopbackPort free loopback ports}.
 */
package dev.distlock.test.server;
