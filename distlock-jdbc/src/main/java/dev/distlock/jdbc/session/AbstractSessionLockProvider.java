package dev.distlock.jdbc.session;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

import dev.distlock.LockBackendException;
import dev.distlock.LockConfigurationException;
import dev.distlock.jdbc.sql.SchemaScript;
import dev.distlock.spi.AwaitedLease;
import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;
import dev.distlock.spi.LockProvider;
import dev.distlock.spi.ProviderCapability;

/**
 * The locking algorithm of the providers whose locks live as long as a database session (PostgreSQL
 * advisory locks, MySQL/MariaDB {@code GET_LOCK}); each database supplies its keys and statements as
 * a {@link SessionDialect}.
 * <ul>
 * <li>Locks live on <em>dedicated</em> {@link LockConnection}s, opened through a
 * {@link LockConnectionFactory} on demand, up to a bound ({@link SessionLockSettings#connections()}),
 * and kept for the provider's lifetime; a connection that drops is replaced. They never come from the
 * application's pool, so held locks cannot starve it. A key is locked on an open connection no
 * other caller is using, else on one not opened yet, else on its hash's connection (it waits there);
 * a held key stays on its connection until released.</li>
 * <li>The database grants a key again to the session that holds it, so a second owner asking for a
 * key on the same connection is refused here, before any SQL.</li>
 * <li>A caller that waits ({@link #awaitAcquire}) waits <em>on the server</em>, on a lock connection
 * set aside for it: one that holds no key and nobody else uses, while at least one other connection
 * stays free for everything else (so with a bound of one connection nobody waits there). The server
 * queues the waiters of every instance and grants the key the moment it is released, so the waiting
 * connection becomes the holding one: no wake-up, no retry race that the releasing instance would
 * often win, no poll. When no connection can be set aside, the call is one {@link #tryAcquire} and
 * the engine waits as before (release notifications or polling).</li>
 * <li>The lease is the session: {@link #extendAll} proves, in one round trip per connection, that
 * each connection is alive and its session still holds the keys; a dropped connection means its
 * leases are lost.</li>
 * </ul>
 * Operator queries ({@code listLocks}, {@code inspect}, {@code forceRelease}) and schema creation
 * ({@link SessionSchema}) borrow a connection of the application's DataSource for one statement;
 * held locks never do.
 *
 * @param <K> the database's lock key type
 */
public abstract class AbstractSessionLockProvider<K> implements LockProvider {

	protected final Logger logger = LoggerFactory.getLogger(getClass());

	private final DataSource dataSource;

	private final JdbcTemplate jdbcTemplate;

	private final SessionLockSettings settings;

	private final SessionDialect<K> dialect;

	private final SchemaScript schema;

	private final List<LockConnection<K>> connections;

	/** The connection each key held here lives on. */
	private final Map<K, LockConnection<K>> placement = new ConcurrentHashMap<>();

	/** How many lock connections are set aside for waits on the server right now. */
	private final AtomicInteger waiting = new AtomicInteger();

	private final WaitCanceller canceller;

	/**
	 * @param dataSource the application's DataSource: checked for the database product, used for
	 * schema creation and operator queries, never for holding locks
	 * @param connectionFactory opens the dedicated lock connections
	 * @param settings how many lock connections, the instance id, timeouts
	 * @param dialect the database's keys and lock statements
	 * @param schema the idempotent script that creates what the provider needs beside its locks
	 */
	protected AbstractSessionLockProvider(DataSource dataSource, LockConnectionFactory connectionFactory,
			SessionLockSettings settings, SessionDialect<K> dialect, SchemaScript schema) {
		this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
		this.jdbcTemplate = new JdbcTemplate(dataSource);
		Objects.requireNonNull(connectionFactory, "connectionFactory");
		this.settings = Objects.requireNonNull(settings, "settings");
		this.dialect = Objects.requireNonNull(dialect, "dialect");
		this.schema = Objects.requireNonNull(schema, "schema");
		List<LockConnection<K>> connections = new ArrayList<>();
		for (int i = 0; i < settings.connections(); i++) {
			connections.add(new LockConnection<>(i, connectionFactory, settings.networkTimeout(), dialect, this::id));
		}
		this.connections = List.copyOf(connections);
		this.canceller = new WaitCanceller(settings.instanceId());
	}

