package dev.distlock.it.backend;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

import dev.distlock.test.server.LoopbackPort;

/**
 * One server process of the suite's own, on a free loopback port with its data in a temporary
 * directory: started, SIGKILLed and started again on the same data, removed at the end.
 */
final class PrivateServer implements AutoCloseable {

	private final String name;

	private final Path directory;

	private final int port = LoopbackPort.free();

	private final Function<PrivateServer, List<String>> command;

	private Process process;

	/**
	 * @param name names its directory and log
	 * @param command the server's command line, given this server (its port and directory)
	 */
	PrivateServer(String name, Function<PrivateServer, List<String>> command) {
		this.name = name;
		this.directory = ServerProcesses.temporaryDirectory("distlock-it-" + name + "-");
		this.command = command;
	}

	int port() {
		return this.port;
	}

	Path directory() {
		return this.directory;
	}

	long pid() {
		return this.process.pid();
	}

	/** Starts it and returns once its port accepts connections. */
	void start() {
		Path log = this.directory.resolve(this.name + ".log");
		this.process = ServerProcesses.launch(this.command.apply(this), log);
		ServerProcesses.awaitPort(this.port, this.process, log);
	}

	/** SIGKILL, as a crash would, then started again on its data. */
	void crashAndRestart() {
		ServerProcesses.kill(this.process);
		start();
	}

	@Override
	public void close() {
		if (this.process != null) {
			ServerProcesses.kill(this.process);
		}
		ServerProcesses.deleteQuietly(this.directory);
	}

}
