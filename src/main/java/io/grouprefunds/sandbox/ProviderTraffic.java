package io.grouprefunds.sandbox;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one simulated provider was asked and what faults it injected: its request counters and the
 * {@link FaultPlan} in force. Every simulated provider has one, so they all inject faults the same way.
 */
final class ProviderTraffic {

	private static final Logger log = LoggerFactory.getLogger(ProviderTraffic.class);

	private final String provider;

	private final AtomicInteger requests = new AtomicInteger();

	private final AtomicInteger queries = new AtomicInteger();

	private final AtomicInteger tooManyRequests = new AtomicInteger();

	private final Map<FaultKind, AtomicLong> faultCounts = new EnumMap<>(FaultKind.class);

	private volatile FaultPlan faultPlan;

	ProviderTraffic(String provider, SandboxFaults faults) {
		this.provider = provider;
		for (FaultKind kind : FaultKind.values()) {
			faultCounts.put(kind, new AtomicLong());
		}
		setFaults(faults);
	}

	int requestCount() {
		return requests.get();
	}

	int queryCount() {
		return queries.get();
	}

	int tooManyRequestsCount() {
		return tooManyRequests.get();
	}

	Map<FaultKind, Long> faultCounts() {
		Map<FaultKind, Long> counts = new EnumMap<>(FaultKind.class);
		faultCounts.forEach((kind, count) -> counts.put(kind, count.get()));
		return Collections.unmodifiableMap(counts);
	}

	SandboxFaults faults() {
		return faultPlan.faults();
	}

	void setFaults(SandboxFaults faults) {
		faultPlan = new FaultPlan(Objects.requireNonNull(faults, "faults"), System.nanoTime());
		log.info("Sandbox {} faults: {}", provider, faults);
	}

	FaultDecision nextRefundFaults() {
		requests.incrementAndGet();
		return faultPlan.decideRefund(System.nanoTime());
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
