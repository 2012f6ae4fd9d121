package io.grouprefunds.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import io.grouprefunds.sandbox.RefundLifecycle;
import io.grouprefunds.sandbox.SandboxSettings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The options of {@code sandbox}: what sandbox they start, read without starting it. */
class SandboxCommandTest {

	private static SandboxSettings parse(String... args) {
		SandboxCommand sandbox = new SandboxCommand();
		new CommandLine(sandbox).parseArgs(args);
		return sandbox.settings();
	}

	@Test
	void withoutOptionsEveryRefundCompletesAtOnceAsBefore() {
		// given / when
		SandboxSettings settings = parse();

		// then
		assertThat(settings.lifecycle()).isEqualTo(RefundLifecycle.immediate());
		assertThat(settings.port()).isEqualTo(8089);
	}

	@Test
	void theLifecycleOptionsShapeTheRefundsAndTheSeedMakesThemReproducible() {
		// given / when
		SandboxSettings settings = parse("--pending-rate", "0.5", "--settle-after", "2s", "--reject-rate", "0.3",
				"--error-rate", "0.1", "--seed", "7");

		// then
		assertThat(settings.lifecycle()).isEqualTo(new RefundLifecycle(0.5, Duration.ofSeconds(2), 0.3, 0.1, 7L));
		assertThat(settings.faults().seed()).isEqualTo(7L);
		assertThat(parse("--settle-after", "0").lifecycle().settlesByItself()).isFalse();
		assertThat(parse("--settle-after", "1500ms").lifecycle().settleAfter()).isEqualTo(Duration.ofMillis(1500));
	}

	@Test
	void aBadLifecycleOptionIsAUsageErrorThatSaysWhy() {
		assertThatThrownBy(() -> parse("--settle-after", "soon")).isInstanceOf(CommandLine.ParameterException.class)
			.hasMessageContaining("--settle-after");
		assertThatThrownBy(() -> parse("--pending-rate", "2")).isInstanceOf(CommandLine.ParameterException.class)
			.hasMessageContaining("pendingRate");
	}

}
