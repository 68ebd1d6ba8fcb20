package dev.distlock;

import org.springframework.context.ApplicationEvent;

/**
 * Published when a held lease is found lost: a renewal was refused or could not be confirmed
 * before the lease ran out, the backend session ended, or the lock was force-released. The holder
 * keeps running (unless {@code distlock.lease-lost.interrupt=true}); another instance may already
 * hold the lock with a higher fencing token.
 */
public class LeaseLostEvent extends ApplicationEvent {

	private final String lockId;

	private final long fencingToken;

	private final String reason;

	public LeaseLostEvent(Object source, String lockId, long fencingToken, String reason) {
		super(source);
		this.lockId = lockId;
		this.fencingToken = fencingToken;
		this.reason = reason;
	}

	/** The lock whose lease was lost. */
	public String getLockId() {
		return this.lockId;
	}

	/** The fencing token of the lost grant. */
	public long getFencingToken() {
		return this.fencingToken;
	}

	/** Why the lease is considered lost. */
	public String getReason() {
		return this.reason;
	}

	@Override
	public String toString() {
		return "LeaseLostEvent[lockId=" + this.lockId + ", fencingToken=" + this.fencingToken + ", reason=" + this.reason
				+ "]";
	}

}
