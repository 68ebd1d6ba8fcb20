package dev.distlock.it.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongPredicate;
import java.util.function.Predicate;
import java.util.stream.LongStream;

import dev.distlock.it.backend.Backend;

/**
 * Three worker processes on one backend, and the faults injected while they contend. Each fault
 * method injects one fault, waits until the workers are granted again, and records its window;
 * {@link #problems()} lists what went wrong (a hang, no recovery, tokens going back), and the
 * ledger says the rest (lost updates, refused late writes).
 */
public final class FaultRun implements AutoCloseable {

	/** The workers' lease: short, so that a fault outlives it within seconds. */
	public static final Duration LEASE = Duration.ofSeconds(2);

	/** One acquire's wait: a call must return within it (plus the backend's request timeout). */
	public static final Duration WAIT = Duration.ofSeconds(5);

	/** How long a frozen holder or backend stays frozen: past the lease. */
	static final Duration FREEZE = LEASE.plusMillis(1500);

	/** The bound on any recovery and on any call: beyond it the suite calls it a hang. */
	static final Duration HANG = Duration.ofSeconds(30);

	private static final int WORKERS = 3;

	/** Each worker's gap between its read and its write, inside the lock. */
	static final Duration WORK = Duration.ofMillis(50);

	private static final int FREEZE_ATTEMPTS = 3;

	/** Event times and lease expiries are read at slightly different moments of the same clock. */
	private static final long CLOCK_READING_TOLERANCE_MILLIS = 5;

	/** After a recovery, how long the fault's window stays open for the work that resumed. */
	private static final Duration SETTLE = Duration.ofSeconds(1);

	/**
	 * After a backend freeze, how long its window stays open for its aftermath: a ZooKeeper ensemble
	 * thawed after a freeze expires the sessions it heard nothing from, a lease or so later.
	 */
	private static final Duration AFTERMATH = LEASE.plus(SETTLE);

	/** A critical section lasts at least {@link #WORK}: one this young is surely still in progress. */
	private static final Duration JUST_GRANTED = Duration.ofMillis(10);

	private final Backend backend;

	private final LedgerAudit ledger;

	private final Path logs;

	private final String hot;

	private final List<String> locks;

	private final List<WorkerProcess> workers = new ArrayList<>();

	/** Every worker ever started, for the audit (a killed one's events stay). */
	private final List<WorkerProcess> everyWorker = new ArrayList<>();

	private final List<FaultWindow> windows = new ArrayList<>();

	private final List<String> problems = new ArrayList<>();

	private final List<String> starved = new ArrayList<>();

	private int started;

	public FaultRun(Backend backend, LedgerAudit ledger, Path logs) {
		this.backend = backend;
		this.ledger = ledger;
		this.logs = logs;
		String run = backend.provider() + "-" + Long.toString(System.currentTimeMillis(), 36);
		this.hot = "it:" + run + ":hot";
		this.locks = List.of(this.hot, "it:" + run + ":warm");
		ledger.seed(this.locks);
	}

	/** Starts the workers all at once, as a deployment does (each creates the provider's schema if missing). */
	public void start() {
		List<WorkerProcess> started = new ArrayList<>();
		for (int i = 0; i < WORKERS; i++) {
			started.add(startWorker());
		}
		started.forEach((worker) -> worker.awaitReady(HANG));
		long ready = System.currentTimeMillis();
		if (!Waiting.until(HANG, () -> this.workers.stream().allMatch((w) -> enteredSince(w, ready)))) {
			this.problems.add("not every worker was granted a lock within " + HANG + " of starting");
		}
	}

	/** Lets them contend without a fault for a while. */
	public void contend(Duration duration) {
		long from = System.currentTimeMillis();
		Waiting.sleep(duration);
		this.windows.add(new FaultWindow(FaultKind.CONTENTION, from, System.currentTimeMillis(), List.of()));
	}

