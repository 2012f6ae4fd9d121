package io.grouprefunds.sandbox;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Currency;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Rapyd simulator's state: group payments, the refunds applied to them, the faults in force and counters. */
public final class RapydSandbox {

	private static final Logger log = LoggerFactory.getLogger(RapydSandbox.class);

	private final Map<String, GroupPayment> groups = new ConcurrentHashMap<>();

	/** Every refund applied, in order; guarded by itself so a refund's sequence is its position. */
	private final List<AppliedRefund> applied = new ArrayList<>();

	private final AtomicInteger requests = new AtomicInteger();

	private final AtomicInteger queries = new AtomicInteger();

	private final AtomicInteger tooManyRequests = new AtomicInteger();

	private final Map<FaultKind, AtomicLong> faultCounts = new EnumMap<>(FaultKind.class);

	/** When each POST refund request arrived ({@link System#nanoTime}), in order; guarded by itself. */
	private long[] arrivals = new long[1024];

	private int arrivalCount;

	private volatile FaultPlan faultPlan;

	RapydSandbox(SandboxFaults faults) {
		for (FaultKind kind : FaultKind.values()) {
			faultCounts.put(kind, new AtomicLong());
		}
		setFaults(faults);
	}

	/**
	 * Adds a group payment.
	 * @param status {@code "closed"} (refundable) or {@code "active"}
	 * @param paymentAmounts the amounts of its payments, each with at most the currency's decimals
	 */
	public void addGroupPayment(String id, Currency currency, String status, List<BigDecimal> paymentAmounts) {
		if (id == null || !id.startsWith("gp_")) {
			throw new IllegalArgumentException("group payment id must start with gp_: " + id);
		}
		GroupPayment group = new GroupPayment(id, currency, GroupStatus.parse(status), paymentAmounts);
		if (groups.putIfAbsent(id, group) != null) {
			throw new IllegalArgumentException("group payment " + id + " already exists");
		}
	}

	/** Adds the group payments of a file {@code group_payment,currency,status,payments} (payments split by ;). */
	public void loadGroupPayments(Path csv) {
		List<GroupPaymentsCsv.Row> rows = GroupPaymentsCsv.read(csv);
		rows.forEach((row) -> addGroupPayment(row.id(), row.currency(), row.status(), row.amounts()));
		log.info("Sandbox loaded {} Rapyd group payments from {}", rows.size(), csv);
	}

	/**
	 * Adds {@code count} closed USD group payments of one 100.00 payment each, named {@code gp_} and the number
	 * 1..count in 32 hex digits ({@code gp_00…01}): what the load tests and the benchmark refund from.
	 */
	public void addGeneratedGroupPayments(int count) {
		List<BigDecimal> amounts = List.of(new BigDecimal("100.00"));
		Currency usd = Currency.getInstance("USD");
		for (int i = 1; i <= count; i++) {
			addGroupPayment(String.format("gp_%032x", i), usd, "closed", amounts);
		}
		log.info("Sandbox generated {} Rapyd group payments gp_{}…", count, "0".repeat(31) + "1");
	}

	/** When each POST refund request arrived ({@link System#nanoTime}), oldest first, whatever its answer. */
	public long[] arrivalNanos() {
		synchronized (this) {
			return Arrays.copyOf(arrivals, arrivalCount);
		}
	}

	/** Rates and the busiest window, from the arrival times and the refunds applied. */
	public SandboxStats stats(Duration window) {
		return SandboxStats.of(arrivalNanos(), appliedRefunds(), tooManyRequestsCount(), window);
	}

	/** Every refund applied, in the order applied: what the provider actually did. */
	public List<AppliedRefund> appliedRefunds() {
		synchronized (applied) {
			return List.copyOf(applied);
		}
	}

	public BigDecimal refundedAmount(String groupPaymentId) {
		GroupPayment group = groups.get(groupPaymentId);
		if (group == null) {
			throw new IllegalArgumentException("no group payment " + groupPaymentId);
		}
		return group.refundedAmount();
	}

	/** POST refund requests received, whatever their outcome. */
	public int requestCount() {
		return requests.get();
	}

	/** GET group payment requests received, whatever their outcome. */
	public int queryCount() {
		return queries.get();
	}

	public int appliedCount() {
		synchronized (applied) {
			return applied.size();
		}
	}

	/** HTTP 429 answers sent, drawn at random or beyond the rate limit. */
	public int tooManyRequestsCount() {
		return tooManyRequests.get();
	}

	/** Faults injected so far, by kind; every kind is present. */
	public Map<FaultKind, Long> faultCounts() {
		Map<FaultKind, Long> counts = new EnumMap<>(FaultKind.class);
		faultCounts.forEach((kind, count) -> counts.put(kind, count.get()));
		return Collections.unmodifiableMap(counts);
	}

	public SandboxFaults faults() {
		return faultPlan.faults();
	}

	/** Switches the faults for the next requests; outage windows count from now, a seed restarts its sequence. */
	public void setFaults(SandboxFaults faults) {
		faultPlan = new FaultPlan(Objects.requireNonNull(faults, "faults"), System.nanoTime());
		log.info("Sandbox Rapyd faults: {}", faults);
	}

	FaultDecision nextRefundFaults() {
		requests.incrementAndGet();
		long now;
		synchronized (this) {
			// Stamped under the lock, so the times are in arrival order.
			now = System.nanoTime();
			if (arrivalCount == arrivals.length) {
				arrivals = Arrays.copyOf(arrivals, arrivals.length * 2);
			}
			arrivals[arrivalCount++] = now;
		}
		return faultPlan.decideRefund(now);
	}

	FaultDecision nextQueryFaults() {
		queries.incrementAndGet();
		return faultPlan.decideQuery(System.nanoTime());
	}

	void countFault(FaultKind kind) {
		faultCounts.get(kind).incrementAndGet();
		if (kind == FaultKind.RATE_LIMITED || kind == FaultKind.TOO_MANY_REQUESTS) {
			tooManyRequests.incrementAndGet();
		}
	}

	/**
	 * Applies a group refund and records it; the group stays locked from the check to the record.
	 * @param amount the amount asked for, or {@code null} for everything left
	 * @throws RapydException when Rapyd would refuse it; then nothing is applied
	 */
	RefundResult refund(String groupPaymentId, BigDecimal amount, String idempotencyKey, String operationId) {
		GroupPayment group = groups.get(groupPaymentId);
		if (group == null) {
			throw RapydException.refused("ERROR_ADDING_REFUND", "group payment not found");
		}
		synchronized (group) {
			BigDecimal refunded = group.refund(amount);
			AppliedRefund refund;
			synchronized (applied) {
				refund = new AppliedRefund(applied.size() + 1, groupPaymentId, refunded, group.currency(),
						idempotencyKey, operationId, Instant.now());
				applied.add(refund);
			}
			log.info("Sandbox applied refund #{}: {} {} on {} (idempotency {}, operation {})", refund.sequence(),
					refunded.toPlainString(), group.currency(), groupPaymentId, idempotencyKey, operationId);
			return new RefundResult(refund, group.view());
		}
	}

	/** @throws RapydException 404 when there is no such group payment */
	GroupPaymentView groupPayment(String id) {
		GroupPayment group = groups.get(id);
		if (group == null) {
			// Inferred: Rapyd documents no code for an unknown group payment on retrieval.
			throw new RapydException(404, "ERROR_GET_GROUP_PAYMENT", "group payment not found");
		}
		return group.view();
	}

}
