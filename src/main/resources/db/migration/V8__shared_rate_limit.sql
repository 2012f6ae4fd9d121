-- The rate limit of each provider account, shared by every process and host that uses this ledger database
-- (issue 12). One row per account: Bucket4j's PostgreSQL proxy manager (select-for-update flavour) keeps the token
-- bucket's state and configuration in `state` and locks the row for each command (one short transaction).
-- id: 'rapyd:' or 'issuer:' followed by a hash of the account's identity (Rapyd's access key, the issuer's company
-- id); never a secret. expires_at: when the bucket would have been full for a minute (milliseconds since the epoch);
-- a process starting on an account whose bucket expired starts it afresh with its own settings.
CREATE TABLE throttle_bucket (
    id          VARCHAR(128) PRIMARY KEY,
    state       BYTEA,
    expires_at  BIGINT
);
