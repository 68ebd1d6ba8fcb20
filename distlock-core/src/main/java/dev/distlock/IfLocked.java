package dev.distlock;

/**
 * What a {@link DistributedLocked} method does when its lock stays busy for the whole wait time.
 */
public enum IfLocked {

	/** {@link #THROW} on ordinary methods, {@link #SKIP} on {@code @Scheduled} methods. */
	DEFAULT,

	/** Throw {@link LockNotAcquiredException}. */
	THROW,

	/**
	 * Do not run the method; return {@code null}, {@code Optional.empty()}, an empty reactive type,
	 * a completed future of {@code null}, or the primitive's zero.
	 */
	SKIP

}
