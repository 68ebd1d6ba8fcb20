package dev.distlock.autoconfigure.scheduling;

import java.time.Duration;
import java.util.Arrays;

/**
 * A claimer for crash tests: runs the {@link JobApplication} in a JVM of its own and prints
 * {@code RAN <tick>} as each run starts, until it is killed. Arguments: the backend configuration
 * class, the clock offset ({@code 900ms}), then the backend's properties.
 */
public final class SlotClaimerProcess {

	private SlotClaimerProcess() {
	}

	public static void main(String[] args) throws Exception {
		Class<?> backend = Class.forName(args[0]);
		Duration offset = org.springframework.boot.convert.DurationStyle.detectAndParse(args[1]);
		JobRuns runs = new JobRuns((run) -> {
			System.out.println("RAN " + run.tick());
			System.out.flush();
		});
		new JobInstances(runs, new Class<?>[] { backend }, Arrays.copyOfRange(args, 2, args.length), (context) -> {
		}).start("child", offset);
		Thread.sleep(Duration.ofMinutes(2).toMillis());
		System.exit(0);
	}

}
