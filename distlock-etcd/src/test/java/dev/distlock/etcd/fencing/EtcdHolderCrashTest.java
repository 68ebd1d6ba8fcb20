package dev.distlock.etcd.fencing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.distlock.LockHandle;
import dev.distlock.LockRequest;
import dev.distlock.engine.EngineSettings;
import dev.distlock.engine.LeaseWatchdog;
import dev.distlock.engine.LockEngine;
import dev.distlock.engine.LockEngineObserver;
import dev.distlock.etcd.EtcdLockProvider;
import dev.distlock.test.server.EtcdCluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A holder in a child JVM is SIGKILLed: its etcd session lease is no longer kept alive, etcd deletes
 * its key when the TTL runs out, and a waiter in another instance is woken by the watch and granted
 * the lock with a larger token — not before the lease could have run out, and soon after. The
 * measured handover is logged.
 */
class EtcdHolderCrashTest {

	private static final Logger logger = LoggerFactory.getLogger(EtcdHolderCrashTest.class);

	private EtcdCluster etcd;

	private EtcdLockProvider provider;

	private LeaseWatchdog watchdog;

	private Process holder;

	@BeforeEach
	void start() {
		assumeTrue(EtcdCluster.isOnPath(), "etcd is not on the PATH (scripts/ensure-services.sh installs it)");
		this.etcd = EtcdCluster.start(1);
		this.provider = EtcdLockProvider.connect(this.etcd.endpoints(), EtcdFencedResourceTest.KEY_PREFIX,
				EtcdFencedResourceTest.SESSION_TTL, EtcdLockProvider.DEFAULT_REQUEST_TIMEOUT);
		this.watchdog = new LeaseWatchdog();
	}

	@AfterEach
	void stop() throws Exception {
		if (this.holder != null) {
			this.holder.destroyForcibly();
			this.holder.waitFor(10, TimeUnit.SECONDS);
		}
		this.watchdog.close();
		this.provider.close();
		this.etcd.close();
	}

	@Test
	void aKilledHoldersLockIsGrantedToAWaiterOnceItsSessionLeaseExpires() throws Exception {
		String lockId = "crash-" + UUID.randomUUID();
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-cp", System.getProperty("java.class.path"), EtcdCrashingHolderProcess.class.getName(),
				this.etcd.endpoints(), lockId));
		this.holder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
		BufferedReader output = new BufferedReader(new InputStreamReader(this.holder.getInputStream(), StandardCharsets.UTF_8));
		String held = CompletableFuture.supplyAsync(() -> {
			try {
				return output.readLine();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}).get(90, TimeUnit.SECONDS);
		assertThat(held).startsWith("HELD ");
		long firstToken = Long.parseLong(held.substring("HELD ".length()).strip());

		LockEngine engine = new LockEngine(this.provider, this.watchdog, EngineSettings.defaults("survivor"),
				LockEngineObserver.NOOP);
		// Held for longer than the session TTL: the lock lives as long as the holder's session.
		Thread.sleep(EtcdFencedResourceTest.SESSION_TTL.plusSeconds(1).toMillis());
		assertThat(this.provider.inspect(lockId)).as("still held while the holder lives").isPresent();
		this.holder.destroyForcibly();
		long killedAt = System.nanoTime();
		try (LockHandle second = engine.acquire(LockRequest.of(lockId).waitTime(Duration.ofSeconds(60)))) {
			Duration handover = Duration.ofNanos(System.nanoTime() - killedAt);
			logger.info("etcd handover after SIGKILL of the holder: {} ms (session TTL {} s)", handover.toMillis(),
					EtcdFencedResourceTest.SESSION_TTL.toSeconds());
			assertThat(second.fencingToken()).isGreaterThan(firstToken);
			// The last keep-alive was at most a third of the TTL before the kill: the key lived at least
			// the rest of it. And etcd expires it within the TTL, plus one expiry check and slack.
			assertThat(handover).isGreaterThan(EtcdFencedResourceTest.SESSION_TTL.dividedBy(2))
				.isLessThan(EtcdFencedResourceTest.SESSION_TTL.plusSeconds(5));
		}
	}

}
