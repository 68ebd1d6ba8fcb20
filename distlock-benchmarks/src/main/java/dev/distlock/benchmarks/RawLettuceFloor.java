package dev.distlock.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * The floor: the least a Redis lock can do with the same client, {@code SET key owner NX PX} to
 * acquire and a compare-and-delete script to release, on one shared Lettuce connection per
 * instance. No fencing token, no renewal, no wake-ups: a waiter retries at once.
 */
final class RawLettuceFloor implements LockUnderTest {

	private static final String RELEASE_SCRIPT = readScript();

	private static final AtomicLong owners = new AtomicLong();

	private final RedisClient client;

	private final StatefulRedisConnection<String, String> connection;

	private final RedisCommands<String, String> commands;

	private final String releaseSha;

	RawLettuceFloor(String redisUrl) {
		this.client = RedisClient.create(redisUrl);
		this.connection = this.client.connect();
		this.commands = this.connection.sync();
		this.releaseSha = this.commands.scriptLoad(RELEASE_SCRIPT);
	}

	@Override
	public long runLocked(String key, Runnable section) {
		String owner = "floor#" + owners.incrementAndGet();
		long start = System.nanoTime();
		while (!"OK".equals(this.commands.set(key, owner, SetArgs.Builder.nx().px(30_000)))) {
			Thread.onSpinWait();
		}
		long waited = System.nanoTime() - start;
		try {
			section.run();
		}
		finally {
			this.commands.evalsha(this.releaseSha, ScriptOutputType.INTEGER, new String[] { key }, owner);
		}
		return waited;
	}

	@Override
	public void close() {
		this.connection.close();
		this.client.shutdown();
	}

	private static String readScript() {
		try (InputStream in = RawLettuceFloor.class.getResourceAsStream("/floor-release.lua")) {
			if (in == null) {
				throw new IllegalStateException("floor-release.lua is missing from the classpath");
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
