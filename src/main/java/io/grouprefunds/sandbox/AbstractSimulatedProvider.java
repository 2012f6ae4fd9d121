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

import io.grouprefunds.sandbox.faults.FaultDecision;
import io.grouprefunds.sandbox.faults.FaultKind;
import io.grouprefunds.sandbox.faults.FaultPlan;
import io.grouprefunds.sandbox.faults.SandboxFaults;

/**
 * What every simulated provider keeps alike: the refunds it accepted and their parts (the ground truth), its request
 * counters, the {@link FaultPlan} and {@link LifecyclePlan} in force. So all providers count, inject faults and
 * settle refunds the same way; each subclass adds its groups and its rules.
 */
public abstract class AbstractSimulatedProvider implements SimulatedProvider {

	private static final Logger log = LoggerFactory.getLogger(AbstractSimulatedProvider.class);

	private final String name;

	/** Every refund accepted, in order; guarded by itself so a refund's sequence is its position. */
	private final List<AppliedRefund> applied = new ArrayList<>();

	private final AtomicInteger requests = new AtomicInteger();

	/** Refund requests received per idempotency key (Rapyd's header, the issuer's request_id), whatever their answer. */
	private final Map<String, AtomicInteger> requestsByKey = new java.util.concurrent.ConcurrentHashMap<>();

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

	protected AbstractSimulatedProvider(String name, SandboxFaults faults, RefundLifecycle lifecycle, Clock clock) {
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
	public Map<String, Integer> requestsByIdempotencyKey() {
		Map<String, Integer> counts = new java.util.HashMap<>();
		requestsByKey.forEach((key, count) -> counts.put(key, count.get()));
		return counts;
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
		return parts.settle(id, RefundStatus.COMPLETED, clock.instant());
	}

	@Override
	public RefundPart rejectRefund(String id) {
		settleDue();
		return parts.settle(id, RefundStatus.REJECTED, clock.instant());
	}

	@Override
	public int settleAll() {
		settleDue();
		return parts.settleAll(clock.instant());
	}

	@Override
	public long[] arrivalNanos() {
		synchronized (this) {
			return Arrays.copyOf(arrivals, arrivalCount);
		}
	}

	@Override
	public SandboxStats stats(Duration window) {
		return SandboxStats.of(arrivalNanos(), appliedRefunds(), tooManyRequestsCount(), window);
	}

	/** Settles the Pending parts whose time has come; call it holding no group's monitor. */
	protected final void settleDue() {
		parts.settleDue(clock.instant());
	}

	/**
	 * Records a refund accepted (whatever becomes of its parts); the caller holds its group's lock, so the record
	 * follows the check.
	 */
	protected final AppliedRefund record(String groupId, BigDecimal amount, Currency currency, String idempotencyKey,
			String operationId) {
		synchronized (applied) {
			AppliedRefund refund = new AppliedRefund(applied.size() + 1, groupId, amount, currency, idempotencyKey,
					operationId, clock.instant());
			applied.add(refund);
			return refund;
		}
	}

	/**
	 * Creates and registers the parts of an accepted refund, all starting as the lifecycle draws them (Completed,
	 * Pending or Error); the caller holds the group's monitor ({@code lock}) and adds each part to its group.
	 */
	protected final List<SimulatedRefund> createParts(Object lock, AppliedRefund request, List<NewPart> newParts) {
		// Read once: the lifecycle may be switched meanwhile, and one refund's parts follow one plan.
		LifecyclePlan plan = lifecyclePlan;
		LifecyclePlan.Decision decision = plan.decide(newParts.size());
		Duration settleAfter = plan.lifecycle().settleAfter();
		Instant now = clock.instant();
		RefundStatus initial = decision.initial();
		Instant dueAt = (initial == RefundStatus.PENDING && !settleAfter.isZero()) ? now.plus(settleAfter) : null;
		List<SimulatedRefund> created = new ArrayList<>();
		for (int i = 0; i < newParts.size(); i++) {
			NewPart part = newParts.get(i);
			RefundPart first = new RefundPart(part.id(), name, request.groupPaymentId(), part.paymentId(),
					part.amount(), request.currency(), initial, now, now, request.idempotencyKey(),
					request.operationId(), request.sequence(),
					(initial == RefundStatus.ERROR) ? SimulatedRefund.ERROR_REASON : "");
			SimulatedRefund refund = new SimulatedRefund(first, lock, decision.outcome(i), dueAt);
			parts.add(refund);
			created.add(refund);
		}
		return created;
	}

	/**
	 * A part to create.
	 * @param id the provider's id for it (Rapyd refund id, issuer reqNo)
	 * @param paymentId the payment refunded, or {@code null}
	 */
	public record NewPart(String id, String paymentId, BigDecimal amount) {
	}

	/** A refund request arrived, carrying {@code idempotencyKey} (null: none could be read). */
	FaultDecision nextRefundFaults(String idempotencyKey) {
		requests.incrementAndGet();
		if (idempotencyKey != null) {
			requestsByKey.computeIfAbsent(idempotencyKey, key -> new AtomicInteger()).incrementAndGet();
		}
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