	/**
	 * Creates what the provider needs beside its locks (PostgreSQL: the fencing sequence and the
	 * holders table; MySQL: the counter table) if missing, from its schema script, in one
	 * transaction on a connection of the application's DataSource. Safe to run concurrently and
	 * repeatedly.
	 * @throws LockBackendException if the database cannot be reached or refuses
	 */
	public void initializeSchema() {
		new SessionSchema(this.dataSource, this.schema,
				"the " + this.dialect.databaseName() + " schema of the '" + id() + "' lock provider").create();
	}

	// ---- LockProvider -----------------------------------------------------------------------

	/**
	 * Session-scoped leases (a lock lives as long as its lock connection's session), renewed in one
	 * round trip per connection, waits on the server, plus the database's {@link #databaseCapabilities()}.
	 */
	@Override
	public final Set<ProviderCapability> capabilities() {
		Set<ProviderCapability> capabilities = EnumSet.of(ProviderCapability.SESSION_SCOPED_LEASES,
				ProviderCapability.BATCH_EXTEND, ProviderCapability.SERVER_SIDE_WAIT);
		capabilities.addAll(databaseCapabilities());
		return Collections.unmodifiableSet(capabilities);
	}

	/**
	 * What the database adds: operator access ({@link ProviderCapability#LISTING},
	 * {@link ProviderCapability#FORCE_RELEASE}), {@link ProviderCapability#RELEASE_NOTIFICATIONS}.
	 */
	protected abstract Set<ProviderCapability> databaseCapabilities();

	@Override
	public Optional<Lease> tryAcquire(LeaseRequest request) {
		K key = this.dialect.keyOf(request.lockId());
		LockConnection<K> connection = connectionToLockOn(key);
		return connection.execute((session) -> {
			SessionHold current = session.holder(key);
			if (current != null) {
				// The session would grant the key again (session locks are reentrant): refuse here.
				this.logger.debug("Lock '{}' is busy: its key is held by {} on lock connection {}", request.lockId(),
						current.owner(), session.index());
				return Optional.empty();
			}
			OptionalLong token = session.lock(key, request);
			if (token.isEmpty()) {
				this.logger.debug("Lock '{}' is busy: held by another session", request.lockId());
				return Optional.empty();
			}
			session.hold(key, new SessionHold(request.lockId(), request.owner()));
			this.placement.put(key, connection);
			this.logger.debug("Lock '{}' granted to {} on lock connection {} with fencing token {}", request.lockId(),
					request.owner(), session.index(), token.getAsLong());
			return Optional.of(new Lease(request.lockId(), request.owner(), token.getAsLong(), request.leaseTime()));
		});
	}

	/**
	 * Waits on the server for the key, up to {@code maxWait}, on a lock connection set aside for it (see
	 * the class comment); without one, or with no wait time, one {@link #tryAcquire}. A key already held
	 * on one of this provider's connections (by another owner, or a colliding lock id) is only tried:
	 * waiting for it on another session of this provider would wait for ourselves.
	 */
	@Override
	public Optional<AwaitedLease> awaitAcquire(LeaseRequest request, Duration maxWait) {
		K key = this.dialect.keyOf(request.lockId());
		// An interrupted caller is not put to sleep on the server, but still gets a free lock, as before.
		if (maxWait.isNegative() || maxWait.isZero() || Thread.currentThread().isInterrupted()
				|| this.placement.containsKey(key) || !reserveWaiter()) {
			return tryOnce(request);
		}
		try {
			// Open connections first: a new one is opened only when none of them can be set aside.
			int start = Math.floorMod(key.hashCode(), this.connections.size());
			for (boolean open : new boolean[] { true, false }) {
				for (int i = 0; i < this.connections.size(); i++) {
					LockConnection<K> candidate = this.connections.get((start + i) % this.connections.size());
					if (candidate.isOpen() != open) {
						continue;
					}
					Optional<AwaitedLease> result = candidate.executeSetAside((session) -> awaitOn(candidate, session,
							key, request, maxWait));
					if (result != null) {
						return result;
					}
				}
			}
		}
		finally {
			this.waiting.decrementAndGet();
		}
		this.logger.debug("No lock connection free to wait for lock '{}' on the server; trying once", request.lockId());
		return tryOnce(request);
	}

	/** Counts a waiter in if at least one lock connection stays out of waits for everything else. */
	private boolean reserveWaiter() {
		while (true) {
			int current = this.waiting.get();
			if (current >= this.connections.size() - 1) {
				return false;
			}
			if (this.waiting.compareAndSet(current, current + 1)) {
				return true;
			}
		}
	}

