package dev.distlock.actuate;

import java.security.Principal;
import java.time.Clock;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.distlock.LockHandle;
import dev.distlock.LockRequest;
import dev.distlock.actuate.LocksEndpoint.ForceReleaseDescriptor;
import dev.distlock.actuate.LocksEndpoint.ForceReleaseOutcome;
import dev.distlock.actuate.LocksEndpoint.HeldLockDescriptor;
import dev.distlock.actuate.LocksEndpoint.LocksDescriptor;
import dev.distlock.engine.EngineSettings;
import dev.distlock.engine.LeaseWatchdog;
import dev.distlock.engine.LockEngine;
import dev.distlock.engine.LockEngineObserver;
import dev.distlock.engine.LockEngines;
import dev.distlock.memory.InMemoryLockProvider;
import dev.distlock.spi.ForwardingLockProvider;
import dev.distlock.spi.LockProvider;
import dev.distlock.spi.ProviderCapability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What the endpoint does apart from HTTP (which {@link LocksEndpointHttpTests} covers): the audit
 * log names the principal, several providers, providers that cannot force-release.
 */
@ExtendWith(OutputCaptureExtension.class)
class LocksEndpointTests {

	private final LeaseWatchdog watchdog = new LeaseWatchdog(Clock.systemUTC());

	private final LockEngine main = engine(new InMemoryLockProvider());

	@AfterEach
	void closeWatchdog() {
		this.watchdog.close();
	}

	@Test
	void logsWhichPrincipalForceReleasedALock(CapturedOutput output) {
		LocksEndpoint endpoint = new LocksEndpoint(single(this.main), true);
		LockHandle held = this.main.acquire(LockRequest.of("cart:9"));

		ForceReleaseDescriptor result = endpoint.forceRelease(new String[] { "cart:9" }, null, principal("alice"));

		assertThat(result.outcome()).isEqualTo(ForceReleaseOutcome.RELEASED);
		assertThat(output).contains("Force-released lock 'cart:9' on in-memory as requested by 'alice'");
		held.close();
	}

	@Test
	void reportsProvidersThatCannotForceRelease() {
		LockEngine engine = engine(withoutForceRelease());
		LocksEndpoint endpoint = new LocksEndpoint(single(engine), true);
		try (LockHandle held = engine.acquire(LockRequest.of("cart:9"))) {
			ForceReleaseDescriptor result = endpoint.forceRelease(new String[] { "cart:9" }, null,
					SecurityContext.NONE);
			assertThat(result.outcome()).isEqualTo(ForceReleaseOutcome.UNSUPPORTED);
			assertThat(result.message()).isEqualTo("The no-force provider cannot force-release locks");
			assertThat(held.isValid()).isTrue();
		}
	}

	@Test
	void withSeveralProvidersListsTheLocksOfAllAndNamesEachLocksProvider() {
		LockEngine other = engine(withoutForceRelease());
		Map<String, LockEngine> byName = new LinkedHashMap<>();
		byName.put("mainProvider", this.main);
		byName.put("otherProvider", other);
		LocksEndpoint endpoint = new LocksEndpoint(new LockEngines(this.main, byName), true);
		try (LockHandle a = this.main.acquire(LockRequest.of("a")); LockHandle b = other.acquire(LockRequest.of("b"))) {
			LocksDescriptor locks = endpoint.locks();
			assertThat(locks.provider()).isEqualTo("in-memory");
			assertThat(locks.held()).extracting(HeldLockDescriptor::lock, HeldLockDescriptor::provider)
				.containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("a", "in-memory"),
						org.assertj.core.groups.Tuple.tuple("b", "no-force"));
			assertThat(endpoint.lock(new String[] { "b" }, "otherProvider").held().fencingToken())
				.isEqualTo(b.fencingToken());
			assertThat(endpoint.lock(new String[] { "b" }, null)).as("the primary provider by default").isNull();
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.lock(new String[] { "b" }, "nope"))
				.withMessageContaining("No LockProvider bean named 'nope'");
		}
	}

	private LockEngine engine(LockProvider provider) {
		return new LockEngine(provider, this.watchdog, EngineSettings.defaults("node-a"), LockEngineObserver.NOOP);
	}

	private static LockEngines single(LockEngine engine) {
		return new LockEngines(engine, Map.of("lockProvider", engine));
	}

	private static SecurityContext principal(String name) {
		Principal principal = () -> name;
		return new SecurityContext() {
			@Override
			public Principal getPrincipal() {
				return principal;
			}

			@Override
			public boolean isUserInRole(String role) {
				return false;
			}
		};
	}

	/** The in-memory provider under another id, without the capability to force-release. */
	private static LockProvider withoutForceRelease() {
		return new ForwardingLockProvider(new InMemoryLockProvider()) {
			@Override
			public String id() {
				return "no-force";
			}

			@Override
			public Set<ProviderCapability> capabilities() {
				Set<ProviderCapability> capabilities = EnumSet.copyOf(super.capabilities());
				capabilities.remove(ProviderCapability.FORCE_RELEASE);
				return capabilities;
			}
		};
	}

}
