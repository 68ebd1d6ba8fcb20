package dev.distlock.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.distlock.LockConfigurationException;

/**
 * Shows a bad {@code @DistributedLocked} attribute or {@code distlock.*} property as the reason the
 * application did not start, instead of the bean-creation exceptions that wrap it.
 */
class LockConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<LockConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, LockConfigurationException cause) {
		return new FailureAnalysis("distlock configuration is invalid: " + cause.getMessage(),
				"Fix the annotation attribute or property named above. distlock validates every locked method "
						+ "at startup so that no critical section can run without its lock.",
				cause);
	}

}
