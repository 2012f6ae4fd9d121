package io.grouprefunds.throttle;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accounts' shared limits in the ledger database ({@code throttle_bucket}, migration V8), through Bucket4j's
 * PostgreSQL proxy manager (select for update: one locked row per account, one short transaction per command).
 *
 * <p>Two processes configured differently: the <b>stricter wins</b>. A process joining an account whose bucket is in
 * use replaces its configuration by the stricter of the stored one and its own (the slower rate, every quota of both)
 * and is held to that; it can never loosen the account's limit. A bucket nobody used for a minute after it was full
 * again expires: the next process to start starts it afresh with its own settings (that is how a raised limit takes
 * effect). The joining is serialised by a PostgreSQL advisory lock on the account, so two processes starting together
 * cannot both overwrite each other's limit.
 *
 * <p>The bucket's clock is each host's wall clock ({@link BookingClock}): hosts sharing an account must be
 * kept in time (NTP); a host whose clock runs {@code d} ahead can take at most {@code d} worth of slots early, once.
 */
public final class SharedLimits {

	private static final Logger log = LoggerFactory.getLogger(SharedLimits.class);

	/** How long a bucket is kept once full again (then a new process's settings start afresh). */
	static final Duration KEEP_AFTER_FULL = Duration.ofMinutes(1);

	private final Supplier<DataSource> dataSource;

	private final RoundTrips roundTrips = new RoundTrips();

	private DataSource counted;

	private ProxyManager<String> buckets;

	/** @param dataSource the ledger's, asked for only when the first throttled account is used */
	public SharedLimits(Supplier<DataSource> dataSource) {
		this.dataSource = dataSource;
	}

	/**
	 * The shared limit of one account, joined with these limits (see the class comment).
	 * @param provider the provider's name
	 * @param identity what tells the provider's accounts apart (Rapyd's access key): hashed, never stored or logged
	 */
	public synchronized SharedLimit forAccount(String provider, String identity, ThrottleLimits limits) {
		String account = key(provider, identity);
		BucketConfiguration local = BucketLimits.of(limits);
		ProxyManager<String> manager = buckets();
		try (Connection connection = counted.getConnection()) {
			connection.setAutoCommit(true);
			lock(connection, "SELECT pg_advisory_lock(hashtextextended(?, 12))", account);
			try {
				expire(connection, account);
				Optional<BucketConfiguration> stored = manager.getProxyConfiguration(account);
				BucketConfiguration effective = stored.map(s -> BucketLimits.stricter(s, local)).orElse(local);
				BucketProxy bucket = manager.builder().build(account, () -> effective);
				if (stored.isEmpty()) {
					bucket.getAvailableTokens(); // creates the row while the lock is held
				}
				else if (!BucketLimits.same(stored.get(), effective)) {
					bucket.replaceConfiguration(effective, TokensInheritanceStrategy.AS_IS);
				}
				if (!BucketLimits.same(effective, local)) {
					log.warn("throttle for {}: the account's shared limit is stricter than this process's settings; "
							+ "the stricter applies: {} (this process's: {})", provider,
							BucketLimits.describe(effective), BucketLimits.describe(local));
				}
				log.info("throttle for {}: shared by every process on this ledger database as {} ({})", provider,
						account, BucketLimits.describe(effective));
				return new SharedLimit(account, bucket, effective, roundTrips);
			}
			finally {
				lock(connection, "SELECT pg_advisory_unlock(hashtextextended(?, 12))", account);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("cannot join the shared throttle of " + provider + ": " + ex.getMessage(),
					ex);
		}
	}

	/** {@code rapyd:} and the first 16 hex digits of the identity's SHA-256: stable, short, no secret. */
	static String key(String provider, String identity) {
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256")
				.digest((identity == null ? "" : identity).getBytes(StandardCharsets.UTF_8));
			return provider + ":" + HexFormat.of().formatHex(hash, 0, 8);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private ProxyManager<String> buckets() {
		if (buckets == null) {
			counted = roundTrips.counting(dataSource.get());
			buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(counted)
				.primaryKeyMapper(PrimaryKeyMapper.STRING)
				.table("throttle_bucket")
				.clientClock(BookingClock.INSTANCE)
				.expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_AFTER_FULL))
				.build();
		}
		return buckets;
	}

	/** Forgets the account's bucket when it expired: nobody used it since it was full again, a minute ago. */
	private static void expire(Connection connection, String account) throws SQLException {
		try (PreparedStatement delete = connection
			.prepareStatement("DELETE FROM throttle_bucket WHERE id = ? AND expires_at < ?")) {
			delete.setString(1, account);
			delete.setLong(2, System.currentTimeMillis());
			delete.executeUpdate();
		}
	}

	private static void lock(Connection connection, String sql, String account) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			statement.setString(1, account);
			statement.executeQuery().close();
		}
	}

}
