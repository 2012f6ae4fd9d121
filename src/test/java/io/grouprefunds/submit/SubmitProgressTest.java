package io.grouprefunds.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/** The progress line tells sent, answered, settled (by status) and not sent apart, from the counts it is given. */
class SubmitProgressTest {

	@Test
	void rowsAnsweredButNotYetRecordedAreCountedAsThrough() {
		// given 60 rows, 40 sent and 35 answered, their chunk not recorded yet
		SubmitProgress.Snapshot now = snapshot(60, new SubmitCounts.Snapshot(40, 35, 0, 0), Map.of(), 7.0, -1);

		// when
		String line = SubmitProgress.line(now);

		// then
		assertThat(line).isEqualTo("submit batch 1: 60 rows: 40 sent, 35 answered, 0 settled, 0 not sent "
				+ "(58% through); 7.0 rows/s, ETA 4 s; 429s 0, retries 0");
		assertThat(SubmitProgress.bar(now)).startsWith("[#################.............]  58% 35/60");
	}

	@Test
	void rowsPutBackUnsentAreNotSettled() {
		// given 21 rows: 13 succeeded, 8 put back unsent when the provider went away
		SubmitProgress.Snapshot now = snapshot(21, new SubmitCounts.Snapshot(13, 13, 8, 0),
				Map.of("SUCCEEDED", 13L), 4.2, 0.0);

		// when
		String line = SubmitProgress.line(now);

		// then
		assertThat(line).isEqualTo("submit batch 1: 21 rows: 13 sent, 13 answered, 13 settled (SUCCEEDED 13), "
				+ "8 not sent (100% through); 4.2 rows/s (last 5 s: 0.0), ETA 0 s; 429s 0, retries 0");
	}

	@Test
	void settledRowsAreListedByStatusWithRowsFoundFinalBeforeSending() {
		// given a restart: 5 rows found already done, 3 answered, 2 of them settled
		Map<String, Long> settled = new TreeMap<>(Map.of("ALREADY_DONE", 5L, "DECLINED", 1L, "SUCCEEDED", 1L));
		SubmitProgress.Snapshot now = snapshot(10, new SubmitCounts.Snapshot(3, 3, 0, 5), settled, 2.0, 1.5);

		// when
		String line = SubmitProgress.line(now);

		// then
		assertThat(line).isEqualTo("submit batch 1: 10 rows: 3 sent, 3 answered, 7 settled (ALREADY_DONE 5, "
				+ "DECLINED 1, SUCCEEDED 1), 0 not sent (80% through); 2.0 rows/s (last 5 s: 1.5), ETA 1 s; "
				+ "429s 0, retries 0");
	}

	private static SubmitProgress.Snapshot snapshot(long total, SubmitCounts.Snapshot rows,
			Map<String, Long> settled, double overallRate, double recentRate) {
		return new SubmitProgress.Snapshot(1, total, rows, new TreeMap<>(settled), overallRate, recentRate, 5.0, 0,
				0);
	}

}
