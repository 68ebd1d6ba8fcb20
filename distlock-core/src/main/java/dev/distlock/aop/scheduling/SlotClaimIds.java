package dev.distlock.aop.scheduling;

import java.time.Duration;

/**
 * Lock ids of slot claims: {@code <job lock id>@<n>}, where {@code n} is the slot's epoch
 * milliseconds modulo a ring of a few minutes at most. Backends that keep a row per lock id
 * ({@code jdbc-table}, {@code mysql}) then hold a bounded set of rows per job instead of one per tick
 * forever. Two slots share an id only if they are a whole ring apart, and the ring is longer than
 * twice a claim's whole life (its slot span, the skew on both sides and the margin), so the older
 * claim has always ended before the newer one is taken.
 */
final class SlotClaimIds {

	private static final long MINUTE_MILLIS = Duration.ofMinutes(1).toMillis();

	private SlotClaimIds() {
	}

	/**
	 * @param lockId the job's lock id
	 * @param slot the slot claimed
	 * @param claimLife the longest a claim lives past its fire time, skew on both sides included
	 */
	static String of(String lockId, FireSlot slot, Duration claimLife) {
		long needed = 2 * claimLife.toMillis();
		long ring = Math.max(1, (needed + MINUTE_MILLIS - 1) / MINUTE_MILLIS) * MINUTE_MILLIS;
		return lockId + "@" + Math.floorMod(slot.fireTime().toEpochMilli(), ring);
	}

}
