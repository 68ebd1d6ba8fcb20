package dev.distlock.jdbc.session;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.datasource.init.ScriptException;
import org.springframework.jdbc.datasource.init.ScriptUtils;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.util.StreamUtils;

import dev.distlock.LockBackendException;
import dev.distlock.LockConfigurationException;
import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;
import dev.distlock.spi.LockProvider;
import dev.distlock.spi.ProviderCapability;

/**
 * Base of the providers whose locks live as long as a database session (PostgreSQL advisory locks,
 * MySQL/MariaDB {@code GET_LOCK}). It owns what they share:
 * <ul>
 * <li>A small fixed set of <em>dedicated</em> lock connections, opened through a
 * {@link LockConnectionFactory} once (lazily) and kept for the provider's lifetime; a connection
 * that drops is replaced. They never come from the application's pool, so held locks cannot starve
 * it. A lock key always maps to the same connection.</li>
 * <li>Owner bookkeeping per connection: the database grants a key again to the session that holds
 * it, so a second owner asking for a key on the same connection is refused here, before any SQL.</li>
 * <li>The lease is the session: {@link #extendAll} proves, in one round trip per connection, that
 * each connection is alive and its session still holds the keys; a dropped connection means its
 * leases are lost.</li>
 * </ul>
 * Operator queries ({@code listLocks}, {@code inspect}, {@code forceRelease}) and schema creation
 * borrow a connection of the application's DataSource for one statement; held locks never do.
 *
 * @param <K> the database's lock key type
 */
public abstract class AbstractSessionLockProvider<K> implements LockProvider {

	protected final Logger logger = LoggerFactory.getLogger(getClass());

	private final DataSource dataSource;

	private final JdbcTemplate jdbcTemplate;

	private final LockConnectionFactory connectionFactory;

	private final SessionLockSettings settings;

	private final List<LockConnection<K>> connections;

	private volatile boolean closed;

	/**
	 * @param dataSource the application's DataSource: checked for the database product, used for
	 * schema creation and operator queries, never for holding locks
	 * @param connectionFactory opens the dedicated lock connections
	 * @param settings how many lock connections, the instance id, timeouts
	 */
	protected AbstractSessionLockProvider(DataSource dataSource, LockConnectionFactory connectionFactory,
			SessionLockSettings settings) {
		this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
		this.jdbcTemplate = new JdbcTemplate(dataSource);
		this.connectionFactory = Objects.requireNonNull(connectionFactory, "connectionFactory");
		this.settings = Objects.requireNonNull(settings, "settings");
		List<LockConnection<K>> connections = new ArrayList<>();
		for (int i = 0; i < settings.connections(); i++) {
			connections.add(new LockConnection<>(i));
		}
		this.connections = List.copyOf(connections);
	}

	// ---- what each database does ----------------------------------------------------------

	/** The database as named in messages, e.g. {@code PostgreSQL}. */
	protected abstract String databaseName();

	/** Whether {@link DatabaseMetaData#getDatabaseProductName()} names a database this provider supports. */
	protected abstract boolean isSupportedProduct(String databaseProductName);

	/** The database lock key for a lock id: a stable hash, never the raw id. */
	protected abstract K keyOf(String lockId);

	/**
	 * Prepares a newly opened lock connection (session name, clean-up) in as few round trips as it can.
	 * @return the server's id of the session (backend pid, connection id)
	 */
	protected abstract long openSession(Connection connection) throws SQLException;

	/**
	 * One non-blocking attempt to lock the key on the session, which does not hold it yet.
	 * @return the fencing token if granted
	 */
	protected abstract OptionalLong tryLock(Connection connection, K key, LeaseRequest request) throws SQLException;

	/**
	 * Unlocks a key the session holds once.
	 * @return whether the session held it
	 */
	protected abstract boolean unlock(Connection connection, K key) throws SQLException;

