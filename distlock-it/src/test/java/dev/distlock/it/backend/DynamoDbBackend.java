package dev.distlock.it.backend;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code dynamodb} provider on a private dynalite (the DynamoDB API, open source, from npm;
 * {@code scripts/ensure-services.sh} installs it) keeping its tables on disk, so a restart keeps
 * the lock items as DynamoDB would.
 */
public final class DynamoDbBackend implements Backend {

	private final Path cli = Path.of(System.getenv().getOrDefault("DISTLOCK_DYNALITE_DIR",
			System.getProperty("user.home") + "/.cache/distlock/dynalite"), "node_modules", "dynalite", "cli.js");

	private final PrivateServer server = new PrivateServer("dynalite",
			(server) -> List.of("node", this.cli.toString(), "--host", "127.0.0.1", "--port",
					String.valueOf(server.port()), "--path", server.directory().resolve("data").toString()));

	public DynamoDbBackend() {
		if (!Files.isRegularFile(this.cli)) {
			this.server.close();
			throw new IllegalStateException("dynalite is not installed at " + this.cli
					+ ": run scripts/ensure-services.sh (or set DISTLOCK_DYNALITE_DIR)");
		}
		this.server.start();
	}

	@Override
	public String provider() {
		return "dynamodb";
	}

	@Override
	public List<String> workerArguments() {
		return List.of("--distlock.provider=dynamodb", "--worker.dynamodb-endpoint=http://127.0.0.1:" + this.server.port(),
				"--distlock.dynamodb.table-name=it_lock", "--distlock.dynamodb.create-table=true",
				Backend.exclude(NO_DATA_SOURCE, NO_REDIS));
	}

	@Override
	public String restartFault() {
		return "dynalite SIGKILLed, started again on its data";
	}

	@Override
	public void restart() {
		this.server.crashAndRestart();
	}

	@Override
	public List<Long> serverPids() {
		return List.of(this.server.pid());
	}

	@Override
	public void close() {
		this.server.close();
	}

}
