package dev.distlock.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A reentrant acquisition by the thread that already holds the grant: same lease, same fencing
 * token, no backend call; closing it releases nothing.
 */
final class Reentry implements EngineLockHandle {

	private final Grant grant;

	private final AtomicBoolean closed = new AtomicBoolean();

	Reentry(Grant grant) {
		this.grant = grant;
	}

	@Override
	public String lockId() {
		return this.grant.lockId();
	}

	@Override
	public long fencingToken() {
		return this.grant.fencingToken();
	}

	@Override
	public Instant acquiredAt() {
		return this.grant.acquiredAt();
	}

	@Override
	public Instant expiresAt() {
		return this.grant.expiresAt();
	}

	@Override
	public boolean isValid() {
		return !this.closed.get() && this.grant.isValid();
	}

	@Override
	public void checkValid() {
		this.grant.checkValid();
	}

	/** Renews the outer grant: a re-entry shares its lease. */
	@Override
	public boolean extend(Duration leaseTime) {
		if (this.closed.get()) {
			return false;
		}
		return this.grant.extend(leaseTime);
	}

	@Override
	public void close() {
		if (this.closed.compareAndSet(false, true)) {
			ThreadLockStack.remove(this);
		}
	}

	@Override
	public boolean isClosed() {
		return this.closed.get() || this.grant.isClosed();
	}

	@Override
	public String toString() {
		return "LockHandle[" + lockId() + ", fencingToken=" + fencingToken() + ", reentrant]";
	}

}
