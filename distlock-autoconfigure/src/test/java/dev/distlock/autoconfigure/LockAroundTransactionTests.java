package dev.distlock.autoconfigure;

import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseBuilder;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseType;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.distlock.DistributedLocked;
import dev.distlock.LockContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lock wraps the method's transaction: it is still held when the transaction commits, so no
 * other instance can read the data between the release and the commit — also when the
 * application's own {@code @EnableTransactionManagement} registers its advisor first.
 */
class LockAroundTransactionTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(TransactionalApplication.class)
		.withConfiguration(AutoConfigurations.of(DistlockAutoConfiguration.class))
		.withPropertyValues("distlock.provider=in-memory");

	@Test
	void holdsTheLockUntilTheTransactionHasCommitted() {
		this.runner.run((context) -> {
			LockedAndTransactional service = context.getBean(LockedAndTransactional.class);
			service.write();
			assertThat(service.lockHeldAtCommit()).as("lock held when the transaction committed").isTrue();
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableTransactionManagement(proxyTargetClass = true)
	static class TransactionalApplication {

		@Bean
		DataSource dataSource() {
			return new EmbeddedDatabaseBuilder().setType(EmbeddedDatabaseType.H2).generateUniqueName(true).build();
		}

		@Bean
		DataSourceTransactionManager transactionManager(DataSource dataSource) {
			return new DataSourceTransactionManager(dataSource);
		}

		@Bean
		LockedAndTransactional lockedAndTransactional() {
			return new LockedAndTransactional();
		}

	}

	static class LockedAndTransactional {

		private final AtomicBoolean lockHeldAtCommit = new AtomicBoolean();

		@DistributedLocked
		@Transactional
		public void write() {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					LockedAndTransactional.this.lockHeldAtCommit.set(LockContext.current().isPresent());
				}
			});
		}

		public boolean lockHeldAtCommit() {
			return this.lockHeldAtCommit.get();
		}

	}

}