	/**
	 * In one round trip, which of the given keys the session still holds. Also proves the connection alive.
	 * @param sessionId the id {@link #openSession} returned for this connection
	 */
	protected abstract Set<K> heldKeys(Connection connection, long sessionId, Collection<K> keys) throws SQLException;

	/** The failure as operators need it; subclasses add how to fix a missing schema. */
	protected String describe(SQLException ex) {
		return ex.getMessage();
	}

	// ---- LockProvider -----------------------------------------------------------------------

	/**
	 * Session-scoped leases (a lock lives as long as its lock connection's session), renewed in one
	 * round trip per connection, plus the database's {@link #operatorCapabilities()}.
	 */
	@Override
	public final Set<ProviderCapability> capabilities() {
		Set<ProviderCapability> capabilities = EnumSet.of(ProviderCapability.SESSION_SCOPED_LEASES,
				ProviderCapability.BATCH_EXTEND);
		capabilities.addAll(operatorCapabilities());
		return Collections.unmodifiableSet(capabilities);
	}

	/** What the database lets operators do: {@link ProviderCapability#LISTING}, {@link ProviderCapability#FORCE_RELEASE}. */
	protected abstract Set<ProviderCapability> operatorCapabilities();

	@Override
	public Optional<Lease> tryAcquire(LeaseRequest request) {
		K key = keyOf(request.lockId());
		LockConnection<K> session = connectionFor(key);
		session.lock().lock();
		try {
			SessionHold current = session.hold(key);
			if (current != null) {
				// The session would grant the key again (session locks are reentrant): refuse here.
				this.logger.debug("Lock '{}' is busy: its key is held by {} on lock connection {}", request.lockId(),
						current.owner(), session.index());
				return Optional.empty();
			}
			OptionalLong token = lockOnSession(session, key, request);
			if (token.isEmpty()) {
				this.logger.debug("Lock '{}' is busy: held by another session", request.lockId());
				return Optional.empty();
			}
			session.hold(key, new SessionHold(request.lockId(), request.owner()));
			this.logger.debug("Lock '{}' granted to {} on lock connection {} with fencing token {}", request.lockId(),
					request.owner(), session.index(), token.getAsLong());
			return Optional.of(new Lease(request.lockId(), request.owner(), token.getAsLong(), request.leaseTime()));
		}
		finally {
			session.lock().unlock();
		}
	}

	private OptionalLong lockOnSession(LockConnection<K> session, K key, LeaseRequest request) {
		boolean retried = false;
		while (true) {
			Connection connection = connect(session);
			try {
				return tryLock(connection, key, request);
			}
			catch (SQLException ex) {
				if (isBroken(connection)) {
					dropConnection(session, ex);
					if (!retried) {
						// A fresh session holds nothing, so one more attempt on it cannot double-grant.
						retried = true;
						continue;
					}
				}
				else {
					undoPartialLock(session, connection, key, request.lockId());
				}
				throw failure("Acquiring lock '" + request.lockId() + "'", ex);
			}
		}
	}

	/** A statement that failed after taking the key must not leave it held with nobody tracking it. */
	private void undoPartialLock(LockConnection<K> session, Connection connection, K key, String lockId) {
		try {
			unlock(connection, key);
		}
		catch (SQLException ex) {
			this.logger.warn("Could not undo a failed attempt on lock '{}'; closing lock connection {} so the "
					+ "server releases whatever it holds", lockId, session.index());
			dropConnection(session, ex);
		}
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
		Map<LockConnection<K>, List<Lease>> bySession = new LinkedHashMap<>();
		for (Lease lease : leases) {
			bySession.computeIfAbsent(connectionFor(keyOf(lease.lockId())), (s) -> new ArrayList<>()).add(lease);
		}
		Set<Lease> held = new LinkedHashSet<>();
		bySession.forEach((session, sessionLeases) -> held.addAll(confirm(session, sessionLeases)));
		return held;
	}

