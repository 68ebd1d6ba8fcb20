package dev.distlock.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;

import dev.distlock.aop.LockDefaults;
import dev.distlock.engine.EngineSettings;
import dev.distlock.jdbc.session.SessionLockSettings;
import dev.distlock.leader.LockLeaderElection;
import dev.distlock.jdbc.table.JdbcTableLockProvider;
import dev.distlock.redis.RedisLockProvider;
import dev.distlock.redis.ReplicaAcknowledgement;
import dev.distlock.etcd.EtcdLockProvider;
import dev.distlock.zookeeper.ZooKeeperLockProvider;

/**
 * Configuration of distlock ({@code distlock.*}), bound once by Spring Boot and validated as it is
 * bound, so a bad value fails startup with the property's name. Defaults are the providers' and the
 * engine's own constants (one source of truth; string and number constants are inlined by the
 * compiler, so no optional provider class is loaded here).
 *
 * <p>Its length is the getters and setters of the nested groups Boot binds ({@code redis},
 * {@code jdbc}, {@code zookeeper}, ...): one group per nested class, kept here so that the metadata
 * lists every property under one prefix.
 */
@ConfigurationProperties("distlock")
public class DistlockProperties implements InitializingBean {

	/** Whether distlock is enabled: set false to turn off locking, providers and scheduled-job locking. */
	private boolean enabled = true;

	/**
	 * Lock backend. 'auto' picks from the beans present (a DataSource: postgres on PostgreSQL, mysql
	 * on MySQL/MariaDB, jdbc-table elsewhere; a RedisConnectionFactory: redis; a CuratorFramework or
	 * distlock.zookeeper.connect-string: zookeeper; a jetcd Client or
	 * distlock.etcd.endpoints: etcd; a DynamoDbClient: dynamodb) and fails when that is ambiguous.
	 */
	private ProviderType provider = ProviderType.AUTO;

	/** Default lease time: how long a lock lives without renewal. */
	private Duration leaseTime = EngineSettings.DEFAULT_LEASE_TIME;

	/** Default time to wait for a busy lock; 0 means a single attempt. */
	private Duration waitTime = EngineSettings.DEFAULT_WAIT_TIME;

	/** This instance's id in owner tokens and operator views. Default: host:pid:random. */
	private @Nullable String instanceId;

	private final LeaseLost leaseLost = new LeaseLost();

	private final Scheduled scheduled = new Scheduled();

	private final Actuator actuator = new Actuator();

	private final Redis redis = new Redis();

	private final Redlock redlock = new Redlock();

	private final Jdbc jdbc = new Jdbc();

	private final ZooKeeper zookeeper = new ZooKeeper();

	private final Etcd etcd = new Etcd();
	private final DynamoDb dynamodb = new DynamoDb();

	private final Fencing fencing = new Fencing();

	private final Leader leader = new Leader();

	@Override
	public void afterPropertiesSet() {
		DistlockPropertiesValidator.validate(this);
	}