	/** SIGKILLs a worker inside the hot lock; another must be granted it, then a fresh worker replaces it. */
	public void killHolder() {
		Optional<WorkerProcess> holder = awaitHolder();
		if (holder.isEmpty()) {
			return;
		}
		WorkerProcess killed = holder.get();
		long from = System.currentTimeMillis();
		killed.kill();
		log("killed " + killed.name() + " holding token " + killed.holding(this.hot).map(WorkerEvent::value).orElse(0L));
		this.workers.remove(killed);
		List<Long> recovery = new ArrayList<>();
		grantedAgain(this.hot, from, (w) -> true).ifPresentOrElse((at) -> recovery.add(at - from),
				() -> this.problems.add(FaultKind.HOLDER_KILLED + ": the hot lock was not granted within " + HANG
						+ " after its holder " + killed.name() + " was killed"));
		// A fresh worker replaces it; it joins while the next fault runs.
		startWorker();
		Waiting.sleep(SETTLE);
		this.windows.add(new FaultWindow(FaultKind.HOLDER_KILLED, from, System.currentTimeMillis(), recovery));
	}

	/**
	 * SIGSTOPs a worker inside the hot lock for longer than its lease, then SIGCONTs it: a lease
	 * provider grants the lock to another meanwhile, and the late write must be refused. A freeze
	 * that landed after the critical section ended (the signal takes a moment) is tried again.
	 */
	public void freezeHolder() {
		for (int attempt = 1; attempt <= FREEZE_ATTEMPTS; attempt++) {
			Optional<WorkerProcess> holder = awaitHolder();
			if (holder.isEmpty()) {
				return;
			}
			WorkerProcess frozen = holder.get();
			WorkerEvent enter = frozen.holding(this.hot).orElseThrow();
			long from = System.currentTimeMillis();
			frozen.freeze();
			log("froze " + frozen.name() + " holding token " + enter.value() + " (attempt " + attempt + ")");
			Waiting.sleep(FREEZE);
			frozen.thaw();
			log("thawed " + frozen.name());
			List<Long> recovery = new ArrayList<>();
			grantedAgain(this.hot, from, (w) -> w != frozen).ifPresentOrElse((at) -> recovery.add(at - from),
					() -> this.problems.add(FaultKind.HOLDER_FROZEN + ": no other worker was granted the hot lock within "
							+ HANG + " of freezing " + frozen.name()));
			awaitEveryWorkerGranted(FaultKind.HOLDER_FROZEN, System.currentTimeMillis());
			Predicate<WorkerEvent> itsExit = (e) -> e.is("EXIT") && e.value() == enter.value() && e.lock().equals(this.hot);
			boolean landed = Waiting.until(HANG, () -> !frozen.events(itsExit).isEmpty())
					&& frozen.events(itsExit).get(0).detail().startsWith("LATE_");
			boolean grantedDuringFreeze = !recovery.isEmpty() && recovery.get(0) < FREEZE.toMillis();
			if (landed && grantedDuringFreeze && !frozen.events(itsExit).get(0).detail().equals("LATE_STALE")) {
				this.problems.add(FaultKind.HOLDER_FROZEN + ": " + frozen.name() + " wrote late (token " + enter.value()
						+ ") after another holder was granted the lock during its freeze, and the fence let it through");
			}
			this.windows.add(new FaultWindow(FaultKind.HOLDER_FROZEN, from, System.currentTimeMillis(),
					landed ? recovery : List.of(), landed));
			if (landed) {
				return;
			}
			log("the freeze of " + frozen.name() + " came after its critical section ended: again");
		}
		this.problems.add(FaultKind.HOLDER_FROZEN + ": no freeze landed inside a critical section in "
				+ FREEZE_ATTEMPTS + " attempts");
	}

