-- Subscribes the provider's listen connection to the channel every release of a distlock advisory
-- lock notifies with its key (see release.sql).
LISTEN distlock_release
