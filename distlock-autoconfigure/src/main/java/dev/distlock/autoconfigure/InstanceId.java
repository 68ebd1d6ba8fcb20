package dev.distlock.autoconfigure;

import java.net.InetAddress;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The default {@code distlock.instance-id}: {@code host:pid:random}, unique per process start so a
 * restarted instance never mistakes an old grant for its own.
 */
final class InstanceId {

	private InstanceId() {
	}

	static String generate() {
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