	/** The defaults of annotation attributes, from these properties. */
	public LockDefaults lockDefaults() {
		return new LockDefaults(this.leaseTime, this.waitTime, this.scheduled.isEnabled(), scheduledLeaseTime(),
				this.scheduled.getMinHoldTime(), this.scheduled.getMaxClockSkew());
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public ProviderType getProvider() {
		return this.provider;
	}

	public void setProvider(ProviderType provider) {
		this.provider = provider;
	}

	public Duration getLeaseTime() {
		return this.leaseTime;
	}

	public void setLeaseTime(Duration leaseTime) {
		this.leaseTime = leaseTime;
	}

	public Duration getWaitTime() {
		return this.waitTime;
	}

	public void setWaitTime(Duration waitTime) {
		this.waitTime = waitTime;
	}

	public @Nullable String getInstanceId() {
		return this.instanceId;
	}

	public void setInstanceId(@Nullable String instanceId) {
		this.instanceId = instanceId;
	}

	public LeaseLost getLeaseLost() {
		return this.leaseLost;
	}

	public Scheduled getScheduled() {
		return this.scheduled;
	}

	/** The lease of scheduled jobs: distlock.scheduled.lease-time, else distlock.lease-time. */
	public Duration scheduledLeaseTime() {
		Duration scheduledLease = this.scheduled.getLeaseTime();
		return (scheduledLease != null) ? scheduledLease : this.leaseTime;
	}

	public Actuator getActuator() {
		return this.actuator;
	}

	public Redis getRedis() {
		return this.redis;
	}

	public Redlock getRedlock() {
		return this.redlock;
	}

	public Jdbc getJdbc() {
		return this.jdbc;
	}

	public ZooKeeper getZookeeper() {
		return this.zookeeper;
	}

	public Leader getLeader() {
		return this.leader;
	}

	public Etcd getEtcd() {
		return this.etcd;
	}

	public DynamoDb getDynamodb() {
		return this.dynamodb;
	}

	public Fencing getFencing() {
		return this.fencing;
	}

	/** The lock backends. */
	public enum ProviderType {

		/** Pick from the beans present. */
		AUTO,

		/** Redis through spring-data-redis. */
		REDIS,

		/** PostgreSQL session advisory locks. */
		POSTGRES,

		/** MySQL/MariaDB GET_LOCK. */
		MYSQL,

		/** A lease table on any JDBC database. */
		JDBC_TABLE,

		/** ZooKeeper through Curator. */
		ZOOKEEPER,

		/** Redlock over independent Redis masters ({@code distlock.redlock.nodes}); never chosen by auto. */
		REDLOCK,
		/** etcd through jetcd. */
		ETCD,
		/** DynamoDB through the AWS SDK v2 DynamoDbClient. */
		DYNAMODB,

		/** One JVM only: tests and local development. */
		IN_MEMORY;

		/** The provider id, as {@code LockProvider.id()} reports it. */
		public String id() {
			return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
		}

	}

	/** What happens when a held lease is lost. */
	public static class LeaseLost {

		/** Interrupt the thread running the protected method when its lease is lost. */
		private boolean interrupt = false;

		public boolean isInterrupt() {
			return this.interrupt;
		}

		public void setInterrupt(boolean interrupt) {
			this.interrupt = interrupt;
		}

	}

	/** Locking of @Scheduled methods. */
	public static class Scheduled {

		/** Lock every @Scheduled method so it runs on one instance per fire time. */
		private boolean enabled = true;

		/**
		 * Lease time of scheduled jobs (renewed while the job runs). Default: distlock.lease-time.
		 */
		private @Nullable Duration leaseTime;

		/**
		 * Minimum time a scheduled job keeps its lock after it starts. Default: half the job's period
		 * (cron: the gap between its next two fire times), capped at the lease time.
		 */
		private @Nullable Duration minHoldTime;

		/**
		 * Bound on each instance's clock offset from true time (two instances may be twice this apart).
		 * A scheduled tick's claim lasts this long twice over; set the same value on every instance.
		 */
		private Duration maxClockSkew = LockDefaults.DEFAULT_MAX_CLOCK_SKEW;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable Duration getLeaseTime() {
			return this.leaseTime;
		}

		public void setLeaseTime(@Nullable Duration leaseTime) {
			this.leaseTime = leaseTime;
		}

		public @Nullable Duration getMinHoldTime() {
			return this.minHoldTime;
		}

		public void setMinHoldTime(@Nullable Duration minHoldTime) {
			this.minHoldTime = minHoldTime;
		}

		public Duration getMaxClockSkew() {
			return this.maxClockSkew;
		}

		public void setMaxClockSkew(Duration maxClockSkew) {
			this.maxClockSkew = maxClockSkew;
		}

	}

	/** The Actuator 'locks' endpoint. */
	public static class Actuator {

		/** Allow DELETE /actuator/locks/{lock} to force-release a lock cluster-wide. */
		private boolean forceReleaseEnabled = false;

		public boolean isForceReleaseEnabled() {
			return this.forceReleaseEnabled;
		}

		public void setForceReleaseEnabled(boolean forceReleaseEnabled) {
			this.forceReleaseEnabled = forceReleaseEnabled;
		}

	}

	/** The redis provider. */
	public static class Redis {

		/** Prefix of every key distlock writes. */
		private String keyPrefix = RedisLockProvider.DEFAULT_KEY_PREFIX;

		/**
		 * Replicas that must acknowledge a grant or renewal (Redis WAIT) before it counts; 0 waits
		 * for none. A grant not acknowledged in time is undone and the call fails.
		 */
		private int waitForReplicas;

		/** How long one WAIT for replicas may block. */
		private Duration waitTimeout = ReplicaAcknowledgement.DEFAULT_TIMEOUT;

		public String getKeyPrefix() {
			return this.keyPrefix;
		}

		public void setKeyPrefix(String keyPrefix) {
			this.keyPrefix = keyPrefix;
		}

		public int getWaitForReplicas() {
			return this.waitForReplicas;
		}

		public void setWaitForReplicas(int waitForReplicas) {
			this.waitForReplicas = waitForReplicas;
		}

		public Duration getWaitTimeout() {
			return this.waitTimeout;
		}

		public void setWaitTimeout(Duration waitTimeout) {
			this.waitTimeout = waitTimeout;
		}

		/** The replica acknowledgement these settings ask for; throws naming the bad property. */
		public ReplicaAcknowledgement replicaAcknowledgement() {
			return new ReplicaAcknowledgement(this.waitForReplicas, this.waitTimeout);
		}

	}

	/** The redlock provider. */
	public static class Redlock {

		/**
		 * Independent Redis masters (comma-separated redis:// URLs, at least 3) that
		 * distlock.provider=redlock locks on; keys use distlock.redis.key-prefix.
		 */
		private List<String> nodes = new ArrayList<>();

		public List<String> getNodes() {
			return this.nodes;
		}

		public void setNodes(List<String> nodes) {
			this.nodes = nodes;
		}

	}

	/** The JDBC providers. */
	public static class Jdbc {

		/** Lease table of the jdbc-table provider. */
		private String tableName = JdbcTableLockProvider.DEFAULT_TABLE_NAME;

		/** When to create distlock's tables and sequences: always, embedded (databases only) or never. */
		private InitializeSchema initializeSchema = InitializeSchema.EMBEDDED;

		/** At most how many dedicated lock connections the postgres and mysql providers open (on demand). */
		private int lockConnections = SessionLockSettings.DEFAULT_CONNECTIONS;

		public String getTableName() {
			return this.tableName;
		}

		public void setTableName(String tableName) {
			this.tableName = tableName;
		}

		public InitializeSchema getInitializeSchema() {
			return this.initializeSchema;
		}

		public void setInitializeSchema(InitializeSchema initializeSchema) {
			this.initializeSchema = initializeSchema;
		}

		public int getLockConnections() {
			return this.lockConnections;
		}

		public void setLockConnections(int lockConnections) {
			this.lockConnections = lockConnections;
		}

	}

	/** When to create the schema, as Spring Boot's own database initialization modes. */
	public enum InitializeSchema {

		/** Always create it if missing. */
		ALWAYS,

		/** Only on embedded databases (H2, HSQLDB, Derby). */
		EMBEDDED,

		/** Never: create it yourself from the schema files. */
		NEVER

	}

	/** The etcd provider. */
	public static class Etcd {

		/**
		 * Comma-separated etcd member URLs (e.g. http://127.0.0.1:2379), used when the application has
		 * no jetcd Client bean.
		 */
		private @Nullable String endpoints;

		/** Prefix of the lock keys; end it with a separator so no other prefix starts with it. */
		private String keyPrefix = EtcdLockProvider.DEFAULT_KEY_PREFIX;

		/**
		 * TTL of the instance's session lease (whole seconds, at least etcd's minimum of about 2s): how
		 * long after a crash the holder's locks stay held. Default: the provider's (10s).
		 */
		private @Nullable Duration sessionTtl;

		/** How long a call waits for etcd before failing closed. Default: the provider's (5s). */
		private @Nullable Duration requestTimeout;

		public @Nullable String getEndpoints() {
			return this.endpoints;
		}

		public void setEndpoints(@Nullable String endpoints) {
			this.endpoints = endpoints;
		}

		public String getKeyPrefix() {
			return this.keyPrefix;
		}

		public void setKeyPrefix(String keyPrefix) {
			this.keyPrefix = keyPrefix;
		}

		public @Nullable Duration getSessionTtl() {
			return this.sessionTtl;
		}

		public void setSessionTtl(@Nullable Duration sessionTtl) {
			this.sessionTtl = sessionTtl;
		}

		public @Nullable Duration getRequestTimeout() {
			return this.requestTimeout;
		}

		public void setRequestTimeout(@Nullable Duration requestTimeout) {
			this.requestTimeout = requestTimeout;
		}

	}

	/** The dynamodb provider. */
	public static class DynamoDb {

		/** The lock table: one item per lock, partition key 'lock_key' (type S). */
		private String tableName = "distlock_lock";

		/** Create the lock table (on-demand billing) at startup when it is missing. */
		private boolean createTable = false;

		public String getTableName() {
			return this.tableName;
		}

		public void setTableName(String tableName) {
			this.tableName = tableName;
		}

		public boolean isCreateTable() {
			return this.createTable;
		}

		public void setCreateTable(boolean createTable) {
			this.createTable = createTable;
		}

	}

	/** The zookeeper provider. */
	public static class ZooKeeper {

		/** ZooKeeper connect string, used when the application has no CuratorFramework bean. */
		private @Nullable String connectString;

		/** Parent node of the lock nodes. */
		private String basePath = ZooKeeperLockProvider.DEFAULT_BASE_PATH;

		/**
		 * Session timeout of the client distlock builds from the connect string: how long after a crash
		 * the holder's locks stay held. Default: the provider's (30s).
		 */
		private @Nullable Duration sessionTimeout;

		/**
		 * Connection timeout: how long an acquire waits for a quorum before failing. Default: the
		 * provider's (5s).
		 */
		private @Nullable Duration connectionTimeout;

		public @Nullable String getConnectString() {
			return this.connectString;
		}

		public void setConnectString(@Nullable String connectString) {
			this.connectString = connectString;
		}

		public String getBasePath() {
			return this.basePath;
		}

		public void setBasePath(String basePath) {
			this.basePath = basePath;
		}

		public @Nullable Duration getSessionTimeout() {
			return this.sessionTimeout;
		}

		public void setSessionTimeout(@Nullable Duration sessionTimeout) {
			this.sessionTimeout = sessionTimeout;
		}

		public @Nullable Duration getConnectionTimeout() {
			return this.connectionTimeout;
		}

		public void setConnectionTimeout(@Nullable Duration connectionTimeout) {
			this.connectionTimeout = connectionTimeout;
		}

	}

	/** Fencing at the resource: the FencedResource bean. */
	public static class Fencing {

		/** Table of the highest fencing token accepted per resource (JDBC FencedResource). */
		private String tableName = "distlock_fence";

		public String getTableName() {
			return this.tableName;
		}

		public void setTableName(String tableName) {
			this.tableName = tableName;
		}

	}

	public static class Leader {

		/**
		 * Lease of a leader-election group's lock, renewed every third of it: after a leader
		 * crashes, another instance leads within it (TTL backends).
		 */
		private Duration leaseTime = LockLeaderElection.DEFAULT_LEASE_TIME;

		public Duration getLeaseTime() {
			return this.leaseTime;
		}

		public void setLeaseTime(Duration leaseTime) {
			this.leaseTime = leaseTime;
		}

	}

}
