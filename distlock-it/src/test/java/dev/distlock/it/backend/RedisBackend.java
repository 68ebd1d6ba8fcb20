package dev.distlock.it.backend;

import java.util.List;

import dev.distlock.test.server.RedisServerProcess;

/** The {@code redis} provider on a private, empty {@code redis-server} (no persistence: tokens come from its clock). */
public final class RedisBackend implements Backend {

	private final RedisServerProcess server = RedisServerProcess.start();

	@Override
	public String provider() {
		return "redis";
	}

	@Override
	public List<String> workerArguments() {
		return List.of("--distlock.provider=redis", "--spring.data.redis.url=" + this.server.url(),
				"--spring.data.redis.timeout=2s", Backend.exclude(NO_DATA_SOURCE));
	}

	@Override
	public String restartFault() {
		return "redis-server SIGKILLed, started again empty";
	}

	@Override
	public void restart() {
		this.server.restart();
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
