package dev.distlock.it.harness;

/**
 * One line of a worker's report (see the worker's {@code WorkerEvents}).
 * @param at when the worker wrote it, epoch milliseconds (one machine, one clock)
 * @param type ENTER, EXIT, FAIL, BUSY, LOST or READY
 * @param thread the worker's thread, or -1
 * @param lock the lock concerned, or empty
 * @param value the fencing token (ENTER, EXIT), the elapsed milliseconds (FAIL, BUSY), the pid (READY)
 * @param detail EXIT's outcome, FAIL's exception, else empty
 * @param leaseExpiry EXIT's: when the holder's handle counted its lease as ending (epoch ms), else 0
 */
public record WorkerEvent(long at, String type, int thread, String lock, long value, String detail,
		long leaseExpiry) {

	WorkerEvent(long at, String type, int thread, String lock, long value, String detail) {
		this(at, type, thread, lock, value, detail, 0);
	}

	/** The event of a report line, or null for a line that is not one (a JVM warning, say). */
	static WorkerEvent parse(String line) {
		String[] f = line.split(" ");
		if (f.length < 3 || f[0].length() != 13 || !f[0].chars().allMatch(Character::isDigit)) {
			return null;
		}
		long at = Long.parseLong(f[0]);
		return switch (f[1]) {
			case "READY" -> new WorkerEvent(at, "READY", -1, "", Long.parseLong(f[2]), "");
			case "ENTER" -> new WorkerEvent(at, "ENTER", Integer.parseInt(f[2]), f[3], Long.parseLong(f[4]), "");
			case "EXIT" -> new WorkerEvent(at, "EXIT", Integer.parseInt(f[2]), f[3], Long.parseLong(f[4]), f[5],
					Long.parseLong(f[6]));
			case "FAIL" -> new WorkerEvent(at, "FAIL", Integer.parseInt(f[2]), f[3], Long.parseLong(f[4]), f[5]);
			case "BUSY" -> new WorkerEvent(at, "BUSY", Integer.parseInt(f[2]), f[3], Long.parseLong(f[4]), "");
			case "LOST" -> new WorkerEvent(at, "LOST", -1, f[2], 0, "");
			default -> null;
		};
	}

	boolean is(String eventType) {
		return this.type.equals(eventType);
	}

}
