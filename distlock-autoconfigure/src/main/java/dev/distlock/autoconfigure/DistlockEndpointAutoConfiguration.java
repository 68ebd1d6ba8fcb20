package dev.distlock.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.distlock.LeaderElection;
import dev.distlock.actuate.LocksEndpoint;
import dev.distlock.actuate.LocksEndpointWebExtension;
import dev.distlock.engine.LockEngines;

/**
 * The {@code locks} Actuator endpoint, when Actuator is present and the endpoint is available
 * (exposed over HTTP or JMX by the user, like every endpoint).
 */
@AutoConfiguration(after = DistlockAutoConfiguration.class)
@ConditionalOnClass(name = { "org.springframework.boot.actuate.endpoint.annotation.Endpoint",
		"org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint" })
public final class DistlockEndpointAutoConfiguration {

	// Nested so the Actuator condition classes load only once the outer class check passed.
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(LockEngines.class)
	@ConditionalOnAvailableEndpoint(LocksEndpoint.class)
	static class LocksEndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		LocksEndpoint locksEndpoint(LockEngines engines, DistlockProperties properties,
				ObjectProvider<LeaderElection> election) {
			return new LocksEndpoint(engines, properties.getActuator().isForceReleaseEnabled(),
					() -> election.stream().flatMap((elected) -> elected.joined().stream()).toList());
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(LocksEndpoint.class)
		@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
		LocksEndpointWebExtension locksEndpointWebExtension(LocksEndpoint endpoint) {
			return new LocksEndpointWebExtension(endpoint);
		}

	}

}
