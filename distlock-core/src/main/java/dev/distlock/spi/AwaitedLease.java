package dev.distlock.spi;

/**
 * A lease granted by {@link LockProvider#awaitAcquire}, which may have waited in the backend: the
 * grant happened somewhere during the wait, so the provider says from when the engine may count it.
 *
 * @param lease the lease
 * @param confirmedNanos a {@link System#nanoTime()} reading taken no later than a moment at which the
 * backend is known to have held the lease for its owner (for example the start of the round trip that
 * drew the fencing token right after the grant); the lease's local expiry counts from it
 */
public record AwaitedLease(Lease lease, long confirmedNanos) {

}
