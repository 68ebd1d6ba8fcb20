-- The fence (highest fencing token per order) is distlock's table distlock_fence, created by
-- distlock (distlock.jdbc.initialize-schema=always).
CREATE TABLE IF NOT EXISTS charges (
    order_id BIGINT NOT NULL,
    fencing_token BIGINT NOT NULL,
    instance_id VARCHAR(200) NOT NULL,
    charged_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS job_runs (
    instance_id VARCHAR(200) NOT NULL,
    fire_time TIMESTAMP NOT NULL,
    fencing_token BIGINT NOT NULL
);
-- Accounts of the transfer demo (AccountTransfers): created once, never reset by a restart.
CREATE TABLE IF NOT EXISTS accounts (
    id BIGINT NOT NULL PRIMARY KEY,
    balance BIGINT NOT NULL
);
INSERT INTO accounts (id, balance) SELECT 9, 1000 WHERE NOT EXISTS (SELECT 1 FROM accounts WHERE id = 9);
INSERT INTO accounts (id, balance) SELECT 10, 1000 WHERE NOT EXISTS (SELECT 1 FROM accounts WHERE id = 10);
