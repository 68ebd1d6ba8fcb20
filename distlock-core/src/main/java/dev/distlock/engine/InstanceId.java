package dev.distlock.engine;

import java.net.InetAddress;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The default {@code distlock.instance-id}: {@code host:pid:random}, unique per process start so a
 * restarted instance never mistakes an old grant for its own.
 */
public final class InstanceId {

	private InstanceId() {
	}

	/** A new id: {@code host:pid:random}. */
	public static String generate() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (Exception ex) {
			host = "unknown-host";
		}
		byte[] random = new byte[3];
		ThreadLocalRandom.current().nextBytes(random);
		return host + ":" + ProcessHandle.current().pid() + ":" + HexFormat.of().formatHex(random);
	}

}
