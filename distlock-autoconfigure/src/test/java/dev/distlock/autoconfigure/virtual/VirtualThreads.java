package dev.distlock.autoconfigure.virtual;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Virtual threads, reached reflectively: the tests compile for Java 17 (our baseline) and run only
 * on Java 21 and later.
 */
final class VirtualThreads {

	private VirtualThreads() {
	}

	/** A new virtual thread per task; closing it waits for the tasks, as Java 21's executor does. */
	static Executor newPerTaskExecutor() {
		try {
			return new Executor((ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null));
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("Virtual threads need Java 21 or later", ex);
		}
	}

	/** An executor that try-with-resources can close on Java 17's API. */
	record Executor(ExecutorService service) implements AutoCloseable {

		<T> Future<T> submit(Callable<T> task) {
			return this.service.submit(task);
		}

		@Override
		public void close() throws InterruptedException {
			this.service.shutdown();
			if (!this.service.awaitTermination(5, TimeUnit.MINUTES)) {
				throw new IllegalStateException("Virtual threads still running after 5 minutes");
			}
		}

	}

	static boolean isVirtual(Thread thread) {
		try {
			return (boolean) Thread.class.getMethod("isVirtual").invoke(thread);
		}
		catch (ReflectiveOperationException ex) {
			return false;
		}
	}

}
