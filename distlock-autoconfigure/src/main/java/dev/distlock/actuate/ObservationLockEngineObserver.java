package dev.distlock.actuate;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import dev.distlock.actuate.LockAcquireContext.AcquireOutcome;
import dev.distlock.engine.LockEngineObserver;
import dev.distlock.engine.LockOrigin;

/**
 * Observes every lock acquisition with the Micrometer Observation API: a {@code distlock.acquire}
 * timer tagged with the outcome when a meter registry is attached, a span when tracing is. The
 * observation is in scope while the provider is called, so backend client spans nest under it.
 */
public class ObservationLockEngineObserver implements LockEngineObserver {

	private static final LockAcquireObservationConvention DEFAULT_CONVENTION = new DefaultLockAcquireObservationConvention();

	private final ObservationRegistry registry;

	private final @Nullable LockAcquireObservationConvention convention;

	/**
	 * @param registry where observations go ({@link ObservationRegistry#NOOP} observes nothing)
	 * @param convention names and tags replacing the default ones, or {@code null}
	 */
	public ObservationLockEngineObserver(ObservationRegistry registry,
			@Nullable LockAcquireObservationConvention convention) {
		this.registry = registry;
		this.convention = convention;
	}

	@Override
	public AcquireObservation acquireStarted(String providerId, LockOrigin origin) {
		if (this.registry.isNoop()) {
			return AcquireObservation.NOOP;
		}
		LockAcquireContext context = new LockAcquireContext(providerId, origin);
		Observation observation = DistlockObservationDocumentation.ACQUIRE
			.observation(this.convention, DEFAULT_CONVENTION, () -> context, this.registry)
			.start();
		return new ScopedAcquireObservation(observation, context, observation.openScope());
	}

	/** Ends the observation on the acquiring thread, which opened its scope. */
	private static final class ScopedAcquireObservation implements AcquireObservation {

		private final Observation observation;

		private final LockAcquireContext context;

		private final Observation.Scope scope;

		ScopedAcquireObservation(Observation observation, LockAcquireContext context, Observation.Scope scope) {
			this.observation = observation;
			this.context = context;
			this.scope = scope;
		}

		@Override
		public void acquired() {
			end(AcquireOutcome.ACQUIRED, null);
		}

		@Override
		public void busy() {
			end(AcquireOutcome.BUSY, null);
		}

		@Override
		public void failed(Throwable error) {
			end(AcquireOutcome.ERROR, error);
		}

		private void end(AcquireOutcome outcome, @Nullable Throwable error) {
			this.scope.close();
			this.context.setOutcome(outcome);
			if (error != null) {
				this.observation.error(error);
			}
			this.observation.stop();
		}

	}

}
