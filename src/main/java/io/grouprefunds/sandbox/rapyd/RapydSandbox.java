package io.grouprefunds.sandbox.rapyd;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.grouprefunds.sandbox.AbstractSimulatedProvider;
import io.grouprefunds.sandbox.AppliedRefund;
import io.grouprefunds.sandbox.RefundLifecycle;
import io.grouprefunds.sandbox.RefundPart;
import io.grouprefunds.sandbox.SimulatedRapyd;
import io.grouprefunds.sandbox.SimulatedRefund;
import io.grouprefunds.sandbox.faults.SandboxFaults;

/**
 * The Rapyd simulator's state: group payments, the refunds applied to them and their parts (one refund object per
 * payment that gets a share), the faults and lifecycle in force, and counters.
 */
final class RapydSandbox extends AbstractSimulatedProvider implements SimulatedRapyd {

	static final String NAME = "rapyd";

	private static final Logger log = LoggerFactory.getLogger(RapydSandbox.class);

	private final Map<String, GroupPayment> groups = new ConcurrentHashMap<>();

	RapydSandbox(SandboxFaults faults, RefundLifecycle lifecycle, Clock clock) {
		super(NAME, faults, lifecycle, clock);
	}

	@Override
	public void addGroupPayment(String id, Currency currency, String status, List<BigDecimal> paymentAmounts) {
		if (id == null || !id.startsWith("gp_")) {
			throw new IllegalArgumentException("group payment id must start with gp_: " + id);
		}
		GroupPayment group = new GroupPayment(id, currency, GroupStatus.parse(status), paymentAmounts);
		if (groups.putIfAbsent(id, group) != null) {
			throw new IllegalArgumentException("group payment " + id + " already exists");
		}
	}

	@Override
	public void loadGroupPayments(Path csv) {
		List<RapydGroupsCsv.Row> rows = RapydGroupsCsv.read(csv);
		rows.forEach((row) -> addGroupPayment(row.id(), row.currency(), row.status(), row.amounts()));
		log.info("Sandbox loaded {} Rapyd group payments from {}", rows.size(), csv);
	}

	@Override
	public void addGeneratedGroupPayments(int count) {
		List<BigDecimal> amounts = List.of(new BigDecimal("100.00"));
		Currency usd = Currency.getInstance("USD");
		for (int i = 1; i <= count; i++) {
			addGroupPayment(String.format("gp_%032x", i), usd, "closed", amounts);
		}
		log.info("Sandbox generated {} Rapyd group payments gp_{}…", count, "0".repeat(31) + "1");
	}

	@Override
	public void loadGroups(Path csv) {
		loadGroupPayments(csv);
	}

	@Override
	public BigDecimal refundedAmount(String groupPaymentId) {
		settleDue();
		GroupPayment group = groups.get(groupPaymentId);
		if (group == null) {
			throw new IllegalArgumentException("no group payment " + groupPaymentId);
		}
		return group.refundedAmount();
	}

	/**
	 * Applies a group refund and records it, with one part per payment that gets a share, each starting as the
	 * lifecycle draws it; the group stays locked from the check to the record.
	 * @param amount the amount asked for, or {@code null} for everything left
	 * @throws RapydException when Rapyd would refuse it; then nothing is applied
	 */
	Refunded refund(String groupPaymentId, BigDecimal amount, String idempotencyKey, String operationId) {
		settleDue();
		GroupPayment group = groups.get(groupPaymentId);
		if (group == null) {
			throw RapydException.refused("ERROR_ADDING_REFUND", "group payment not found");
		}
		synchronized (group) {
			GroupPayment.Split split = group.split(amount);
			AppliedRefund refund = record(groupPaymentId, split.amount(), group.currency(), idempotencyKey,
					operationId);
			List<Integer> payments = new ArrayList<>();
			List<NewPart> newParts = new ArrayList<>();
			for (int i = 0; i < split.parts().size(); i++) {
				if (split.parts().get(i).signum() > 0) {
					payments.add(i);
					newParts.add(new NewPart(newRefundId(), group.paymentId(i), split.parts().get(i)));
				}
			}
			List<SimulatedRefund> parts = createParts(group, refund, newParts);
			for (int i = 0; i < parts.size(); i++) {
				group.addPart(payments.get(i), parts.get(i));
			}
			log.info("Sandbox applied refund #{}: {} {} on {}, {} part(s) {} (idempotency {}, operation {})",
					refund.sequence(), split.amount().toPlainString(), group.currency(), groupPaymentId, parts.size(),
					parts.get(0).status().wire(), idempotencyKey, operationId);
			return new Refunded(refund, group.view());
		}
	}

	private static String newRefundId() {
		return "refund_" + UUID.randomUUID().toString().replace("-", "");
	}

	/** @throws RapydException 404 {@code ERROR_GET_REFUND} when there is no such refund */
	RefundPart refundObject(String refundId) {
		return refundPart(refundId)
			.orElseThrow(() -> new RapydException(404, "ERROR_GET_REFUND", "refund not found: " + refundId));
	}

	/**
	 * Rapyd's sandbox "Complete Refund": a Pending refund becomes Completed.
	 * @throws RapydException 400 {@code ERROR_COMPLETE_REFUND} when there is no such refund or it is not Pending
	 */
	RefundPart complete(String refundId) {
		try {
			return completeRefund(refundId);
		}
		catch (NoSuchElementException | IllegalStateException ex) {
			throw RapydException.refused("ERROR_COMPLETE_REFUND", ex.getMessage());
		}
	}

	/** @throws RapydException 404 when there is no such group payment */
	GroupPayment.View groupPayment(String id) {
		settleDue();
		GroupPayment group = groups.get(id);
		if (group == null) {
			// Inferred: Rapyd documents no code for an unknown group payment on retrieval.
			throw new RapydException(404, "ERROR_GET_GROUP_PAYMENT", "group payment not found");
		}
		return group.view();
	}

	/** A refund just applied, with the group payment as it stood right after it. */
	record Refunded(AppliedRefund refund, GroupPayment.View groupPayment) {
	}

}
