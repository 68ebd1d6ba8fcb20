package dev.distlock;

/**
 * The lease of a held lock was lost (expired, refused on renewal, force-released, or its session
 * ended): another holder may already have been granted the lock with a higher fencing token.
 */
public class LeaseLostException extends DistributedLockException {

	public LeaseLostException(String message) {
		super(message);
	}

}
