package dev.distlock.dynamodb;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.distlock.spi.BackendLock;
import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;
import dev.distlock.spi.LockProvider;
import dev.distlock.spi.ProviderCapability;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The {@code dynamodb} provider: one item per lock in a DynamoDB table, on the application's
 * {@link DynamoDbClient}.
 *
 * <h2>Writes</h2> Acquire, extend and release are each one conditional {@code UpdateItem}. A grant
 * requires the item to be free (no item, or no owner) or its record version to be one this instance
 * saw expire; it adds one to the item's {@code fencing_token} in the same write, so tokens strictly
 * increase per lock. Extend and release require the owner token (unique per grant). Every write
 * stores a new random {@code record_version}. Items are never deleted: release and force release
 * remove only the owner, so the counter survives. A busy grant costs a second round trip only on
 * servers that do not return the item with the failed condition.
 *
 * <h2>Expiry without a shared clock</h2> DynamoDB has no server-side "now" in conditions, and the
 * wall clocks of instances differ, so no instance ever compares a time written by another with its
 * own. As in AWS's lock client, a waiter takes a lock over only after it has <em>seen the same record
 * version unchanged</em> for the holder's lease time (stored in the item) plus 1%, measured on its
 * own monotonic clock from the moment it received the response that showed it (see
 * {@link Sightings}). Safety argument: the holder's engine counts its lease from the start of the
 * round trip that wrote that version, which is before the write committed, which is before any
 * response showing the version was received. So the waiter starts counting after the holder did, and
 * the holder's lease ends (by the holder's clock) before the takeover (by the waiter's clock) as long
 * as the waiter's clock does not run more than 1% faster than the holder's — the tolerated drift rate;
 * offsets between clocks (minutes, hours) do not matter at all. If the holder renews in time, the
 * version changes and the takeover's condition fails; if the takeover wins, the holder's next
 * renewal's condition fails and the lease is reported lost. The price: a lock whose holder crashed is
 * taken over between one and two lease times after the crash (a waiter that first looks later
 * waits a full lease time from then), and an instance that restarts must observe for a lease time
 * before it may take over anything. A holder paused past its lease is refused by fencing.
 *
 * <h2>Other operations</h2> {@link #extendAll} uses {@code TransactWriteItems} (see
 * {@link BatchExtension}); {@link #listLocks} scans the table, consistently, at most
 * {@value #MAX_LISTED_ITEMS} items; {@link #checkHealth} is {@code DescribeTable} within
 * {@link #HEALTH_TIMEOUT}. The {@code expiresAt} shown to operators is computed from the writer's
 * wall clock and lease time, for information only.
 */
public final class DynamoDbLockProvider implements LockProvider {

	/** The table name unless configured otherwise ({@code distlock.dynamodb.table-name}). */
	public static final String DEFAULT_TABLE_NAME = "distlock_lock";

	static final int MAX_LISTED_ITEMS = 10_000;

	static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(2);

	private static final Set<ProviderCapability> CAPABILITIES = Collections.unmodifiableSet(
			EnumSet.of(ProviderCapability.BATCH_EXTEND, ProviderCapability.LISTING, ProviderCapability.FORCE_RELEASE));

	private static final Logger logger = LoggerFactory.getLogger(DynamoDbLockProvider.class);

	private final DynamoDbClient client;

	private final LockTable table;

	private final LockWrites writes;

	private final Sightings sightings;

	private final BatchExtension batches;

	/**
	 * A provider on the given table, stamping items with the system's UTC clock.
	 * @param client the application's DynamoDB client
	 * @param tableName the lock table
	 * @throws dev.distlock.LockConfigurationException if the name is not a DynamoDB table name
	 */
	public DynamoDbLockProvider(DynamoDbClient client, String tableName) {
		this(client, tableName, Clock.systemUTC());
	}

	/**
	 * A provider on the given table.
	 * @param client the application's DynamoDB client
	 * @param tableName the lock table
	 * @param wallClock stamps items ({@code written_at}) for operators; never decides expiry
	 * @throws dev.distlock.LockConfigurationException if the name is not a DynamoDB table name
	 */
	public DynamoDbLockProvider(DynamoDbClient client, String tableName, Clock wallClock) {
		this.client = client;
		this.table = new LockTable(client, tableName);
		this.writes = new LockWrites(tableName, wallClock);
		this.sightings = new Sightings(System::nanoTime);
		this.batches = new BatchExtension(client, this.writes, this.sightings, this);
	}

	@Override
	public String id() {
		return "dynamodb";
	}

	/** The lock table's name. */
	public String tableName() {
		return this.table.name();
	}

	/**
	 * Creates the lock table (on-demand billing, partition key {@code lock_key} of type S) unless it
	 * exists, and waits until it is active. Safe when several instances start at once.
	 */
	public void createTableIfMissing() {
		this.table.createIfMissing();
	}

	@Override
	public Optional<Lease> tryAcquire(LeaseRequest request) {
		String lockId = request.lockId();
		String key = LockItem.hash(lockId);
		long leaseMillis = LockWrites.leaseMillis(request.leaseTime());
		Optional<Lease> granted = grant(request, key, leaseMillis, this.sightings.expiredVersion(key));
		if (granted != null) {
			return granted;
		}
		// Became free between the failed condition and the read: one more attempt, on a free item only.
		granted = grant(request, key, leaseMillis, null);
		return (granted != null) ? granted : Optional.empty();
	}

	/** One grant attempt: the lease, empty if held by another, or {@code null} if it was just freed. */
	private @Nullable Optional<Lease> grant(LeaseRequest request, String key, long leaseMillis,
			@Nullable String expiredVersion) {
		String version = LockWrites.newVersion();
		long sent = this.sightings.now();
		try {
			UpdateItemResponse response = this.client.updateItem(
					this.writes.grant(request.lockId(), request.owner(), version, leaseMillis, expiredVersion));
			this.sightings.wrote(key, version, leaseMillis, sent);
			long token = Long.parseLong(response.attributes().get(LockItem.TOKEN).n());
			logger.debug("Granted lock '{}' to {} with fencing token {}", request.lockId(), request.owner(), token);
			return Optional.of(new Lease(request.lockId(), request.owner(), token, request.leaseTime()));
		}
		catch (ConditionalCheckFailedException ex) {
			LockItem current = ex.hasItem() ? LockItem.from(ex.item()) : read(request.lockId(), "acquiring");
			long received = this.sightings.now();
			if (current == null || !current.isHeld()) {
				return null;
			}
			this.sightings.saw(key, current, received);
			logger.debug("Lock '{}' is busy (held by {})", request.lockId(), current.owner());
			return Optional.empty();
		}
		catch (SdkException ex) {
			throw this.table.failed("acquiring", request.lockId(), ex);
		}
	}

	@Override
	public boolean extend(Lease lease, Duration leaseTime) {
		String version = LockWrites.newVersion();
		long leaseMillis = LockWrites.leaseMillis(leaseTime);
		long sent = this.sightings.now();
		boolean extended = write("extending", lease.lockId(),
				() -> this.client.updateItem(this.writes.extend(lease.lockId(), lease.owner(), version, leaseMillis)));
		if (extended) {
			this.sightings.wrote(LockItem.hash(lease.lockId()), version, leaseMillis, sent);
		}
		logger.debug("Extending lock '{}' by {}: {}", lease.lockId(), leaseTime, extended ? "extended" : "lost");
		return extended;
	}

	@Override
	public Set<Lease> extendAll(Collection<Lease> leases) {
		if (leases.isEmpty()) {
			return new LinkedHashSet<>();
		}
		try {
			return this.batches.extend(leases);
		}
		catch (SdkException ex) {
			throw this.table.failed("extending " + leases.size() + " leases", null, ex);
		}
	}

	@Override
	public void release(Lease lease) {
		boolean released = write("releasing", lease.lockId(),
				() -> this.client.updateItem(this.writes.release(lease.lockId(), lease.owner())));
		if (released) {
			this.sightings.forget(LockItem.hash(lease.lockId()));
		}
		logger.debug("Releasing lock '{}' held by {}: {}", lease.lockId(), lease.owner(),
				released ? "released" : "not held");
	}

	@Override
	public Set<ProviderCapability> capabilities() {
		return CAPABILITIES;
	}

	@Override
	public boolean forceRelease(String lockId) {
		return write("force-releasing", lockId, () -> this.client.updateItem(this.writes.forceRelease(lockId)));
	}

	@Override
	public Optional<BackendLock> inspect(String lockId) {
		LockItem item = read(lockId, "inspecting");
		return (item != null && item.isHeld()) ? Optional.of(backendLock(item)) : Optional.empty();
	}

	@Override
	public List<BackendLock> listLocks() {
		List<BackendLock> locks = new ArrayList<>();
		Map<String, AttributeValue> start = null;
		int scanned = 0;
		try {
			do {
				ScanResponse page = this.client.scan(ScanRequest.builder()
					.tableName(this.table.name())
					.consistentRead(true)
					.limit(Math.min(1000, MAX_LISTED_ITEMS - scanned))
					.exclusiveStartKey(start)
					.build());
				scanned += page.count();
				for (Map<String, AttributeValue> attributes : page.items()) {
					LockItem item = LockItem.from(attributes);
					if (item != null && item.isHeld()) {
						locks.add(backendLock(item));
					}
				}
				start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
			}
			while (start != null && scanned < MAX_LISTED_ITEMS);
		}
		catch (SdkException ex) {
			throw this.table.failed("listing locks in table '" + this.table.name() + "'", null, ex);
		}
		return locks;
	}

	@Override
	public void checkHealth() {
		this.table.checkActive(HEALTH_TIMEOUT);
	}

	private @Nullable LockItem read(String lockId, String operation) {
		try {
			return LockItem.from(this.client
				.getItem(GetItemRequest.builder().tableName(this.table.name()).key(LockItem.key(lockId)).consistentRead(true).build())
				.item());
		}
		catch (SdkException ex) {
			throw this.table.failed(operation, lockId, ex);
		}
	}

	/** Runs a conditional write: {@code false} if its condition failed. */
	private boolean write(String operation, String lockId, Runnable write) {
		try {
			write.run();
			return true;
		}
		catch (ConditionalCheckFailedException ex) {
			return false;
		}
		catch (SdkException ex) {
			throw this.table.failed(operation, lockId, ex);
		}
	}

	private static BackendLock backendLock(LockItem item) {
		Instant writtenAt = item.writtenAt();
		Instant expiresAt = (writtenAt != null) ? writtenAt.plusMillis(item.leaseMillis()) : null;
		return new BackendLock(item.lockId(), item.owner(), item.fencingToken(), expiresAt);
	}

}
