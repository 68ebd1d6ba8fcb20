package dev.distlock.autoconfigure.scheduling;

import java.time.Duration;
import java.util.Arrays;

/**
 * A leader candidate for crash tests: runs the {@link LeaderApplication} in a JVM of its own and
 * prints {@code RAN <term>} as each leader-only run starts, until it is killed. Arguments: the
 * group, the backend configuration class, then the backend's properties.
 */
public final class LeaderProcess {

	private LeaderProcess() {
	}

	public static void main(String[] args) throws Exception {
		LeaderRuns runs = new LeaderRuns((run) -> {
			System.out.println("RAN " + run.term());
			System.out.flush();
		});
		Class<?> backend = Class.forName(args[1]);
		new LeaderInstances(runs, args[0], new Class<?>[] { backend }, Arrays.copyOfRange(args, 2, args.length),
				(context) -> {
				}).start("child");
		Thread.sleep(Duration.ofMinutes(2).toMillis());
		System.exit(0);
	}

}
