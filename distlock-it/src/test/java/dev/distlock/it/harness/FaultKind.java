package dev.distlock.it.harness;

/** The faults the suite injects, in the order of one cycle. */
public enum FaultKind {

	/** No fault: 3 processes × 8 threads on two locks, the load every fault runs under. */
	CONTENTION("heavy contention, no fault"),

	/** SIGKILL of a process inside a critical section of the hot lock. */
	HOLDER_KILLED("holder SIGKILLed"),

	/** SIGSTOP of a holder for longer than its lease, then SIGCONT: it writes late. */
	HOLDER_FROZEN("holder SIGSTOPped past its lease"),

	/** The backend's restart (per backend: see its restart fault). */
	BACKEND_RESTARTED("backend restarted"),

	/** Every client session of a database backend ended, the server up ({@code pg_terminate_backend} / {@code KILL}). */
	SESSIONS_KILLED("lock sessions killed (server up)"),

	/** SIGSTOP of every server process for longer than a lease, then SIGCONT: a backend that stops answering. */
	BACKEND_FROZEN("backend SIGSTOPped past the lease");

	private final String description;

	FaultKind(String description) {
		this.description = description;
	}

	public String description() {
		return this.description;
	}

}
