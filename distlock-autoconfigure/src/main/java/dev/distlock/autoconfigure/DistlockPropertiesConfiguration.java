package dev.distlock.autoconfigure;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;

/**
 * The one binding of {@code distlock.*}, validated once as it is bound; imported by every distlock
 * auto-configuration (an import of the same class registers it once). Infrastructure, since the lock
 * advisor needs its defaults while bean post-processors are set up.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties
class DistlockPropertiesConfiguration {

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static DistlockProperties distlockProperties() {
		return new DistlockProperties();
	}

}
