package io.grouprefunds.sandbox.rapyd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Currency;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.grouprefunds.sandbox.SandboxServer;
import io.grouprefunds.sandbox.SandboxSettings;

/** Loading group payments from the sandbox's CSV file, including the sample shipped with the project. */
class RapydGroupsCsvTest {

	@TempDir
	Path dir;

	@Test
	void theSampleFileLoads() {
		// given
		Path sample = Path.of("sample-data/sandbox-rapyd-groups.csv");

		// when
		List<RapydGroupsCsv.Row> rows = RapydGroupsCsv.read(sample);

		// then
		assertThat(rows).hasSize(24);
		assertThat(rows).extracting(RapydGroupsCsv.Row::id)
			.doesNotHaveDuplicates()
			.allMatch((id) -> id.matches("gp_[0-9a-f]{32}"));
		assertThat(rows).filteredOn((row) -> row.status().equals("active")).hasSize(2);
		assertThat(rows).filteredOn((row) -> row.currency().getCurrencyCode().equals("JPY")).hasSize(2);
		assertThat(rows).allSatisfy((row) -> assertThat(row.amounts()).hasSizeBetween(2, 10));
	}

	@Test
	void loadedGroupPaymentsCanBeRefunded() throws IOException {
		// given
		Path csv = write("group_payment,currency,status,payments",
				"gp_8932172b9ae44d0caa04d5d419b43739,USD,closed,75.00;50.00", "",
				"gp_0000000000000000000000000000000a,JPY,active,1000;2000");
		try (SandboxServer server = SandboxServer.start(SandboxSettings.defaults())) {
			RapydSandbox rapyd = (RapydSandbox) server.rapyd();

			// when
			rapyd.loadGroupPayments(csv);
			rapyd.refund("gp_8932172b9ae44d0caa04d5d419b43739", new BigDecimal("71"), null, "op-1");

			// then
			assertThat(rapyd.refundedAmount("gp_8932172b9ae44d0caa04d5d419b43739")).isEqualByComparingTo("71");
			GroupPayment.View yen = rapyd.groupPayment("gp_0000000000000000000000000000000a");
			assertThat(yen.currency()).isEqualTo(Currency.getInstance("JPY"));
			assertThat(yen.status()).isEqualTo(GroupStatus.ACTIVE);
			assertThat(yen.amount()).isEqualByComparingTo("3000");
		}
	}

	@Test
	void aBadLineIsReportedWithItsNumber() throws IOException {
		// given a third decimal in USD on line 3
		Path csv = write("group_payment,currency,status,payments",
				"gp_0000000000000000000000000000000b,USD,closed,1.00",
				"gp_0000000000000000000000000000000c,USD,closed,1.005;2.00");

		// when / then
		assertThatIllegalArgumentException().isThrownBy(() -> RapydGroupsCsv.read(csv))
			.withMessageContaining("line 3")
			.withMessageContaining("decimals");
	}

	@Test
	void aFileWithoutTheHeaderIsRefused() throws IOException {
		// given
		Path csv = write("gp_0000000000000000000000000000000b,USD,closed,1.00");

		// when / then
		assertThatIllegalArgumentException().isThrownBy(() -> RapydGroupsCsv.read(csv))
			.withMessageContaining("first line");
	}

	@Test
	void aDuplicateGroupPaymentIsRefused() throws IOException {
		// given
		Path csv = write("group_payment,currency,status,payments",
				"gp_0000000000000000000000000000000d,EUR,closed,5.00");
		try (SandboxServer server = SandboxServer.start(SandboxSettings.defaults())) {
			server.rapyd().loadGroupPayments(csv);

			// when / then
			assertThatIllegalArgumentException().isThrownBy(() -> server.rapyd().loadGroupPayments(csv))
				.withMessageContaining("already exists");
		}
	}

	private Path write(String... lines) throws IOException {
		return Files.write(dir.resolve("groups.csv"), List.of(lines));
	}

}
