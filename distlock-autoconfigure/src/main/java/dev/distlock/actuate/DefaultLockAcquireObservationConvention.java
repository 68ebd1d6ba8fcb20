package dev.distlock.actuate;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

import dev.distlock.actuate.DistlockObservationDocumentation.AcquireHighCardinalityKeys;
import dev.distlock.actuate.DistlockObservationDocumentation.AcquireLowCardinalityKeys;

/**
 * The default names and tags of lock acquisition observations: {@code distlock.acquire} with
 * {@code provider}, {@code lock.name} (the static name, never a per-call key) and {@code outcome}
 * ({@code acquired} | {@code busy} | {@code error}); spans also carry {@code lock.source}.
 */
public class DefaultLockAcquireObservationConvention implements LockAcquireObservationConvention {

	/** The observation (and timer) name. */
	public static final String NAME = "distlock.acquire";

	private static final KeyValue OUTCOME_UNKNOWN = AcquireLowCardinalityKeys.OUTCOME.withValue("unknown");

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(LockAcquireContext context) {
		return "acquire " + context.getOrigin().lockName();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(LockAcquireContext context) {
		LockAcquireContext.AcquireOutcome outcome = context.getOutcome();
		return KeyValues.of(AcquireLowCardinalityKeys.PROVIDER.withValue(context.getProviderId()),
				AcquireLowCardinalityKeys.LOCK_NAME.withValue(context.getOrigin().lockName()),
				(outcome != null) ? AcquireLowCardinalityKeys.OUTCOME.withValue(outcome.tagValue()) : OUTCOME_UNKNOWN);
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(LockAcquireContext context) {
		return KeyValues.of(AcquireHighCardinalityKeys.LOCK_SOURCE.withValue(context.getOrigin().source()));
	}

}
