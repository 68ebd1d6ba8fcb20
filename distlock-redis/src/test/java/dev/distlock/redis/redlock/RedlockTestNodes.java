package dev.distlock.redis.redlock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.distlock.test.server.RedisServerProcess;

/**
 * Five independent {@code redis-server} masters of a test's own on free loopback ports, without
 * persistence (a killed and restarted node comes back empty).
 */
public final class RedlockTestNodes implements AutoCloseable {

	/** Short, so a dead node costs a call this much at most. */
	public static final Duration NODE_TIMEOUT = Duration.ofSeconds(2);

	private final List<RedisServerProcess> servers = new ArrayList<>();

	private RedlockTestNodes(int count) {
		for (int i = 0; i < count; i++) {
			this.servers.add(RedisServerProcess.start());
		}
	}

	public static RedlockTestNodes start(int count) {
		return new RedlockTestNodes(count);
	}

	public RedisServerProcess server(int index) {
		return this.servers.get(index);
	}

	public List<String> urls() {
		return this.servers.stream().map(RedisServerProcess::url).toList();
	}

	/** A Redlock provider with connections of its own (one application instance). */
	public RedlockProvider provider(String keyPrefix) {
		return new RedlockProvider(RedlockConnections.connect(urls(), keyPrefix, NODE_TIMEOUT), NODE_TIMEOUT);
	}

	@Override
	public void close() {
		this.servers.forEach(RedisServerProcess::close);
	}

}
