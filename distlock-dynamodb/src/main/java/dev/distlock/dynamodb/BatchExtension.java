package dev.distlock.dynamodb;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.distlock.spi.Lease;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Renews many leases with {@code TransactWriteItems}, {@value #ITEMS_PER_TRANSACTION} per call
 * (DynamoDB's limit): 1,000 held leases take 10 round trips. A transaction is all or nothing, so
 * when one of its leases was lost DynamoDB cancels it and says which condition failed: those are
 * lost, and the rest are renewed again one by one (a rare path: a lost lease). A server without
 * transactions (such as dynalite) gets single conditional writes instead, decided once.
 */
final class BatchExtension {

	static final int ITEMS_PER_TRANSACTION = 100;

	private static final Logger logger = LoggerFactory.getLogger(BatchExtension.class);

	private final DynamoDbClient client;

	private final LockWrites writes;

	private final Sightings sightings;

	private final DynamoDbLockProvider single;

	private volatile boolean transactionsUnsupported;

	BatchExtension(DynamoDbClient client, LockWrites writes, Sightings sightings, DynamoDbLockProvider single) {
		this.client = client;
		this.writes = writes;
		this.sightings = sightings;
		this.single = single;
	}

	Set<Lease> extend(Collection<Lease> leases) {
		Set<Lease> held = new LinkedHashSet<>();
		List<Lease> chunk = new ArrayList<>(ITEMS_PER_TRANSACTION);
		for (Lease lease : leases) {
			chunk.add(lease);
			if (chunk.size() == ITEMS_PER_TRANSACTION) {
				held.addAll(extendChunk(chunk));
				chunk.clear();
			}
		}
		if (!chunk.isEmpty()) {
			held.addAll(extendChunk(chunk));
		}
		return held;
	}

	private Set<Lease> extendChunk(List<Lease> chunk) {
		if (this.transactionsUnsupported || chunk.size() == 1 || hasDuplicateLocks(chunk)) {
			return oneByOne(chunk);
		}
		List<TransactWriteItem> items = new ArrayList<>(chunk.size());
		List<String> versions = new ArrayList<>(chunk.size());
		for (Lease lease : chunk) {
			String version = LockWrites.newVersion();
			versions.add(version);
			items.add(TransactWriteItem.builder()
				.update(this.writes.extendInTransaction(lease.lockId(), lease.owner(), version,
						LockWrites.leaseMillis(lease.leaseTime())))
				.build());
		}
		long sent = this.sightings.now();
		try {
			this.client.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(items).build());
		}
		catch (TransactionCanceledException ex) {
			return afterCancellation(chunk, ex.cancellationReasons());
		}
		catch (DynamoDbException ex) {
			if (ex.awsErrorDetails() != null && "UnknownOperationException".equals(ex.awsErrorDetails().errorCode())) {
				logger.debug("The DynamoDB endpoint has no TransactWriteItems: renewing leases one by one");
				this.transactionsUnsupported = true;
				return oneByOne(chunk);
			}
			throw ex;
		}
		for (int i = 0; i < chunk.size(); i++) {
			Lease lease = chunk.get(i);
			this.sightings.wrote(LockItem.hash(lease.lockId()), versions.get(i), LockWrites.leaseMillis(lease.leaseTime()),
					sent);
		}
		return new LinkedHashSet<>(chunk);
	}

	private Set<Lease> afterCancellation(List<Lease> chunk, List<CancellationReason> reasons) {
		List<Lease> retry = new ArrayList<>();
		for (int i = 0; i < chunk.size(); i++) {
			String code = (i < reasons.size()) ? reasons.get(i).code() : null;
			if (!"ConditionalCheckFailed".equals(code)) {
				retry.add(chunk.get(i));
			}
		}
		return oneByOne(retry);
	}

	private Set<Lease> oneByOne(List<Lease> leases) {
		Set<Lease> held = new LinkedHashSet<>();
		for (Lease lease : leases) {
			if (this.single.extend(lease, lease.leaseTime())) {
				held.add(lease);
			}
		}
		return held;
	}

	/** A transaction may not touch one item twice. */
	private static boolean hasDuplicateLocks(List<Lease> chunk) {
		return chunk.stream().map(Lease::lockId).distinct().count() < chunk.size();
	}

}
