package dev.distlock.etcd;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.time.Duration;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.distlock.spi.ReleaseSubscription;

/**
 * One watch per provider on the whole key prefix, for delete events only (a release, a force
 * release, or the expiry of a holder's session lease), fanned out to the waiters of each key: any
 * number of waiters costs one watch on jetcd's one watch stream, not one per waiter. The watch is
 * opened with the first waiter and closed with the last. When the watch fails (compaction, a
 * cancelled stream) every waiter is woken, since a release may have been missed, and the watch is
 * opened again; the engine's slow polling covers the time in between.
 */
final class ReleaseWatch implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ReleaseWatch.class);

	private final Watch watchClient;

	private final ByteSequence prefix;

	private final Duration timeout;

	private final Map<ByteSequence, Set<Runnable>> waiters = new ConcurrentHashMap<>();

	private Watch.@Nullable Watcher watcher; // guarded by this

	private boolean closed; // guarded by this

	private long generation; // guarded by this: tells the current watch's callbacks from a closed one's

	private CountDownLatch created = new CountDownLatch(0); // guarded by this: open until etcd confirmed the watch

	ReleaseWatch(Watch watchClient, ByteSequence prefix, Duration timeout) {
		this.watchClient = watchClient;
		this.prefix = prefix;
		this.timeout = timeout;
	}

	/**
	 * Calls the listener each time the key is deleted, until the subscription is closed. Returns once
	 * etcd confirmed the watch (at most the request timeout), so a release right after the subscription
	 * is not missed; if etcd cannot confirm it in time, the engine's polling covers the gap.
	 */
	ReleaseSubscription subscribe(ByteSequence key, Runnable listener) {
		Runnable own = listener::run; // a distinct identity per subscription
		this.waiters.computeIfAbsent(key, (k) -> ConcurrentHashMap.newKeySet()).add(own);
		CountDownLatch confirmed = open();
		try {
			if (!confirmed.await(this.timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				logger.debug("etcd did not confirm the watch on lock keys within {}; waiters poll meanwhile", this.timeout);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return () -> unsubscribe(key, own);
	}

	/** How many watches this provider has open on etcd: 0 or 1, whatever the number of waiters. */
	synchronized int openWatches() {
		return (this.watcher != null) ? 1 : 0;
	}

	private void unsubscribe(ByteSequence key, Runnable listener) {
		this.waiters.computeIfPresent(key, (k, listeners) -> {
			listeners.remove(listener);
			return listeners.isEmpty() ? null : listeners;
		});
		synchronized (this) {
			if (this.waiters.isEmpty() && this.watcher != null) {
				this.watcher.close();
				this.watcher = null;
				this.generation++;
			}
		}
	}

	private synchronized CountDownLatch open() {
		if (this.closed || this.watcher != null) {
			return this.created;
		}
		WatchOption option = WatchOption.builder().isPrefix(true).withNoPut(true).withCreateNotify(true).build();
		this.created = new CountDownLatch(1);
		long current = ++this.generation;
		this.watcher = this.watchClient.watch(this.prefix, option,
				Watch.listener(this::deliver, (failure) -> failed(current, failure), () -> failed(current, null)));
		return this.created;
	}

	private void deliver(WatchResponse response) {
		if (response.isCreatedNotify()) {
			synchronized (this) {
				this.created.countDown();
			}
		}
		for (WatchEvent event : response.getEvents()) {
			if (event.getEventType() == WatchEvent.EventType.DELETE) {
				Set<Runnable> listeners = this.waiters.get(event.getKeyValue().getKey());
				if (listeners != null) {
					listeners.forEach(ReleaseWatch::runQuietly);
				}
			}
		}
	}

	private void failed(long failedGeneration, @Nullable Throwable failure) {
		synchronized (this) {
			if (failedGeneration != this.generation) {
				return; // a watch this class closed itself
			}
			logger.debug("The etcd watch on lock keys ended; waking every waiter and watching again", failure);
			this.generation++;
			if (this.watcher != null) {
				this.watcher.close();
				this.watcher = null;
			}
		}
		this.waiters.values().forEach((listeners) -> listeners.forEach(ReleaseWatch::runQuietly));
		if (!this.waiters.isEmpty()) {
			open();
		}
	}

	private static void runQuietly(Runnable listener) {
		try {
			listener.run();
		}
		catch (RuntimeException ex) {
			logger.warn("A lock release listener failed", ex);
		}
	}

	@Override
	public synchronized void close() {
		this.closed = true;
		this.generation++;
		this.waiters.clear();
		if (this.watcher != null) {
			this.watcher.close();
			this.watcher = null;
		}
	}

}
