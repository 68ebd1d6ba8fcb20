package dev.distlock.it.backend;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.distlock.test.server.LoopbackPort;

/**
 * The {@code dynamodb} provider on a private dynalite (the DynamoDB API, open source, from npm;
 * {@code scripts/ensure-services.sh} installs it) keeping its tables on disk, so a restart keeps
 * the lock items as DynamoDB would.
 */
public final class DynamoDbBackend implements Backend {

	private final Path cli = Path.of(System.getenv().getOrDefault("DISTLOCK_DYNALITE_DIR",
			System.getProperty("user.home") + "/.cache/distlock/dynalite"), "node_modules", "dynalite", "cli.js");

	private final Path directory = ServerProcesses.temporaryDirectory("distlock-it-dynalite-");

	private final int port = LoopbackPort.free();

	private Process server;

	public DynamoDbBackend() {
		if (!Files.isRegularFile(this.cli)) {
			throw new IllegalStateException("dynalite is not installed at " + this.cli
					+ ": run scripts/ensure-services.sh (or set DISTLOCK_DYNALITE_DIR)");
		}
		start();
	}

	@Override
	public String provider() {
		return "dynamodb";
	}

	@Override
	public List<String> workerArguments() {
		return List.of("--distlock.provider=dynamodb", "--worker.dynamodb-endpoint=http://127.0.0.1:" + this.port,
				"--distlock.dynamodb.table-name=it_lock", "--distlock.dynamodb.create-table=true",
				Backend.exclude(NO_DATA_SOURCE, NO_REDIS));
	}

	@Override
	public String restartFault() {
		return "dynalite SIGKILLed, started again on its data";
	}

	@Override
	public void restart() {
		ServerProcesses.kill(this.server);
		start();
	}

	@Override
	public List<Long> serverPids() {
		return List.of(this.server.pid());
	}

	@Override
	public void close() {
		ServerProcesses.kill(this.server);
		ServerProcesses.deleteQuietly(this.directory);
	}

	private void start() {
		Path log = this.directory.resolve("dynalite.log");
		this.server = ServerProcesses.launch(List.of("node", this.cli.toString(), "--host", "127.0.0.1", "--port",
				String.valueOf(this.port), "--path", this.directory.resolve("data").toString()), log);
		ServerProcesses.awaitPort(this.port, this.server, log);
	}

}
