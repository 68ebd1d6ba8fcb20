package dev.distlock;

/**
 * The lock backend failed or could not be reached. distlock fails closed: when this is thrown on
 * acquisition, the protected code did not run.
 */
public class LockBackendException extends DistributedLockException {

	public LockBackendException(String message) {
		super(message);
	}

	public LockBackendException(String message, Throwable cause) {
		super(message, cause);
	}

}