	/** The backend's restart; afterwards every worker must be granted again, with larger tokens. */
	public void restartBackend() {
		long from = System.currentTimeMillis();
		log("restarting the backend: " + this.backend.restartFault());
		this.backend.restart();
		long back = System.currentTimeMillis();
		log("backend back");
		List<Long> recovery = new ArrayList<>();
		grantedAgain(this.hot, back, (w) -> true).ifPresent((at) -> recovery.add(at - back));
		awaitEveryWorkerGranted(FaultKind.BACKEND_RESTARTED, back);
		checkTokensIncreased(FaultKind.BACKEND_RESTARTED, from, back);
		Waiting.sleep(SETTLE);
		this.windows.add(new FaultWindow(FaultKind.BACKEND_RESTARTED, from, System.currentTimeMillis(), recovery));
	}

	/**
	 * Ends every client session of a database backend (its locks go with them) while the server
	 * stays up; afterwards every worker must be granted again, with larger tokens.
	 */
	public void killSessions() {
		long from = System.currentTimeMillis();
		this.backend.killSessions();
		log("killed every client session");
		List<Long> recovery = new ArrayList<>();
		grantedAgain(this.hot, from, (w) -> true).ifPresent((at) -> recovery.add(at - from));
		awaitEveryWorkerGranted(FaultKind.SESSIONS_KILLED, from);
		checkTokensIncreased(FaultKind.SESSIONS_KILLED, from, from);
		Waiting.sleep(SETTLE);
		this.windows.add(new FaultWindow(FaultKind.SESSIONS_KILLED, from, System.currentTimeMillis(), recovery));
	}

	/** Whether the backend has client sessions to kill. */
	public boolean hasSessions() {
		return this.backend.hasSessions();
	}

	/** SIGSTOPs every server process past the lease, then SIGCONTs them; calls must return meanwhile. */
	public void freezeBackend() {
		List<Long> pids = this.backend.serverPids();
		long from = System.currentTimeMillis();
		pids.forEach(Signals::freeze);
		log("froze the backend's processes " + pids);
		Waiting.sleep(FREEZE);
		pids.forEach(Signals::thaw);
		log("thawed the backend");
		long thawed = System.currentTimeMillis();
		List<Long> recovery = new ArrayList<>();
		grantedAgain(this.hot, thawed, (w) -> true).ifPresent((at) -> recovery.add(at - thawed));
		awaitEveryWorkerGranted(FaultKind.BACKEND_FROZEN, thawed);
		Waiting.sleep(AFTERMATH);
		this.windows.add(new FaultWindow(FaultKind.BACKEND_FROZEN, from, System.currentTimeMillis(), recovery));
	}

	public String provider() {
		return this.backend.provider();
	}

	public String restartFault() {
		return this.backend.restartFault();
	}

	public List<String> locks() {
		return this.locks;
	}

	public List<FaultWindow> windows() {
		return this.windows;
	}

	/** Every event of every worker that ever ran. */
	public List<WorkerEvent> events(Predicate<WorkerEvent> filter) {
		return this.everyWorker.stream().flatMap((w) -> w.events(filter).stream()).toList();
	}

	public LedgerAudit ledger() {
		return this.ledger;
	}

	/** What went wrong beyond the ledger: hangs, no recovery, tokens going back, early grants. */
	public List<String> problems() {
		List<String> all = new ArrayList<>(this.problems);
		// Where the backend lost its locks (restarted empty, sessions ended; a ZooKeeper ensemble
		// thawed after a freeze expires sessions late) a holder's lease may still look valid to it
		// when another is granted: that is what fencing is for.
		List<FaultWindow> locksLost = this.windows.stream()
			.filter((w) -> w.kind() == FaultKind.BACKEND_RESTARTED || w.kind() == FaultKind.SESSIONS_KILLED
					|| w.kind() == FaultKind.BACKEND_FROZEN)
			.toList();
		if (!this.backend.leaseOutlivesItsBackendLease()) {
			for (String lock : this.locks) {
				earlyGrants(lock).stream()
					.filter((grant) -> locksLost.stream().noneMatch((w) -> w.contains(grant.at())))
					.forEach((grant) -> all.add("lock " + lock + " granted elsewhere before its holder's lease ran out: "
							+ grant.description()));
			}
		}
		long slowest = events((e) -> e.is("FAIL") || e.is("BUSY")).stream().mapToLong(WorkerEvent::value).max()
			.orElse(0);
		if (slowest > HANG.toMillis()) {
			all.add("a call took " + slowest + " ms to fail: longer than " + HANG);
		}
		return all;
	}

