package dev.distlock.sample;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.distlock.LockHandle;
import dev.distlock.LockRequest;
import dev.distlock.LockTemplate;

/**
 * A demo action for the status page: some slow work that holds a lock for a while, so the lock
 * shows up in {@code /actuator/locks}.
 */
@RestController
public class DemoController {

	private static final long MAX_SECONDS = 300;

	private final LockTemplate locks;

	private final AtomicLong holds = new AtomicLong();

	public DemoController(LockTemplate locks) {
		this.locks = locks;
	}

	/**
	 * Starts work on its own thread ({@code demo-hold-N}) that holds the lock {@code demo:hold-N} for
	 * the given number of seconds, and answers once the lock is granted.
	 */
	@PostMapping("/demo/hold")
	public Hold hold(@RequestParam(defaultValue = "15") long seconds) {
		if (seconds < 1 || seconds > MAX_SECONDS) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "seconds must be between 1 and " + MAX_SECONDS);
		}
		long number = this.holds.incrementAndGet();
		String lockId = "demo:hold-" + number;
		CompletableFuture<Hold> granted = new CompletableFuture<>();
		Thread worker = new Thread(() -> {
			try {
				this.locks.execute(LockRequest.of(lockId), (handle) -> {
					granted.complete(new Hold(lockId, handle.fencingToken(),
							handle.acquiredAt().plusSeconds(seconds).truncatedTo(ChronoUnit.MILLIS)));
					work(seconds);
					return null;
				});
			}
			catch (RuntimeException ex) {
				granted.completeExceptionally(ex);
			}
		}, "demo-hold-" + number);
		worker.setDaemon(true);
		worker.start();
		try {
			return granted.get(10, TimeUnit.SECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "Could not take the demo lock", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "Interrupted", ex);
		}
	}

	private static void work(long seconds) {
		try {
			TimeUnit.SECONDS.sleep(seconds);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * A demo lock being held.
	 *
	 * @param lock the lock id
	 * @param fencingToken its fencing token
	 * @param releaseAt about when the work ends and releases it
	 */
	public record Hold(String lock, long fencingToken, Instant releaseAt) {
	}

}
