package dev.distlock.actuate;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations distlock makes, with their tag names.
 */
public enum DistlockObservationDocumentation implements ObservationDocumentation {

	/** One lock acquisition (not a reentrant re-entry), from the first attempt to the outcome. */
	ACQUIRE {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultLockAcquireObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return AcquireLowCardinalityKeys.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return AcquireHighCardinalityKeys.values();
		}

	};

	/** Tags of acquisitions that metrics carry: few distinct values each. */
	public enum AcquireLowCardinalityKeys implements KeyName {

		/** The provider id. */
		PROVIDER {
			@Override
			public String asString() {
				return "provider";
			}
		},

		/** The static lock name, without a per-call key. */
		LOCK_NAME {
			@Override
			public String asString() {
				return "lock.name";
			}
		},

		/** {@code acquired}, {@code busy} or {@code error}. */
		OUTCOME {
			@Override
			public String asString() {
				return "outcome";
			}
		}

	}

	/** Tags of acquisitions that only spans carry. */
	public enum AcquireHighCardinalityKeys implements KeyName {

		/** The annotated method or {@code LockTemplate}. */
		LOCK_SOURCE {
			@Override
			public String asString() {
				return "lock.source";
			}
		}

	}

}
