package dev.distlock.autoconfigure;

import java.util.Objects;

import io.etcd.jetcd.Client;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.distlock.LockConfigurationException;
import dev.distlock.etcd.EtcdLockProvider;
import dev.distlock.spi.LockProvider;

/**
 * The etcd provider: on the application's jetcd {@link Client} bean if it has one (the bean wins
 * over {@code distlock.etcd.endpoints}; the application keeps owning it), or on a client of its own
 * built from the endpoints and closed with the provider.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = { "io.etcd.jetcd.Client", "dev.distlock.etcd.EtcdLockProvider" })
@ConditionalOnLockBackend(LockBackend.ETCD)
class EtcdLockProviderConfiguration {

	@Bean
	@ConditionalOnMissingBean(LockProvider.class)
	EtcdLockProvider distlockLockProvider(ObjectProvider<Client> client, DistlockProperties properties) {
		DistlockProperties.Etcd etcd = properties.getEtcd();
		var sessionTtl = Objects.requireNonNullElse(etcd.getSessionTtl(), EtcdLockProvider.DEFAULT_SESSION_TTL);
		var requestTimeout = Objects.requireNonNullElse(etcd.getRequestTimeout(),
				EtcdLockProvider.DEFAULT_REQUEST_TIMEOUT);
		Client userClient = client.getIfUnique();
		if (userClient != null) {
			return new EtcdLockProvider(userClient, etcd.getKeyPrefix(), sessionTtl, requestTimeout);
		}
		// The condition made sure the endpoints are set.
		String endpoints = Objects.requireNonNull(etcd.getEndpoints());
		try {
			return EtcdLockProvider.connect(endpoints, etcd.getKeyPrefix(), sessionTtl, requestTimeout);
		}
		catch (IllegalArgumentException ex) {
			throw new LockConfigurationException("distlock.etcd.endpoints: " + ex.getMessage());
		}
	}

}
