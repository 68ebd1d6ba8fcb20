package dev.distlock.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.distlock.LockRequest;
import dev.distlock.LockTemplate;
import dev.distlock.StaleFencingTokenException;

/**
 * The body of a lock holder in a child JVM for {@link FencedResourceContractTest}: a backend's own
 * {@code main} builds its lock template and fenced write, then calls {@link #run}. The holder takes
 * the lock with a short lease, prints {@code HELD <token>}, and waits inside the lock for a line on
 * standard input (the test stops it with SIGSTOP meanwhile, so its lease runs out). On that line it
 * makes its fenced write and prints {@code WRITTEN} or {@code STALE <stored token>}.
 */
public final class FencedHolderProcess {

	/** The holder's lease: the test freezes it for longer than this. */
	public static final Duration LEASE = Duration.ofSeconds(1);

	private FencedHolderProcess() {
	}

	/**
	 * Holds {@code lockId} and makes {@code fencedWrite} when told to, as described above.
	 * @param locks the holder's lock template
	 * @param lockId the lock both holders take
	 * @param fencedWrite checks the resource with the current lock's token and writes
	 */
	public static void run(LockTemplate locks, String lockId, Runnable fencedWrite) {
		BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		String outcome = locks.execute(LockRequest.of(lockId).leaseTime(LEASE), (handle) -> {
			System.out.println("HELD " + handle.fencingToken());
			System.out.flush();
			awaitLine(input);
			try {
				fencedWrite.run();
				return "WRITTEN";
			}
			catch (StaleFencingTokenException ex) {
				return "STALE " + ex.getStoredToken();
			}
		});
		System.out.println(outcome);
		System.out.flush();
	}

	private static void awaitLine(BufferedReader input) {
		try {
			if (input.readLine() == null) {
				throw new IllegalStateException("standard input closed before the test said WRITE");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
