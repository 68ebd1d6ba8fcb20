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

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

import dev.distlock.LockBackendException;
import dev.distlock.LockConfigurationException;
import dev.distlock.jdbc.sql.SchemaScript;
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
	 * round trip per connection, plus the database's {@link #databaseCapabilities()}.
	 */
	@Override
	public final Set<ProviderCapability> capabilities() {
		Set<ProviderCapability> capabilities = EnumSet.of(ProviderCapability.SESSION_SCOPED_LEASES,
				ProviderCapability.BATCH_EXTEND);
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

	/** Proves the lock connections answer (opening the first if none is open), replacing dropped ones. */
	@Override
	public void checkHealth() {
		List<LockConnection<K>> open = this.connections.stream().filter(LockConnection::isOpen).toList();
		for (LockConnection<K> lockConnection : open.isEmpty() ? this.connections.subList(0, 1) : open) {
			lockConnection.execute((session) -> {
				if (session.isBroken(session.connect())) {
					session.drop(null);
					session.connect();
				}
				return null;
			});
		}
	}

	/** Closes the lock connections; the server releases every lock they held. */
	@Override
	public void close() {
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
	 * demand), else the key's hash's connection, to wait for. Choosing is a peek and may go stale at
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
				unopened = (unopened != null) ? unopened : candidate;
			}
			else if (candidate.isIdle()) {
				return candidate;
			}
		}
		return (unopened != null) ? unopened : this.connections.get(start);
	}

}
