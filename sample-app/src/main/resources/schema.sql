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