	private Optional<AwaitedLease> tryOnce(LeaseRequest request) {
		long startNanos = System.nanoTime();
		return tryAcquire(request).map((lease) -> new AwaitedLease(lease, startNanos));
	}

	private Optional<AwaitedLease> awaitOn(LockConnection<K> connection, LockConnection<K>.Session session, K key,
			LeaseRequest request, Duration maxWait) {
		this.logger.debug("Lock '{}' is busy: waiting up to {} on the server on lock connection {}", request.lockId(),
				maxWait, session.index());
		LockConnection.AwaitedGrant grant = session.await(key, request, maxWait, this.canceller);
		if (grant == null) {
			this.logger.debug("Lock '{}' stayed busy (wait time over or interrupted)", request.lockId());
			return Optional.empty();
		}
		session.hold(key, new SessionHold(request.lockId(), request.owner()));
		this.placement.put(key, connection);
		this.logger.debug("Lock '{}' granted to {} after a wait on lock connection {} with fencing token {}",
				request.lockId(), request.owner(), session.index(), grant.fencingToken());
		return Optional.of(new AwaitedLease(
				new Lease(request.lockId(), request.owner(), grant.fencingToken(), request.leaseTime()),
				grant.confirmedNanos()));
	}

	@Override
	public boolean extend(Lease lease, Duration leaseTime) {
		return !extendAll(List.of(lease)).isEmpty();
	}

	/**
	 * Confirms the leases with one round trip per lock connection they live on. A lease is held while
	 * its owner is the one recorded for the key on its connection and the connection's session still
	 * holds the key. A connection found dropped is replaced; its leases are lost.
	 */
	@Override
	public Set<Lease> extendAll(Collection<Lease> leases) {
		Map<LockConnection<K>, List<Lease>> byConnection = new LinkedHashMap<>();
		for (Lease lease : leases) {
			LockConnection<K> connection = this.placement.get(this.dialect.keyOf(lease.lockId()));
			if (connection != null) {
				byConnection.computeIfAbsent(connection, (c) -> new ArrayList<>()).add(lease);
			}
		}
		Set<Lease> held = new LinkedHashSet<>();
		byConnection.forEach((connection, onIt) -> held
			.addAll(connection.execute((session) -> confirm(connection, session, onIt))));
		return held;
	}

	private List<Lease> confirm(LockConnection<K> lockConnection, LockConnection<K>.Session session,
			List<Lease> leases) {
		Map<K, List<Lease>> candidates = new LinkedHashMap<>();
		for (Lease lease : leases) {
			K key = this.dialect.keyOf(lease.lockId());
			SessionHold hold = session.holder(key);
			if (hold == null) {
				// Forgotten when the connection dropped.
				this.placement.remove(key, lockConnection);
			}
			else if (hold.owner().equals(lease.owner()) && hold.lockId().equals(lease.lockId())) {
				candidates.computeIfAbsent(key, (k) -> new ArrayList<>()).add(lease);
			}
		}
		Connection connection = session.current();
		if (candidates.isEmpty() || connection == null) {
			return List.of();
		}
		Set<K> stillHeld;
		try {
			stillHeld = this.dialect.heldKeys(connection, session.sessionId(), candidates.keySet());
		}
		catch (SQLException ex) {
			if (!session.isBroken(connection)) {
				throw failure("Renewing " + candidates.size() + " lease(s)", ex);
			}
			session.drop(ex);
			session.reconnectQuietly();
			return List.of();
		}
		List<Lease> confirmed = new ArrayList<>();
		candidates.forEach((key, keyLeases) -> {
			if (stillHeld.contains(key)) {
				confirmed.addAll(keyLeases);
			}
			else {
				session.forget(key);
				this.placement.remove(key, lockConnection);
				this.logger.warn("Lock connection {} no longer holds the key of lock '{}'", session.index(),
						keyLeases.get(0).lockId());
			}
		});
		return confirmed;
	}

