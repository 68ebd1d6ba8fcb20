package dev.distlock.redis;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import dev.distlock.spi.ReleaseSubscription;

/**
 * One pub/sub subscription per provider to the release channel, shared by all local waiters: a
 * message carries the released lock's key and wakes the listeners registered for it. The
 * subscription opens with the first waiter and stays open; the Redis client re-subscribes by itself
 * after a reconnect. Delivery is best effort: a message lost while Redis restarts costs a waiter one
 * slow engine poll, never a hang.
 *
 * <p>Listeners run on the Redis client's I/O thread, so they must be quick and must not block (the
 * engine's listener releases a semaphore). Subscribing is a network round trip made by a caller's
 * thread, perhaps a virtual one: it is guarded by a {@link ReentrantLock}, not a monitor, so that a
 * virtual thread waiting for it does not pin its carrier (Java 21-23).
 */
final class ReleaseNotifications implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ReleaseNotifications.class);

	/** After a failed subscribe, waiters poll instead of retrying the subscription on every call. */
	private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

	private final RedisConnectionFactory connectionFactory;

	private final byte[] channel;

	private final Map<String, List<Runnable>> listeners = new ConcurrentHashMap<>();

	private final ReentrantLock lock = new ReentrantLock();

	private @Nullable RedisConnection subscription; // guarded by lock

	private long nextAttemptNanos = System.nanoTime(); // guarded by lock

	private boolean closed; // guarded by lock

	ReleaseNotifications(RedisConnectionFactory connectionFactory, String channel) {
		this.connectionFactory = connectionFactory;
		this.channel = channel.getBytes(StandardCharsets.UTF_8);
	}

	/** Calls the listener whenever a release of the lock with this key is published. */
	ReleaseSubscription register(String lockKey, Runnable listener) {
		this.listeners.computeIfAbsent(lockKey, (key) -> new CopyOnWriteArrayList<>()).add(listener);
		ensureSubscribed();
		return () -> this.listeners.computeIfPresent(lockKey, (key, registered) -> {
			registered.remove(listener);
			return registered.isEmpty() ? null : registered;
		});
	}

	/** Whether the shared subscription is open right now. */
	boolean isSubscribed() {
		this.lock.lock();
		try {
			return this.subscription != null && this.subscription.isSubscribed();
		}
		finally {
			this.lock.unlock();
		}
	}

	private void ensureSubscribed() {
		this.lock.lock();
		try {
			subscribeUnlessSubscribed();
		}
		finally {
			this.lock.unlock();
		}
	}

	private void subscribeUnlessSubscribed() {
		if (this.closed || isSubscribed()) {
			return;
		}
		if (this.subscription != null) {
			closeQuietly(this.subscription);
			this.subscription = null;
		}
		long now = System.nanoTime();
		if (now - this.nextAttemptNanos < 0) {
			return;
		}
		RedisConnection connection = null;
		try {
			connection = this.connectionFactory.getConnection();
			// Returns once Redis confirmed the subscription: a release published after this reaches us.
			connection.subscribe(this::dispatch, this.channel);
			this.subscription = connection;
		}
		catch (RuntimeException ex) {
			if (connection != null) {
				closeQuietly(connection);
			}
			this.nextAttemptNanos = now + RETRY_NANOS;
			logger.warn("Subscribing to Redis release notifications failed; waiters poll until it succeeds: {}",
					ex.toString());
		}
	}

	private void dispatch(Message message, byte @Nullable [] pattern) {
		String lockKey = new String(message.getBody(), StandardCharsets.UTF_8);
		List<Runnable> waiting = this.listeners.get(lockKey);
		if (waiting == null) {
			return;
		}
		for (Runnable listener : waiting) {
			try {
				listener.run();
			}
			catch (RuntimeException ex) {
				logger.warn("A release listener for Redis key '{}' failed", lockKey, ex);
			}
		}
	}

	@Override
	public void close() {
		this.lock.lock();
		try {
			this.closed = true;
			this.listeners.clear();
			if (this.subscription != null) {
				closeQuietly(this.subscription);
				this.subscription = null;
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	private static void closeQuietly(RedisConnection connection) {
		try {
			connection.close();
		}
		catch (RuntimeException ex) {
			logger.debug("Closing the Redis subscription connection failed", ex);
		}
	}

}
