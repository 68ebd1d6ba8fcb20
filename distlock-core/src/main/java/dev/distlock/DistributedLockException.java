package dev.distlock;

/**
 * Root of every exception distlock throws. Unchecked, so a protected method's signature does not
 * change when it becomes protected.
 */
public class DistributedLockException extends RuntimeException {

	public DistributedLockException(String message) {
		super(message);
	}

	public DistributedLockException(String message, Throwable cause) {
		super(message, cause);
	}

}
