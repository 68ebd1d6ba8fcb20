package dev.distlock.it.backend;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.distlock.test.server.RedisServerProcess;

/** The {@code redlock} provider on three private, independent {@code redis-server}s. */
public final class RedlockBackend implements Backend {

	private final List<RedisServerProcess> masters = IntStream.range(0, 3)
		.mapToObj((i) -> RedisServerProcess.start())
		.toList();

	@Override
	public String provider() {
		return "redlock";
	}

	@Override
	public List<String> workerArguments() {
		return List.of("--distlock.provider=redlock",
				"--distlock.redlock.nodes="
						+ this.masters.stream().map(RedisServerProcess::url).collect(Collectors.joining(",")),
				Backend.exclude(NO_DATA_SOURCE, NO_REDIS));
	}

	@Override
	public String restartFault() {
		return "all 3 masters SIGKILLed, started again empty";
	}

	@Override
	public void restart() {
		this.masters.forEach(RedisServerProcess::kill);
		this.masters.forEach(RedisServerProcess::startAgain);
	}

	@Override
	public List<Long> serverPids() {
		return this.masters.stream().map(RedisServerProcess::pid).toList();
	}

	@Override
	public void close() {
		this.masters.forEach(RedisServerProcess::close);
	}

}
