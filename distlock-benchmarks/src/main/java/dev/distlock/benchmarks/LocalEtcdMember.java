package dev.distlock.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A private single-member etcd ({@code etcd} from Debian's {@code etcd-server} on the PATH) on free
 * loopback ports with a temporary data directory, started on first use unless
 * {@code --etcd-endpoints} names a cluster, and stopped when the JVM exits.
 */
final class LocalEtcdMember {

	private static String endpoint;

	private LocalEtcdMember() {
	}

	static synchronized String endpoints(String configured) {
		if (!configured.isEmpty()) {
			return configured;
		}
		if (endpoint == null) {
			endpoint = start();
		}
		return endpoint;
	}

	private static String start() {
		try {
			Path data = Files.createTempDirectory("distlock-bench-etcd");
			int client = freePort();
			int peer = freePort();
			String clientUrl = "http://127.0.0.1:" + client;
			String peerUrl = "http://127.0.0.1:" + peer;
			Process process = new ProcessBuilder(List.of("etcd", "--name", "bench", "--data-dir", data.toString(),
					"--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl, "--listen-peer-urls",
					peerUrl, "--initial-advertise-peer-urls", peerUrl, "--initial-cluster", "bench=" + peerUrl))
				.redirectErrorStream(true)
				.redirectOutput(data.resolve("etcd.log").toFile())
				.start();
			Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
			awaitPort(client, process);
			return clientUrl;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start etcd (is Debian's etcd-server installed?)", ex);
		}
	}

	private static void awaitPort(int port, Process process) {
		long deadline = System.nanoTime() + 30_000_000_000L;
		while (System.nanoTime() < deadline && process.isAlive()) {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
				return;
			}
			catch (IOException ex) {
				try {
					Thread.sleep(100);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					break;
				}
			}
		}
		throw new IllegalStateException("etcd did not start listening on port " + port);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
