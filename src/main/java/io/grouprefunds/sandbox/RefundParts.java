package io.grouprefunds.sandbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.PriorityQueue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every refund part one simulated provider created, in order, and the Pending ones waiting to settle by themselves.
 * Parts settle lazily: whoever reads the provider first settles those whose time has come, at that time, so what is
 * seen is what a provider settling on time would show, and an injected clock makes it exact in tests.
 *
 * <p>Lock order: a group's monitor, then this registry. Settling takes the registry only to pick the parts, then
 * each part's group alone, so it never holds two groups.
 */
final class RefundParts {

	private static final Logger log = LoggerFactory.getLogger(RefundParts.class);

	/** Guarded by {@code this}. */
	private final List<SimulatedRefund> all = new ArrayList<>();

	/** Guarded by {@code this}. */
	private final Map<String, SimulatedRefund> byId = new HashMap<>();

	/** Pending parts by the time they settle by themselves, soonest first; guarded by {@code this}. */
	private final PriorityQueue<SimulatedRefund> due = new PriorityQueue<>(
			Comparator.comparing(SimulatedRefund::dueAt));

	synchronized void add(SimulatedRefund part) {
		all.add(part);
		byId.put(part.id(), part);
		if (part.status() == RefundStatus.PENDING && part.dueAt() != null) {
			due.add(part);
		}
	}

	/** Settles, as planned, every Pending part due at {@code now}; the caller holds no group's monitor. */
	void settleDue(Instant now) {
		List<SimulatedRefund> ready = new ArrayList<>();
		synchronized (this) {
			while (!due.isEmpty() && !due.peek().dueAt().isAfter(now)) {
				ready.add(due.poll());
			}
		}
		// Each settles at its due time, not at now: that is when a provider on time would have changed it.
		ready.forEach((part) -> settle(part, part.outcome(), part.dueAt()));
	}

	/** Settles every Pending part now, as planned; the caller holds no group's monitor. */
	int settleAll(Instant now) {
		List<SimulatedRefund> pending;
		synchronized (this) {
			pending = all.stream().filter((part) -> part.status() == RefundStatus.PENDING).toList();
		}
		return (int) pending.stream().filter((part) -> settle(part, part.outcome(), now)).count();
	}

	/**
	 * Settles one Pending part now to {@code to}; the caller holds no group's monitor.
	 * @throws NoSuchElementException when there is no such part
	 * @throws IllegalStateException when the part is not Pending
	 */
	RefundPart settle(String id, RefundStatus to, Instant now) {
		SimulatedRefund part = find(id).orElseThrow(() -> new NoSuchElementException("no refund " + id));
		if (!settle(part, to, now)) {
			throw new IllegalStateException("refund " + id + " is " + part.status().wire() + ", not Pending");
		}
		return part.snapshot();
	}

	synchronized Optional<SimulatedRefund> find(String id) {
		return Optional.ofNullable(byId.get(id));
	}

	synchronized List<RefundPart> snapshots() {
		return all.stream().map(SimulatedRefund::snapshot).toList();
	}

	private static boolean settle(SimulatedRefund part, RefundStatus to, Instant at) {
		boolean settled;
		synchronized (part.lock()) {
			settled = part.settle(to, at);
		}
		if (settled) {
			RefundPart now = part.snapshot();
			log.info("Sandbox {} refund {} settled {}: {} {} on {}", now.provider(), now.id(), to.wire(),
					now.amount().toPlainString(), now.currency(), now.groupId());
		}
		return settled;
	}

}
