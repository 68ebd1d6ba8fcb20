package dev.distlock;

/**
 * The lock was held by someone else for the whole wait time; the protected code did not run.
 */
public class LockNotAcquiredException extends DistributedLockException {

	private final String lockId;

	public LockNotAcquiredException(String lockId, String message) {
		super(message);
		this.lockId = lockId;
	}

	/** The id of the lock that was busy. */
	public String getLockId() {
		return this.lockId;
	}

}
