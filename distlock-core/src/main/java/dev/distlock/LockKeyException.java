package dev.distlock;

/**
 * The {@code key} expression of a {@code @DistributedLocked} method produced null, a blank value or
 * failed to evaluate for the current call. The method did not run.
 */
public class LockKeyException extends DistributedLockException {

	public LockKeyException(String message) {
		super(message);
	}

	public LockKeyException(String message, Throwable cause) {
		super(message, cause);
	}

}