	private List<Lease> confirm(LockConnection<K> session, List<Lease> leases) {
		session.lock().lock();
		try {
			Map<K, List<Lease>> candidates = new LinkedHashMap<>();
			for (Lease lease : leases) {
				K key = keyOf(lease.lockId());
				SessionHold hold = session.hold(key);
				if (hold != null && hold.owner().equals(lease.owner()) && hold.lockId().equals(lease.lockId())) {
					candidates.computeIfAbsent(key, (k) -> new ArrayList<>()).add(lease);
				}
			}
			Connection connection = session.connection();
			if (candidates.isEmpty() || connection == null) {
				return List.of();
			}
			Set<K> stillHeld;
			try {
				stillHeld = heldKeys(connection, session.sessionId(), candidates.keySet());
			}
			catch (SQLException ex) {
				if (!isBroken(connection)) {
					throw failure("Renewing " + candidates.size() + " lease(s)", ex);
				}
				dropConnection(session, ex);
				reconnectQuietly(session);
				return List.of();
			}
			List<Lease> confirmed = new ArrayList<>();
			candidates.forEach((key, keyLeases) -> {
				if (stillHeld.contains(key)) {
					confirmed.addAll(keyLeases);
				}
				else {
					session.forget(key);
					this.logger.warn("Lock connection {} no longer holds the key of lock '{}'", session.index(),
							keyLeases.get(0).lockId());
				}
			});
			return confirmed;
		}
		finally {
			session.lock().unlock();
		}
	}

	/**
	 * Releases the lease if its owner holds it on this provider. If the release statement fails, the
	 * connection is closed so that the server surely releases the key (its other locks are lost too).
	 */
	@Override
	public void release(Lease lease) {
		K key = keyOf(lease.lockId());
		LockConnection<K> session = connectionFor(key);
		session.lock().lock();
		try {
			SessionHold hold = session.hold(key);
			Connection connection = session.connection();
			if (hold == null || !hold.owner().equals(lease.owner()) || connection == null) {
				this.logger.debug("Lock '{}' is not held by {} here; nothing to release", lease.lockId(), lease.owner());
				return;
			}
			try {
				if (!unlock(connection, key)) {
					this.logger.warn("Lock connection {} did not hold the key of lock '{}' any more", session.index(),
							lease.lockId());
				}
				session.forget(key);
				this.logger.debug("Lock '{}' released by {}", lease.lockId(), lease.owner());
			}
			catch (SQLException ex) {
				this.logger.warn("Releasing lock '{}' failed ({}); closing lock connection {} so the server releases it",
						lease.lockId(), describe(ex), session.index());
				dropConnection(session, ex);
			}
		}
		finally {
			session.lock().unlock();
		}
	}

	/** Proves every lock connection answers, replacing dropped ones. */
	@Override
	public void checkHealth() {
		for (LockConnection<K> session : this.connections) {
			session.lock().lock();
			try {
				Connection connection = connect(session);
				if (isBroken(connection)) {
					dropConnection(session, null);
					connect(session);
				}
			}
			finally {
				session.lock().unlock();
			}
		}
	}

	/** Closes the lock connections; the server releases every lock they held. */
	@Override
	public void close() {
		this.closed = true;
		for (LockConnection<K> session : this.connections) {
			session.lock().lock();
			try {
				session.close();
			}
			finally {
				session.lock().unlock();
			}
		}
	}

