package dev.distlock.etcd;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.distlock.LockBackendException;

/**
 * Waits for jetcd's futures at most the request timeout, so that no call hangs when the cluster has
 * no quorum or cannot be reached (jetcd itself would keep retrying), and turns failures into
 * {@link LockBackendException}s that name the action and the endpoints.
 */
final class EtcdCalls {

	private final Duration timeout;

	private final String endpoints;

	EtcdCalls(Duration timeout, String endpoints) {
		if (timeout.isZero() || timeout.isNegative()) {
			throw new IllegalArgumentException("The etcd request timeout must be positive, was " + timeout);
		}
		this.timeout = timeout;
		this.endpoints = endpoints;
	}

	Duration timeout() {
		return this.timeout;
	}

	String endpoints() {
		return this.endpoints;
	}

	/**
	 * The result of the call, or a {@link LockBackendException} once the timeout passed (the call is
	 * then cancelled; a write may or may not have been applied).
	 */
	<T> T await(String action, CompletableFuture<T> call) {
		try {
			return call.get(this.timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			call.cancel(true);
			throw new LockBackendException("Could not " + action + " on etcd at " + this.endpoints + ": no answer within "
					+ this.timeout + " (members down, or no quorum)", ex);
		}
		catch (InterruptedException ex) {
			call.cancel(true);
			Thread.currentThread().interrupt();
			throw new LockBackendException("Interrupted while trying to " + action + " on etcd at " + this.endpoints, ex);
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw new LockBackendException("Could not " + action + " on etcd at " + this.endpoints + ": " + cause, cause);
		}
	}

	/** Whether etcd answered that a lease does not exist (expired or revoked). */
	static boolean isLeaseNotFound(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			String message = cause.getMessage();
			if (message != null && message.toLowerCase(Locale.ROOT).contains("lease not found")) {
				return true;
			}
		}
		return false;
	}

}
