package io.grouprefunds.submit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Rows of one group leave one at a time, in line order: the answer to one (the group's remaining balance or
 * refundable amount) decides the next one's, so the file's order must decide, not the network's; and reconciliation
 * can only settle a group with a single unsettled row.
 */
final class GroupOrder {

	/** The last row queued for each group that has not finished yet. */
	private final Map<String, Mono<Void>> tails = new ConcurrentHashMap<>();

	/** {@code send} runs once the group's previous row is done. Call in queue order (flatMap's mapper). */
	<T> Mono<T> after(String group, Mono<T> send) {
		Sinks.Empty<Void> done = Sinks.empty();
		Mono<Void> mine = done.asMono();
		Mono<Void> previous = tails.put(group, mine);
		return (previous == null ? send : previous.then(send)).doFinally(signal -> {
			tails.remove(group, mine);
			done.tryEmitEmpty();
		});
	}

}
