package dev.distlock.it.backend;

import java.time.Duration;

/** How long a degraded backend stays degraded before the next step of its fault. */
final class Pause {

	/** Long enough for workers to see the state (a minority down, then no quorum) and act on it. */
	static final Duration DEGRADED = Duration.ofSeconds(2);

	private Pause() {
	}

	static void forQuorumLossToShow() {
		ServerProcesses.sleep(DEGRADED);
	}

}
