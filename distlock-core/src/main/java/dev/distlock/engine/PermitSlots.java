package dev.distlock.engine;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The backend locks behind one lock id with {@code permits} holders: a plain lock is its own single
 * slot; with N permits, the id has N slot locks {@code <id>#permit-<i>}, each an ordinary lock of the
 * provider, so every provider offers permits without code of its own. A grant holds exactly one slot,
 * so at most N owners hold the id at once.
 *
 * <p>Contenders start at a random slot and go round, so they do not all collide on slot 0.
 *
 * <p>Fencing: each slot's tokens strictly increase in the backend; the grant's token is
 * {@code slotToken * N + i}, so tokens never repeat for the id (two grants share neither slot and
 * token) and, per slot, keep increasing across grants, releases and expiries. Tokens of holders of
 * different slots are not ordered against each other: N holders at once are allowed, so a resource
 * cannot order them either.
 */
final class PermitSlots {

	/** The suffix that names a slot lock; lock ids ending in it are reserved. */
	static final String SLOT_SUFFIX = "#permit-";

	private final String lockId;

	private final int permits;

	PermitSlots(String lockId, int permits) {
		this.lockId = lockId;
		this.permits = permits;
	}

	int permits() {
		return this.permits;
	}

	/** Whether grants need a local claim on their slot: only with several slots. */
	boolean isShared() {
		return this.permits > 1;
	}

	/** The backend lock id of slot {@code i}. */
	String slotId(int slot) {
		return isShared() ? this.lockId + SLOT_SUFFIX + slot : this.lockId;
	}

	/** Where a contender starts going round the slots. */
	int startSlot() {
		return isShared() ? ThreadLocalRandom.current().nextInt(this.permits) : 0;
	}

	/** The fencing token of a grant of slot {@code i} whose slot lock has the given token. */
	long fencingToken(long slotToken, int slot) {
		return isShared() ? Math.multiplyExact(slotToken, (long) this.permits) + slot : slotToken;
	}

}
