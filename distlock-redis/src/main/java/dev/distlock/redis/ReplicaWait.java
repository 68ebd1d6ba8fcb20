package dev.distlock.redis;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.BaseRedisAsyncCommands;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.util.ClassUtils;

import dev.distlock.LockBackendException;

/**
 * Runs a write and then {@code WAIT replicas timeout} on the same connection. {@code WAIT} counts
 * the replicas that acknowledged every write this connection made so far, so it must follow the
 * write on the connection that sent it: a {@link SessionCallback} binds one connection for both
 * (with Lettuce's shared connection that is the shared connection, which is still right: its
 * writes are ordered, so an acknowledgement of a later offset covers ours).
 */
final class ReplicaWait {

	private static final boolean LETTUCE_PRESENT = ClassUtils.isPresent("io.lettuce.core.api.async.BaseRedisAsyncCommands",
			ReplicaWait.class.getClassLoader());

	private final StringRedisTemplate template;

	private final ReplicaAcknowledgement acknowledgement;

	private final byte[] replicas;

	private final byte[] timeout;

	ReplicaWait(StringRedisTemplate template, ReplicaAcknowledgement acknowledgement) {
		this.template = template;
		this.acknowledgement = acknowledgement;
		this.replicas = String.valueOf(acknowledgement.replicas()).getBytes(StandardCharsets.US_ASCII);
		this.timeout = String.valueOf(acknowledgement.timeoutMillis()).getBytes(StandardCharsets.US_ASCII);
	}

	boolean enabled() {
		return this.acknowledgement.enabled();
	}

	ReplicaAcknowledgement acknowledgement() {
		return this.acknowledgement;
	}

	/**
	 * The write's result and how many replicas acknowledged it ({@code Integer.MAX_VALUE} when
	 * waiting is off).
	 */
	<T> Acknowledged<T> write(Supplier<T> write) {
		if (!enabled()) {
			return new Acknowledged<>(write.get(), Integer.MAX_VALUE, true);
		}
		return this.template.execute(new SessionCallback<Acknowledged<T>>() {
			@Override
			@SuppressWarnings("unchecked")
			public <K, V> Acknowledged<T> execute(RedisOperations<K, V> operations) throws DataAccessException {
				T result = write.get();
				Long answer = operations.execute((RedisCallback<Long>) ReplicaWait.this::waitForReplicas);
				int acknowledged = (answer != null) ? answer.intValue() : 0;
				return new Acknowledged<>(result, acknowledged,
						acknowledged >= ReplicaWait.this.acknowledgement.replicas());
			}
		});
	}

	private @Nullable Long waitForReplicas(RedisConnection connection) {
		if (LETTUCE_PRESENT && LettuceWait.applies(connection)) {
			return LettuceWait.waitForReplication(connection, this.acknowledgement);
		}
		// Other clients (Jedis) answer an integer reply of a raw command as a Long.
		Object answer = connection.execute("WAIT", this.replicas, this.timeout);
		return (answer instanceof Number number) ? number.longValue() : null;
	}

	/**
	 * Spring Data Redis's Lettuce connection has no output type for a raw {@code WAIT}, so it goes
	 * through Lettuce's own command on the connection's native (shared) connection. A nested class,
	 * so Lettuce is loaded only when present.
	 */
	private static final class LettuceWait {

		static boolean applies(RedisConnection connection) {
			return connection.getNativeConnection() instanceof BaseRedisAsyncCommands<?, ?>;
		}

		static Long waitForReplication(RedisConnection connection, ReplicaAcknowledgement acknowledgement) {
			BaseRedisAsyncCommands<?, ?> commands = (BaseRedisAsyncCommands<?, ?>) connection.getNativeConnection();
			RedisFuture<Long> answer = commands.waitForReplication(acknowledgement.replicas(),
					acknowledgement.timeoutMillis());
			try {
				// WAIT itself is bounded by the timeout; the margin covers the round trip.
				return answer.get(acknowledgement.timeoutMillis() + 10_000, TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new LockBackendException("Interrupted while waiting for Redis replicas", ex);
			}
			catch (ExecutionException | TimeoutException ex) {
				throw new LockBackendException("Redis WAIT for replicas failed: " + ex.getMessage(), ex);
			}
		}

	}

	/**
	 * A write and its replication.
	 * @param value what the write returned
	 * @param replicas how many replicas acknowledged it
	 * @param enough whether that is as many as required
	 */
	record Acknowledged<T>(T value, int replicas, boolean enough) {
	}

}
