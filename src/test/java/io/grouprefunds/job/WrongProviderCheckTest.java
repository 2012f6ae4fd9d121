package io.grouprefunds.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.grouprefunds.provider.GroupState;
import io.grouprefunds.provider.RefundInstruction;
import io.grouprefunds.provider.RefundProvider;
import io.grouprefunds.provider.RefundProviders;
import io.grouprefunds.provider.RowRules;
import io.grouprefunds.domain.SubmitOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/** A file meant for another provider is told apart by the group ids' shapes alone, whatever the providers are. */
class WrongProviderCheckTest {

	private static final String HEADER = "request_id,group_id,amount,currency";

	private final WrongProviderCheck check = new WrongProviderCheck(new RefundProviders(List.of(
			provider("letters", new RowRules(Pattern.compile("gp_[a-f]{4}"), "a letters id", false, Set.of())),
			provider("digits", new RowRules(Pattern.compile("[0-9]{1,6}"), "a digits id", true, Set.of())))));

	@TempDir
	Path dir;

	private Path file(String... rows) throws IOException {
		return Files.writeString(dir.resolve("refunds.csv"), HEADER + "\n" + String.join("\n", rows) + "\n");
	}

	@Test
	void aFileWhoseGroupIdsAreAllAnotherProvidersIsRefusedNamingIt() throws IOException {
		// given
		Path file = file("r-1,gp_abcd,10.00,USD", "r-2,gp_beef,,USD");

		// when
		Optional<String> refusal = check.refusal(file, "digits");

		// then
		assertThat(refusal).hasValueSatisfying(text -> assertThat(text)
			.contains("looks like a file for provider letters")
			.contains("2 of its group ids are a letters id")
			.contains("gp_abcd on line 2")
			.contains("0 are a digits id")
			.contains("run it with --provider letters"));
	}

	@Test
	void aFileMostlyForAnotherProviderIsRefusedEvenIfAFewRowsFitThisOne() throws IOException {
		// given two rows of the other provider's shape, one of this provider's
		Path file = file("r-1,12,10.00,USD", "r-2,34,10.00,USD", "r-3,gp_abcd,10.00,USD");

		// when / then: sending that one row would be a refund from the wrong file
		assertThat(check.refusal(file, "letters")).hasValueSatisfying(text -> assertThat(text)
			.contains("looks like a file for provider digits"));
	}

	@Test
	void aFileMostlyForThisProviderGoesOnAndItsOddRowsAreRejectedOneByOne() throws IOException {
		// given
		Path file = file("r-1,12,10.00,USD", "r-2,34,10.00,USD", "r-3,gp_abcd,10.00,USD");

		// when / then
		assertThat(check.refusal(file, "digits")).isEmpty();
	}

	@Test
	void groupIdsOfNoProvidersShapeGoOnToBeRejectedRowByRow() throws IOException {
		// given
		Path file = file("r-1,GP-1,10.00,USD", "r-2,,10.00,USD");

		// when / then
		assertThat(check.refusal(file, "digits")).isEmpty();
	}

	@Test
	void aFileTheJobRefusesAnywayIsLeftToItsOwnChecks() throws IOException {
		// given
		Path file = Files.writeString(dir.resolve("bad.csv"), "request_id,group,amount\nr-1,gp_abcd,1\n");

		// when / then
		assertThat(check.refusal(file, "digits")).isEmpty();
		assertThat(check.refusal(dir.resolve("missing.csv"), "digits")).isEmpty();
	}

	private static RefundProvider provider(String name, RowRules rules) {
		return new RefundProvider() {

			@Override
			public String name() {
				return name;
			}

			@Override
			public boolean idempotencyEnforced() {
				return false;
			}

			@Override
			public RowRules rowRules() {
				return rules;
			}

			@Override
			public void checkConfiguration() {
			}

			@Override
			public Mono<SubmitOutcome> submit(RefundInstruction instruction) {
				throw new AssertionError("the check sends nothing");
			}

			@Override
			public String preview(RefundInstruction instruction) {
				return "";
			}

			@Override
			public Mono<GroupState> queryGroup(String groupId) {
				throw new AssertionError("the check asks nothing");
			}

		};
	}

}
