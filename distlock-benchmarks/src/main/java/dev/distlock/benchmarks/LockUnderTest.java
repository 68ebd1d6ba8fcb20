package dev.distlock.benchmarks;

/**
 * One way of running a critical section under a distributed lock, as seen by one application
 * instance. Implementations must be thread-safe: several threads of the instance use it at once.
 */
interface LockUnderTest extends AutoCloseable {

	/**
	 * Acquires the lock (waiting as long as it takes), runs the section, releases the lock.
	 * @return how long acquiring took, in nanoseconds
	 */
	long runLocked(String key, Runnable section);

	@Override
	void close();

}
