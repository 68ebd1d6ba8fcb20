package dev.distlock.test.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * A TCP port on loopback that nothing listens on, for a server a test starts, stops and starts
 * again on the same port, or for a client that must find nothing there.
 */
public final class LoopbackPort {

	private LoopbackPort() {
	}

	/** A port free at the time of the call (another process could take it before the test does). */
	public static int free() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No free port on loopback", ex);
		}
	}

}
