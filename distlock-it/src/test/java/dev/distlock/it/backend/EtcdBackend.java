package dev.distlock.it.backend;

import java.util.List;
import java.util.stream.IntStream;

import dev.distlock.test.server.EtcdCluster;

/** The {@code etcd} provider on a private cluster of three members. */
public final class EtcdBackend implements Backend {

	private final EtcdCluster cluster = EtcdCluster.start(3);

	@Override
	public String provider() {
		return "etcd";
	}

	@Override
	public List<String> workerArguments() {
		return List.of("--distlock.provider=etcd", "--distlock.etcd.endpoints=" + this.cluster.endpoints(),
				"--distlock.etcd.session-ttl=2s", "--distlock.etcd.request-timeout=2s",
				Backend.exclude(NO_DATA_SOURCE, NO_REDIS));
	}

	@Override
	public String restartFault() {
		return "one member of 3 SIGKILLed, then a second (no quorum), both started again";
	}

	@Override
	public void restart() {
		this.cluster.kill(0);
		Pause.forQuorumLossToShow();
		this.cluster.kill(1);
		Pause.forQuorumLossToShow();
		this.cluster.startAgain(0);
		this.cluster.startAgain(1);
		IntStream.range(0, 3).forEach(this.cluster::awaitHealthy);
	}

	@Override
	public boolean leaseOutlivesItsBackendLease() {
		// A grant attaches its key to the session lease without renewing it: the key can expire up to a
		// keep-alive interval (TTL / 3) before the holder's handle counts its lease as ended.
		return true;
	}

	@Override
	public List<Long> serverPids() {
		return IntStream.range(0, 3).mapToObj(this.cluster::pid).toList();
	}

	@Override
	public void close() {
		this.cluster.close();
	}

}
