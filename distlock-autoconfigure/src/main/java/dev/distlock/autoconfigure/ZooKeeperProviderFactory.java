package dev.distlock.autoconfigure;

import java.util.Set;

import org.apache.curator.framework.CuratorFramework;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

import dev.distlock.autoconfigure.DistlockProperties.ProviderType;
import dev.distlock.spi.LockProvider;
import dev.distlock.zookeeper.ZooKeeperLockProvider;

/**
 * The zookeeper provider: on the application's {@link CuratorFramework} bean if it has one (the
 * bean wins over {@code distlock.zookeeper.connect-string}; the application keeps owning it), or
 * on a client of its own built from the connect string and closed with the provider.
 */
final class ZooKeeperProviderFactory implements ProviderFactory {

	private final DistlockProperties properties;

	private final ConfigurableListableBeanFactory beanFactory;

	ZooKeeperProviderFactory(DistlockProperties properties, ConfigurableListableBeanFactory beanFactory,
			Environment environment) {
		this.properties = properties;
		this.beanFactory = beanFactory;
	}

	@Override
	public Set<ProviderType> types() {
		return Set.of(ProviderType.ZOOKEEPER);
	}

	@Override
	public @Nullable String unavailableReason() {
		if (this.beanFactory.getBeanNamesForType(CuratorFramework.class).length > 0) {
			return (client() != null) ? null : "the application has several CuratorFramework beans and none is @Primary";
		}
		return StringUtils.hasText(this.properties.getZookeeper().getConnectString()) ? null
				: "the application has no CuratorFramework bean and distlock.zookeeper.connect-string is not set";
	}

	@Override
	public ProviderType autoType() {
		return ProviderType.ZOOKEEPER;
	}

	@Override
	public LockProvider create(ProviderType type) {
		DistlockProperties.ZooKeeper zookeeper = this.properties.getZookeeper();
		CuratorFramework client = client();
		if (client != null) {
			return new ZooKeeperLockProvider(client, zookeeper.getBasePath(), zookeeper.getConnectionTimeout());
		}
		String connectString = zookeeper.getConnectString();
		if (!StringUtils.hasText(connectString)) {
			throw new dev.distlock.LockConfigurationException("distlock.provider=zookeeper: " + unavailableReason());
		}
		return ZooKeeperLockProvider.connect(connectString, zookeeper.getSessionTimeout(),
				zookeeper.getConnectionTimeout(), zookeeper.getBasePath());
	}

	private @Nullable CuratorFramework client() {
		return this.beanFactory.getBeanProvider(CuratorFramework.class).getIfUnique();
	}

}