	@Override
	public void close() {
		this.everyWorker.forEach(WorkerProcess::close);
	}

	/**
	 * Grants, with a valid lease, that came while the previous holder of the lock was still inside
	 * with a lease it counted as valid: a lease must be declared lost (its local expiry) before the
	 * lock can be granted elsewhere. Holds are matched from each worker's ENTER and EXIT; a SIGKILLed holder
	 * (no EXIT) cannot write and is left out.
	 */
	public List<EarlyGrant> earlyGrants(String lock) {
		record Hold(String worker, long token, long entered, long exited, long expiry) {
		}
		List<Hold> holds = new ArrayList<>();
		for (WorkerProcess worker : this.everyWorker) {
			List<WorkerEvent> enters = worker.events((e) -> e.is("ENTER") && e.lock().equals(lock));
			List<WorkerEvent> exits = worker.events((e) -> e.is("EXIT") && e.lock().equals(lock));
			for (WorkerEvent exit : exits) {
				enters.stream().filter((e) -> e.value() == exit.value()).findFirst().ifPresent((enter) -> holds
					.add(new Hold(worker.name(), exit.value(), enter.at(), exit.at(), exit.leaseExpiry())));
			}
		}
		holds.sort(Comparator.comparingLong(Hold::entered));
		List<EarlyGrant> early = new ArrayList<>();
		for (int i = 0; i < holds.size(); i++) {
			Hold held = holds.get(i);
			for (int j = i + 1; j < holds.size() && holds.get(j).entered() < held.exited(); j++) {
				Hold next = holds.get(j);
				// Both must count their leases valid: a process frozen between its grant and its ENTER
				// line enters with a lease already run out, a stale holder that fencing stops.
				if (!next.worker().equals(held.worker()) && next.expiry() > next.entered()
						&& next.entered() < Math.min(held.exited(), held.expiry()) - CLOCK_READING_TOLERANCE_MILLIS) {
					early.add(new EarlyGrant(next.entered(), next.worker() + " (token " + next.token() + ") at "
							+ next.entered() + " while " + held.worker() + " (token " + held.token()
							+ ") held it until " + held.exited() + " with a lease to " + held.expiry()));
				}
			}
		}
		return early;
	}

	/**
	 * A grant while another process still held the lock with a lease it counted as valid.
	 * @param at when it was granted (epoch ms)
	 * @param description who, with which tokens
	 */
	public record EarlyGrant(long at, String description) {
	}

	/** Every token granted on the hot lock after {@code back} is above every one granted before {@code from}. */
	private void checkTokensIncreased(FaultKind fault, long from, long back) {
		long highestBefore = tokens(this.hot, (at) -> at < from).max().orElse(0);
		long lowestAfter = tokens(this.hot, (at) -> at >= back).min().orElse(Long.MAX_VALUE);
		if (lowestAfter <= highestBefore) {
			this.problems.add(fault + ": token " + lowestAfter + " granted on the hot lock after the fault is not"
					+ " above " + highestBefore + ", granted before it");
		}
	}

	/** The suite's own timeline, next to the workers' events (same clock). */
	private void log(String line) {
		System.out.println(System.currentTimeMillis() + " [" + provider() + "] " + line);
	}

