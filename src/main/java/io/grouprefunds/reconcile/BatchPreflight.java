package io.grouprefunds.reconcile;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.grouprefunds.ledger.Ledger;
import io.grouprefunds.ledger.LedgerRow;
import io.grouprefunds.provider.RefundProvider;
import io.grouprefunds.provider.RefundProviders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The preflight of a real run ({@code refunds.<provider>.preflight=true}), between the file gate and the first
 * refund: each distinct group of the batch's READY rows is read once, and the rows that cannot succeed become
 * REJECTED with the reason (the rejected-rows file lists them, to fix and run again). A group that cannot be read
 * fails the step: restartable, nothing sent.
 */
@Component
public class BatchPreflight {

	private static final Logger log = LoggerFactory.getLogger(BatchPreflight.class);

	/** Groups checked per slice: the rows of a slice are held in memory, never the whole batch. */
	private static final int GROUPS_PER_SLICE = 500;

	private final Ledger ledger;

	private final RefundProviders providers;

	private final Preflight preflight;

	BatchPreflight(Ledger ledger, RefundProviders providers, Preflight preflight) {
		this.ledger = ledger;
		this.providers = providers;
		this.preflight = preflight;
	}

	/** @return the number of rows rejected; 0 when the preflight is off for the provider */
	public int preflightBatch(long batchId, String providerName) {
		RefundProvider provider = providers.get(providerName);
		if (!provider.preflight()) {
			return 0;
		}
		List<PreflightRule.Row> slice = new ArrayList<>();
		Set<String> groups = new HashSet<>();
		int[] rejected = { 0 };
		ledger.forEachReadyRowByGroup(batchId, row -> {
			if (!groups.contains(row.groupId()) && groups.size() >= GROUPS_PER_SLICE) {
				rejected[0] += check(provider, slice);
				slice.clear();
				groups.clear();
			}
			groups.add(row.groupId());
			slice.add(row(row));
		});
		rejected[0] += check(provider, slice);
		log.info("batch {}: preflight rejected {} row(s)", batchId, rejected[0]);
		return rejected[0];
	}

	private int check(RefundProvider provider, List<PreflightRule.Row> rows) {
		if (rows.isEmpty()) {
			return 0;
		}
		Preflight.Result result = preflight.check(provider, rows);
		if (!result.unchecked().isEmpty()) {
			Map.Entry<String, String> first = result.unchecked().entrySet().iterator().next();
			throw new IllegalStateException("preflight could not read " + result.unchecked().size() + " group(s) from "
					+ provider.name() + " (group " + first.getKey() + ": " + first.getValue() + "); nothing was sent");
		}
		Map<Long, String> reasons = new LinkedHashMap<>();
		result.rejections().forEach(r -> reasons.put(r.row().rowId(), r.reason()));
		ledger.reject(reasons);
		return reasons.size();
	}

	static PreflightRule.Row row(LedgerRow row) {
		return new PreflightRule.Row(row.rowId(), row.lineNumber(), row.groupId(), row.amount(), row.currency());
	}

}
