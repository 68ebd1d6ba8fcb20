package dev.distlock.it.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;

import dev.distlock.LeaseLostEvent;
import dev.distlock.LockHandle;
import dev.distlock.LockNotAcquiredException;
import dev.distlock.LockRequest;
import dev.distlock.LockTemplate;

/**
 * The worker's threads: each takes a random one of the lock ids, makes the ledger's
 * read-modify-write while it holds it, and starts over, until the process ends (the suite kills or
 * stops it). A failure is reported and the thread goes on after a short pause, as an application's
 * request loop would: faults must not stop the worker, only fail its calls.
 */
final class ContendingWorker implements SmartLifecycle {

	/** After a failed call: keeps a worker that fails fast (backend down) from spinning. */
	private static final Duration PAUSE_AFTER_FAILURE = Duration.ofMillis(50);

	private final LockTemplate locks;

	private final FencedLedger ledger;

	private final WorkerSettings settings;

	private final WorkerEvents events;

	private final List<Thread> threads = new ArrayList<>();

	private volatile boolean running;

	ContendingWorker(LockTemplate locks, FencedLedger ledger, WorkerSettings settings, WorkerEvents events) {
		this.locks = locks;
		this.ledger = ledger;
		this.settings = settings;
		this.events = events;
	}

	@Override
	public void start() {
		this.running = true;
		for (int i = 0; i < this.settings.threads(); i++) {
			int number = i;
			Thread thread = new Thread(() -> contend(number), "contender-" + i);
			this.threads.add(thread);
			thread.start();
		}
		this.events.ready(ProcessHandle.current().pid());
	}

	@Override
	public void stop() {
		this.running = false;
		this.threads.forEach(Thread::interrupt);
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@EventListener
	void leaseLost(LeaseLostEvent event) {
		this.events.lost(event.getLockId());
	}

	private void contend(int thread) {
		List<String> lockIds = this.settings.lockIds();
		while (this.running) {
			String lock = lockIds.get(ThreadLocalRandom.current().nextInt(lockIds.size()));
			long started = System.nanoTime();
			try {
				this.locks.execute(LockRequest.of(lock).leaseTime(this.settings.leaseTime())
					.waitTime(this.settings.waitTime()), (handle) -> criticalSection(thread, lock, handle));
			}
			catch (LockNotAcquiredException ex) {
				this.events.busy(thread, lock, elapsedMillis(started));
			}
			catch (RuntimeException ex) {
				if (!this.running) {
					return;
				}
				this.events.fail(thread, lock, elapsedMillis(started), ex);
				pause();
			}
		}
	}

	private Void criticalSection(int thread, String lock, LockHandle handle) {
		long token = handle.fencingToken();
		long entered = System.nanoTime();
		this.events.enter(thread, lock, token);
		long value = this.ledger.read(lock, token, isLate(entered));
		if (value < 0) {
			this.events.exit(thread, lock, token, (isLate(entered) ? "LATE_" : "") + "STALE", handle.expiresAt());
			return null;
		}
		// The gap that makes read-modify-write unsafe without mutual exclusion: a holder frozen
		// here past its lease writes late, after the next holder.
		sleep(this.settings.workTime());
		boolean late = isLate(entered);
		boolean accepted = this.ledger.write(lock, value, token, late);
		this.events.exit(thread, lock, token, (late ? "LATE_" : "") + (accepted ? "WRITTEN" : "STALE"),
				handle.expiresAt());
		return null;
	}

	/** Whether the critical section has outlived its lease (the holder was frozen). */
	private boolean isLate(long enteredNanos) {
		return System.nanoTime() - enteredNanos > this.settings.leaseTime().toNanos();
	}

	private void pause() {
		try {
			sleep(PAUSE_AFTER_FAILURE);
		}
		catch (IllegalStateException ex) {
			// Interrupted: the context is closing.
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted: the worker is stopping", ex);
		}
	}

	private static long elapsedMillis(long startedNanos) {
		return (System.nanoTime() - startedNanos) / 1_000_000;
	}

}
