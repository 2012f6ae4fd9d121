package io.grouprefunds.sandbox;

import java.math.BigDecimal;
import java.time.Clock;
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
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every simulated provider keeps alike: the refunds it applied and their parts (the ground truth), its request
 * counters, the {@link FaultPlan} and {@link LifecyclePlan} in force. So all providers count, inject faults and
 * settle refunds the same way; each subclass adds its groups and its rules.
 */
public abstract class AbstractSimulatedProvider implements SimulatedProvider {

	private static final Logger log = LoggerFactory.getLogger(AbstractSimulatedProvider.class);

	private final String name;

	/** Every refund applied, in order; guarded by itself so a refund's sequence is its position. */
	private final List<AppliedRefund> applied = new ArrayList<>();

	private final AtomicInteger requests = new AtomicInteger();

	private final AtomicInteger queries = new AtomicInteger();

	private final AtomicInteger tooManyRequests = new AtomicInteger();

	private final Map<FaultKind, AtomicLong> faultCounts = new EnumMap<>(FaultKind.class);

	/** When each refund request arrived ({@link System#nanoTime}), in order; guarded by {@code this}. */
	private long[] arrivals = new long[1024];

	private int arrivalCount;

	private volatile FaultPlan faultPlan;

	private volatile LifecyclePlan lifecyclePlan;

	private final RefundParts parts = new RefundParts();

	/** The time of the refund parts' lifecycle (created, settled); injectable so tests need not wait. */
	private final Clock clock;

	AbstractSimulatedProvider(String name, SandboxFaults faults, RefundLifecycle lifecycle, Clock clock) {
		this.name = name;
		this.clock = Objects.requireNonNull(clock, "clock");
		for (FaultKind kind : FaultKind.values()) {
			faultCounts.put(kind, new AtomicLong());
		}
		setFaults(faults);
		setLifecycle(lifecycle);
	}

	@Override
	public String name() {
		return name;
	}

	@Override
	public List<AppliedRefund> appliedRefunds() {
		synchronized (applied) {
			return List.copyOf(applied);
		}
	}

	@Override
	public int appliedCount() {
		synchronized (applied) {
			return applied.size();
		}
	}

	@Override
	public int requestCount() {
		return requests.get();
	}

	@Override
	public int queryCount() {
		return queries.get();
	}

	@Override
	public int tooManyRequestsCount() {
		return tooManyRequests.get();
	}

	@Override
	public Map<FaultKind, Long> faultCounts() {
		Map<FaultKind, Long> counts = new EnumMap<>(FaultKind.class);
		faultCounts.forEach((kind, count) -> counts.put(kind, count.get()));
		return Collections.unmodifiableMap(counts);
	}

	@Override
	public SandboxFaults faults() {
		return faultPlan.faults();
	}

	@Override
	public void setFaults(SandboxFaults faults) {
		faultPlan = new FaultPlan(Objects.requireNonNull(faults, "faults"), System.nanoTime());
		log.info("Sandbox {} faults: {}", name, faults);
	}

	@Override
	public RefundLifecycle lifecycle() {
		return lifecyclePlan.lifecycle();
	}

	@Override
	public void setLifecycle(RefundLifecycle lifecycle) {
		lifecyclePlan = new LifecyclePlan(Objects.requireNonNull(lifecycle, "lifecycle"));
		if (lifecycle.equals(RefundLifecycle.immediate())) {
			log.debug("Sandbox {} refund lifecycle: every refund Completed at once", name);
		}
		else {
			log.info("Sandbox {} refund lifecycle: {}", name, lifecycle);
		}
	}

	@Override
	public List<RefundPart> refundParts() {
		settleDue();
		return parts.snapshots();
	}

	@Override
	public Optional<RefundPart> refundPart(String id) {
		settleDue();
		return parts.find(id).map(SimulatedRefund::snapshot);
	}

	@Override
	public RefundPart completeRefund(String id) {
		settleDue();
		return parts.settle(id, RefundStatus.COMPLETED, now());
	}

	@Override
	public RefundPart rejectRefund(String id) {
		settleDue();
		return parts.settle(id, RefundStatus.REJECTED, now());
	}

	@Override
	public int settleAll() {
		settleDue();
		return parts.settleAll(now());
	}

	/** Settles the Pending parts whose time has come; call it holding no group's monitor. */
	void settleDue() {
		parts.settleDue(now());
	}

	Instant now() {
		return clock.instant();
	}

	/**
	 * Records a refund accepted (whatever becomes of its parts); the caller holds its group's lock, so the record
	 * follows the check.
	 */
	AppliedRefund record(String groupId, BigDecimal amount, Currency currency, String idempotencyKey,
			String operationId) {
		synchronized (applied) {
			AppliedRefund refund = new AppliedRefund(applied.size() + 1, groupId, amount, currency, idempotencyKey,
					operationId, now());
			applied.add(refund);
			return refund;
		}
	}

	/** What the parts of the refund being accepted become, drawn from the lifecycle in force. */
	LifecyclePlan.Decision decideLifecycle(int partCount) {
		return lifecyclePlan.decide(partCount);
	}

	/**
	 * Creates and registers part {@code index} of an accepted refund; the caller holds the group's monitor
	 * ({@code lock}) and adds the part to its group.
	 * @param paymentId the payment refunded, or {@code null}
	 */
	SimulatedRefund createPart(String id, Object lock, String paymentId, BigDecimal amount, AppliedRefund request,
			LifecyclePlan.Decision decision, int index) {
		Instant now = now();
		RefundStatus initial = decision.initial();
		RefundPart created = new RefundPart(id, name, request.groupPaymentId(), paymentId, amount,
				request.currency(), initial, now, now, request.idempotencyKey(), request.operationId(),
				request.sequence(), (initial == RefundStatus.ERROR) ? SimulatedRefund.ERROR_REASON : "");
		Duration settleAfter = lifecyclePlan.lifecycle().settleAfter();
		Instant dueAt = (initial == RefundStatus.PENDING && !settleAfter.isZero()) ? now.plus(settleAfter) : null;
		SimulatedRefund part = new SimulatedRefund(created, lock, decision.outcome(index), dueAt);
		parts.add(part);
		return part;
	}

	/** When each refund request arrived ({@link System#nanoTime}), oldest first, whatever its answer. */
	public long[] arrivalNanos() {
		synchronized (this) {
			return Arrays.copyOf(arrivals, arrivalCount);
		}
	}

	/** Rates and the busiest window, from the arrival times and the refunds applied. */
	public SandboxStats stats(Duration window) {
		return SandboxStats.of(arrivalNanos(), appliedRefunds(), tooManyRequestsCount(), window);
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

}
