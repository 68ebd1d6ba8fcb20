package dev.distlock;

/**
 * A {@code @DistributedLocked} attribute or a {@code distlock.*} property is invalid. Thrown while
 * the application context starts; the message names the method and attribute or the property.
 */
public class LockConfigurationException extends DistributedLockException {

	public LockConfigurationException(String message) {
		super(message);
	}

	public LockConfigurationException(String message, Throwable cause) {
		super(message, cause);
	}

}
