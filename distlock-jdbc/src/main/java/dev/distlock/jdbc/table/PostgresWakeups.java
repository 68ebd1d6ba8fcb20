package dev.distlock.jdbc.table;

import java.util.HexFormat;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Function;

import dev.distlock.jdbc.postgres.AdvisoryLockKey;
import dev.distlock.jdbc.postgres.ReleaseNotifications;
import dev.distlock.jdbc.session.LockConnectionFactory;
import dev.distlock.spi.ReleaseSubscription;

/**
 * What wakes the local waiters of a lock in the lease table on PostgreSQL: a release or
 * force-release, notified on the channel {@code distlock_table_release} with the lock's 64-bit key
 * ({@link AdvisoryLockKey}: the first 16 hex digits of its {@code lock_key}) and received by one
 * listen connection per provider ({@link ReleaseNotifications}, shared with the {@code postgres}
 * provider: re-listens after the connection drops, then wakes every waiter in case a release was
 * missed), or the end of the holder's lease, read from the row ({@link ExpiryWakeups}). A key
 * collision only wakes a waiter for nothing.
 *
 * <p>Two daemon threads, started with the first waiter, ended by {@link #close()}. The listen
 * session is named {@code distlock-table:<random>} ({@code application_name}).
 */
final class PostgresWakeups implements AutoCloseable {

	private final String applicationName = "distlock-table:"
			+ HexFormat.of().toHexDigits(UUID.randomUUID().getMostSignificantBits()).substring(0, 8);

	private final ReleaseNotifications releases;

	private final ExpiryWakeups expiries;

	/**
	 * @param connections opens the listen connection, kept open while the provider lives
	 * @param listenSql the statement that subscribes it
	 * @param millisLeft the milliseconds a lock key's lease has left, empty when free
	 */
	PostgresWakeups(LockConnectionFactory connections, String listenSql, Function<String, OptionalLong> millisLeft) {
		this.releases = new ReleaseNotifications(connections, listenSql, this.applicationName);
		this.expiries = new ExpiryWakeups(millisLeft, "distlock-table-expiry-" + this.applicationName);
	}

	/** The key a release of the lock id is notified with (as text, the notification's payload). */
	static long notifyKey(String lockId) {
		return AdvisoryLockKey.of(lockId);
	}

	/** Calls the listener when the lock may have become free: released, force-released or expired. */
	ReleaseSubscription register(String lockId, Runnable listener) {
		ReleaseSubscription released = this.releases.register(notifyKey(lockId), listener);
		ReleaseSubscription expired = this.expiries.register(StoredLockId.key(lockId), listener);
		return () -> {
			released.close();
			expired.close();
		};
	}

	/** Calls the listener when the given payload is notified on the channel (a grant's announcement). */
	ReleaseSubscription onAnnounced(long announcement, Runnable listener) {
		return this.releases.register(announcement, listener);
	}

	/** Whether a local waiter waits for the lock id. */
	boolean isWaitedFor(String lockId) {
		return this.expiries.isWatched(StoredLockId.key(lockId));
	}

	/** The listen session's {@code application_name}. */
	String applicationName() {
		return this.applicationName;
	}

	/** Whether the listen connection is subscribed right now. */
	boolean isListening() {
		return this.releases.isListening();
	}

	/** Whether the expiry timer thread runs. */
	boolean isTimerRunning() {
		return this.expiries.isRunning();
	}

	@Override
	public void close() {
		this.releases.close();
		this.expiries.close();
	}

}
