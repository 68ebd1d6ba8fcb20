-- Subscribes the provider's listen connection to the channel that release.sql and
-- force-release.sql notify with the released lock's key.
LISTEN distlock_table_release