	private WorkerProcess startWorker() {
		List<String> arguments = new ArrayList<>(this.backend.workerArguments());
		arguments.addAll(this.ledger.workerArguments());
		arguments.addAll(List.of("--worker.lock-ids=" + String.join(",", this.locks), "--worker.threads=8", "--worker.work-time=" + WORK.toMillis() + "ms",
				"--worker.lease-time=" + LEASE.toMillis() + "ms", "--worker.wait-time=" + WAIT.toMillis() + "ms"));
		WorkerProcess worker = WorkerProcess.start(provider() + "-w" + (++this.started), arguments, this.logs);
		this.workers.add(worker);
		this.everyWorker.add(worker);
		return worker;
	}

	/** A live worker inside the hot lock now (a random one of those, if several hold it in turn). */
	private Optional<WorkerProcess> awaitHolder() {
		List<WorkerProcess> candidates = new ArrayList<>(this.workers);
		long deadline = System.nanoTime() + HANG.toNanos();
		while (System.nanoTime() - deadline < 0) {
			int offset = ThreadLocalRandom.current().nextInt(candidates.size());
			for (int i = 0; i < candidates.size(); i++) {
				WorkerProcess worker = candidates.get((offset + i) % candidates.size());
				// Just granted, so the fault lands inside the critical section, not as it ends.
				long recent = System.currentTimeMillis() - JUST_GRANTED.toMillis();
				if (worker.isAlive() && worker.holding(this.hot).filter((enter) -> enter.at() >= recent).isPresent()) {
					return Optional.of(worker);
				}
			}
			Waiting.sleep(Duration.ofMillis(2));
		}
		this.problems.add("no worker held the hot lock for " + HANG + ": nothing to inject the fault into");
		return Optional.empty();
	}

	/** When a live worker matching {@code who} was next granted {@code lock} after {@code after}. */
	private OptionalLong grantedAgain(String lock, long after, Predicate<WorkerProcess> who) {
		long[] at = new long[1];
		boolean granted = Waiting.until(HANG, () -> {
			OptionalLong first = this.workers.stream()
				.filter(who)
				.flatMap((w) -> w.events((e) -> e.is("ENTER") && e.lock().equals(lock) && e.at() >= after).stream())
				.mapToLong(WorkerEvent::at)
				.min();
			first.ifPresent((value) -> at[0] = value);
			return first.isPresent();
		});
		return granted ? OptionalLong.of(at[0]) : OptionalLong.empty();
	}

	/**
	 * Waits until every live worker was granted a lock after the fault. One whose calls kept
	 * returning busy or failed meanwhile was starved, not hung: that is reported, not failed on (a
	 * fairness matter); one that reported nothing at all is hung.
	 */
	private void awaitEveryWorkerGranted(FaultKind fault, long after) {
		for (WorkerProcess worker : List.copyOf(this.workers)) {
			if (!Waiting.until(HANG, () -> enteredSince(worker, after))) {
				boolean callsReturned = !worker.events((e) -> (e.is("BUSY") || e.is("FAIL")) && e.at() >= after).isEmpty();
				if (callsReturned) {
					this.starved.add(fault + ": " + worker.name() + " was not granted any lock within " + HANG
							+ " after the fault; its calls returned busy or failed");
				}
				else {
					this.problems.add(fault + ": worker " + worker.name() + " reported nothing within " + HANG
							+ " after the fault (a hang)");
				}
			}
		}
	}

	/** Workers that were not granted within {@link #HANG} of a fault while their calls kept returning. */
	public List<String> starved() {
		return this.starved;
	}

	private static boolean enteredSince(WorkerProcess worker, long after) {
		return !worker.events((e) -> e.is("ENTER") && e.at() >= after).isEmpty();
	}

	private LongStream tokens(String lock, LongPredicate grantedAt) {
		return events((e) -> e.is("ENTER") && e.lock().equals(lock) && grantedAt.test(e.at())).stream()
			.mapToLong(WorkerEvent::value);
	}

}