	// ---- for subclasses ---------------------------------------------------------------------

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
		checkProduct(product, "the application's DataSource");
	}

	/** How this provider uses its lock connections. */
	public SessionLockSettings settings() {
		return this.settings;
	}

	/** A template on the application's DataSource, for short operator queries. */
	protected final JdbcTemplate jdbcTemplate() {
		return this.jdbcTemplate;
	}

	/**
	 * Runs an idempotent schema script in one transaction on a connection of the application's
	 * DataSource (on databases without transactional DDL, statement by statement).
	 */
	protected final void runSchemaScript(Resource script) {
		Connection connection = DataSourceUtils.getConnection(this.dataSource);
		try {
			boolean autoCommit = connection.getAutoCommit();
			connection.setAutoCommit(false);
			try {
				ScriptUtils.executeSqlScript(connection, script);
				connection.commit();
			}
			catch (SQLException | ScriptException ex) {
				connection.rollback();
				throw ex;
			}
			finally {
				connection.setAutoCommit(autoCommit);
			}
		}
		catch (SQLException | ScriptException ex) {
			throw new LockBackendException("Creating the " + databaseName() + " schema of the '" + id()
					+ "' lock provider from " + script + " failed: " + ex.getMessage(), ex);
		}
		finally {
			DataSourceUtils.releaseConnection(connection, this.dataSource);
		}
	}

	/** Reads an SQL statement from a classpath resource beside the given class. */
	protected static String loadSql(Class<?> anchor, String name) {
		ClassPathResource resource = new ClassPathResource(name, anchor);
		try (var in = resource.getInputStream()) {
			return StreamUtils.copyToString(in, StandardCharsets.UTF_8).strip();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read SQL resource " + resource, ex);
		}
	}

	/** A backend failure that names the database and what was being done. */
	protected final LockBackendException failure(String action, SQLException ex) {
		return new LockBackendException(action + " on " + databaseName() + " failed: " + describe(ex), ex);
	}

	// ---- lock connections -------------------------------------------------------------------

	private LockConnection<K> connectionFor(K key) {
		return this.connections.get(Math.floorMod(key.hashCode(), this.connections.size()));
	}

	private Connection connect(LockConnection<K> session) {
		if (this.closed) {
			throw new LockBackendException("The '" + id() + "' lock provider is closed");
		}
		Connection current = session.connection();
		if (current != null) {
			return current;
		}
		Connection connection;
		try {
			connection = this.connectionFactory.openConnection();
		}
		catch (SQLException ex) {
			throw new LockBackendException("Cannot open " + databaseName() + " lock connection " + session.index()
					+ " of the '" + id() + "' lock provider: " + ex.getMessage(), ex);
		}
		try {
			connection.setAutoCommit(true);
			connection.setNetworkTimeout(Runnable::run, (int) this.settings.networkTimeout().toMillis());
			checkProduct(connection.getMetaData().getDatabaseProductName(), "its lock connection");
			long sessionId = openSession(connection);
			session.attach(connection, sessionId);
			this.logger.debug("Opened {} lock connection {} (session {})", databaseName(), session.index(), sessionId);
			return connection;
		}
		catch (SQLException ex) {
			closeQuietly(connection);
			throw failure("Preparing lock connection " + session.index(), ex);
		}
		catch (RuntimeException ex) {
			closeQuietly(connection);
			throw ex;
		}
	}

	private void reconnectQuietly(LockConnection<K> session) {
		try {
			connect(session);
		}
		catch (LockBackendException ex) {
			this.logger.warn("Could not replace {} lock connection {} yet; retrying on next use: {}", databaseName(),
					session.index(), ex.getMessage());
		}
	}

	private void dropConnection(LockConnection<K> session, @Nullable SQLException cause) {
		int lost = session.discard();
		this.logger.warn("{} lock connection {} of the '{}' lock provider dropped{}; {} lock(s) held on it are lost",
				databaseName(), session.index(), id(), (cause != null) ? " (" + cause.getMessage() + ")" : "", lost);
	}

	private boolean isBroken(Connection connection) {
		int seconds = (int) Math.max(1, Math.min(5, this.settings.networkTimeout().toSeconds()));
		try {
			return connection.isClosed() || !connection.isValid(seconds);
		}
		catch (SQLException ex) {
			return true;
		}
	}

	private void checkProduct(String product, String where) {
		if (!isSupportedProduct(product)) {
			throw new LockConfigurationException("The '" + id() + "' lock provider needs " + databaseName() + " but "
					+ where + " is " + product + "; use distlock.provider=jdbc-table for other databases");
		}
	}

	private static void closeQuietly(Connection connection) {
		try {
			connection.close();
		}
		catch (SQLException ex) {
			// Never became a lock connection; nothing is held on it.
		}
	}

}
