package io.grouprefunds.reconcile;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.grouprefunds.domain.ConfigurationException;
import io.grouprefunds.provider.GroupState;
import io.grouprefunds.provider.RefundProvider;
import io.grouprefunds.throttle.Throttle;
import io.grouprefunds.throttle.Throttles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Reads each distinct group of some rows once, through the account's throttle (the preflight counts against the
 * provider's rate limit like every request), and says which rows cannot succeed ({@link PreflightRule}). Sends no
 * refund. A group whose query keeps failing cannot be checked: that is the caller's to decide (a real run fails,
 * restartably; a dry run says so).
 */
@Component
public class Preflight {

	private static final Logger log = LoggerFactory.getLogger(Preflight.class);

	private static final int ATTEMPTS = 3;

	private final Throttles throttles;

	Preflight(Throttles throttles) {
		this.throttles = throttles;
	}

	/**
	 * What the preflight found.
	 * @param unchecked per group whose query failed: the reason
	 */
	public record Result(List<PreflightRule.Rejection> rejections, int groups, int queries,
			Map<String, String> unchecked, Duration took) {
	}

	/** @param rows in line order; grouped here */
	public Result check(RefundProvider provider, List<PreflightRule.Row> rows) {
		Map<String, List<PreflightRule.Row>> byGroup = new LinkedHashMap<>();
		rows.forEach(row -> byGroup.computeIfAbsent(row.groupId(), k -> new ArrayList<>()).add(row));
		Throttle throttle = throttles.forProvider(provider.name());
		List<PreflightRule.Rejection> rejections = new ArrayList<>();
		Map<String, String> unchecked = new LinkedHashMap<>();
		long started = System.nanoTime();
		int queries = 0;
		for (Map.Entry<String, List<PreflightRule.Row>> group : byGroup.entrySet()) {
			GroupState state = null;
			for (int attempt = 1; state == null && attempt <= ATTEMPTS; attempt++) {
				queries++;
				try {
					state = throttle.acquire().then(provider.queryGroup(group.getKey())).block(Reconciliation.QUERY_TIMEOUT);
				}
				catch (ConfigurationException ex) {
					throw ex;
				}
				catch (RuntimeException ex) {
					log.warn("preflight: could not read group {} (attempt {} of {}): {}", group.getKey(), attempt,
							ATTEMPTS, ex.getMessage());
					if (attempt == ATTEMPTS) {
						unchecked.put(group.getKey(), String.valueOf(ex.getMessage()));
					}
				}
			}
			if (state != null) {
				rejections.addAll(PreflightRule.decide(state, group.getValue()));
			}
		}
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		log.info("preflight: {} group(s) read with {} quer(ies) in {} ms; {} row(s) cannot succeed", byGroup.size(),
				queries, took.toMillis(), rejections.size());
		return new Result(rejections, byGroup.size(), queries, unchecked, took);
	}

}