	/**
	 * Releases the lease if its owner holds it on this provider. If the release statement fails, the
	 * connection is closed so that the server surely releases the key (its other locks are lost too).
	 */
	@Override
	public void release(Lease lease) {
		K key = this.dialect.keyOf(lease.lockId());
		LockConnection<K> lockConnection = this.placement.get(key);
		if (lockConnection == null) {
			this.logger.debug("Lock '{}' is not held here; nothing to release", lease.lockId());
			return;
		}
		lockConnection.execute((session) -> {
			SessionHold hold = session.holder(key);
			Connection connection = session.current();
			if (hold == null) {
				this.placement.remove(key, lockConnection);
			}
			if (hold == null || !hold.owner().equals(lease.owner()) || connection == null) {
				this.logger.debug("Lock '{}' is not held by {} here; nothing to release", lease.lockId(), lease.owner());
				return null;
			}
			try {
				if (!this.dialect.unlock(connection, key)) {
					this.logger.warn("Lock connection {} did not hold the key of lock '{}' any more", session.index(),
							lease.lockId());
				}
				session.forget(key);
				this.placement.remove(key, lockConnection);
				this.logger.debug("Lock '{}' released by {}", lease.lockId(), lease.owner());
			}
			catch (SQLException ex) {
				this.logger.warn("Releasing lock '{}' failed ({}); closing lock connection {} so the server releases it",
						lease.lockId(), this.dialect.describe(ex), session.index());
				session.drop(ex);
				this.placement.remove(key, lockConnection);
			}
			return null;
		});
	}

	/**
	 * Proves the lock connections answer (opening one if none is open), replacing dropped ones. A
	 * connection waiting on the server is in a call already and is skipped.
	 */
	@Override
	public void checkHealth() {
		List<LockConnection<K>> free = this.connections.stream().filter((c) -> !c.isWaiting()).toList();
		List<LockConnection<K>> open = free.stream().filter(LockConnection::isOpen).toList();
		for (LockConnection<K> lockConnection : open.isEmpty() ? free.subList(0, Math.min(1, free.size())) : open) {
			lockConnection.execute((session) -> {
				if (session.isBroken(session.connect())) {
					session.drop(null);
					session.connect();
				}
				return null;
			});
		}
	}

	/** Ends waits on the server and closes the lock connections; the server releases every lock they held. */
	@Override
	public void close() {
		this.canceller.close();
		this.connections.forEach(LockConnection::close);
		this.placement.clear();
	}

	// ---- for subclasses and their configuration ----------------------------------------------

	/**
	 * Checks that the application's DataSource is this provider's database.
	 * @throws LockConfigurationException if it is another database
	 * @throws LockBackendException if the database cannot be reached to tell
	 */
	public void validate() {
		String product;
		try {
			product = JdbcUtils.extractDatabaseMetaData(this.dataSource, DatabaseMetaData::getDatabaseProductName);
		}
		catch (MetaDataAccessException ex) {
			throw new LockBackendException("Cannot tell which database the DataSource of the '" + id()
					+ "' lock provider is: " + ex.getMessage(), ex);
		}
		this.dialect.checkProduct(id(), product, "the application's DataSource");
	}

	/** How this provider uses its lock connections. */
	public SessionLockSettings settings() {
		return this.settings;
	}

	/** A template on the application's DataSource, for short operator queries. */
	protected final JdbcTemplate jdbcTemplate() {
		return this.jdbcTemplate;
	}

	/** A backend failure that names the database and what was being done. */
	protected final LockBackendException failure(String action, SQLException ex) {
		return new LockBackendException(
				action + " on " + this.dialect.databaseName() + " failed: " + this.dialect.describe(ex), ex);
	}

	/**
	 * Where to try a key: where it is held, else an open connection nobody is using (scanning from the
	 * key's hash, so that concurrent callers spread), else one not opened yet (the bound grows on
	 * demand), else the key's hash's connection (or the next one not waiting on the server), to wait
	 * for. Choosing is a peek and may go stale at
	 * once; that only costs a wait, never a double grant: the database refuses a key another session
	 * holds, and a key held on a session is always tried there.
	 */
	private LockConnection<K> connectionToLockOn(K key) {
		LockConnection<K> placed = this.placement.get(key);
		if (placed != null) {
			return placed;
		}
		int start = Math.floorMod(key.hashCode(), this.connections.size());
		LockConnection<K> unopened = null;
		for (int i = 0; i < this.connections.size(); i++) {
			LockConnection<K> candidate = this.connections.get((start + i) % this.connections.size());
			if (!candidate.isOpen()) {
				unopened = (unopened != null || candidate.isWaiting()) ? unopened : candidate;
			}
			else if (candidate.isIdle()) {
				return candidate;
			}
		}
		if (unopened != null) {
			return unopened;
		}
		for (int i = 0; i < this.connections.size(); i++) {
			LockConnection<K> candidate = this.connections.get((start + i) % this.connections.size());
			if (!candidate.isWaiting()) {
				return candidate;
			}
		}
		return this.connections.get(start);
	}

}
