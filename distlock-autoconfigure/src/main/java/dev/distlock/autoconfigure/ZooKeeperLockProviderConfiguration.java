package dev.distlock.autoconfigure;

import java.time.Duration;
import java.util.Objects;

import org.apache.curator.framework.CuratorFramework;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.distlock.spi.LockProvider;
import dev.distlock.zookeeper.ZooKeeperLockProvider;

/**
 * The zookeeper provider: on the application's {@link CuratorFramework} bean if it has one (the
 * bean wins over {@code distlock.zookeeper.connect-string}; the application keeps owning it), or
 * on a client of its own built from the connect string and closed with the provider.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = { "org.apache.curator.framework.CuratorFramework",
		"dev.distlock.zookeeper.ZooKeeperLockProvider" })
@ConditionalOnLockBackend(LockBackend.ZOOKEEPER)
class ZooKeeperLockProviderConfiguration {

	@Bean
	@ConditionalOnMissingBean(LockProvider.class)
	ZooKeeperLockProvider distlockLockProvider(ObjectProvider<CuratorFramework> client, DistlockProperties properties) {
		DistlockProperties.ZooKeeper zookeeper = properties.getZookeeper();
		Duration connectionTimeout = Objects.requireNonNullElse(zookeeper.getConnectionTimeout(),
				ZooKeeperLockProvider.DEFAULT_CONNECTION_TIMEOUT);
		CuratorFramework userClient = client.getIfUnique();
		if (userClient != null) {
			return new ZooKeeperLockProvider(userClient, zookeeper.getBasePath(), connectionTimeout);
		}
		// The condition made sure the connect string is set.
		return ZooKeeperLockProvider.connect(Objects.requireNonNull(zookeeper.getConnectString()),
				Objects.requireNonNullElse(zookeeper.getSessionTimeout(), ZooKeeperLockProvider.DEFAULT_SESSION_TIMEOUT),
				connectionTimeout, zookeeper.getBasePath());
	}

}
