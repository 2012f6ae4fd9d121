package io.grouprefunds.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import io.grouprefunds.ledger.LedgerRow;
import io.grouprefunds.domain.RowStatus;
import org.junit.jupiter.api.Test;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/** The submit reader saves the position of the previous commit: the chunk just written may still be in flight. */
class RecordedPositionReaderTest {

	@Test
	void eachCommitSavesThePositionOfTheCommitBefore() throws Exception {
		// given a reader over 10 rows, read in chunks of 3
		CountingReader rows = new CountingReader(10);
		RecordedPositionReader reader = new RecordedPositionReader(rows, null);
		ExecutionContext context = new ExecutionContext();
		reader.open(context);
		List<Integer> saved = new ArrayList<>();

		// when three chunks are read and committed
		for (int chunk = 0; chunk < 3; chunk++) {
			for (int i = 0; i < 3; i++) {
				reader.read();
			}
			reader.update(context);
			saved.add(context.getInt("rows.read"));
		}

		// then each commit saved where the reader was one commit earlier
		assertThat(saved).containsExactly(0, 3, 6);
	}

	@Test
	void afterARestartTheFirstCommitSavesThePositionItRestartedFrom() throws Exception {
		// given a restart from row 6
		CountingReader rows = new CountingReader(10);
		RecordedPositionReader reader = new RecordedPositionReader(rows, null);
		ExecutionContext context = new ExecutionContext();
		context.putInt("rows.read", 6);
		reader.open(context);

		// when one chunk is read and committed
		for (int i = 0; i < 3; i++) {
			reader.read();
		}
		reader.update(context);

		// then the restart position is kept, not lost
		assertThat(context.getInt("rows.read")).isEqualTo(6);
	}

	/** Rows 1..n; its state is how many were read. */
	private static final class CountingReader implements ItemStreamReader<LedgerRow> {

		private final int total;

		private int read;

		CountingReader(int total) {
			this.total = total;
		}

		@Override
		public LedgerRow read() {
			return read < total ? new LedgerRow(++read, 1, read + 1, "rapyd", "r-" + read, "gp", null, "USD",
					RowStatus.READY, 0, "k-" + read) : null;
		}

		@Override
		public void open(ExecutionContext context) {
			read = context.containsKey("rows.read") ? context.getInt("rows.read") : 0;
		}

		@Override
		public void update(ExecutionContext context) {
			context.putInt("rows.read", read);
		}

	}

}
