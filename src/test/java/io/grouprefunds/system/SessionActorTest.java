package io.grouprefunds.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line a database session records: secrets never in it, and no value can break out of its literal. */
class SessionActorTest {

	@ParameterizedTest(name = "[{index}] {0}")
	@CsvSource(delimiter = '|', textBlock = """
			--refunds.rapyd.secret-key=rsk_live_123                          | --refunds.rapyd.secret-key=***
			--refunds.issuer.api-key=k3y                                     | --refunds.issuer.api-key=***
			--refunds.rapyd.access-key=rak_live_9                            | --refunds.rapyd.access-key=***
			--spring.datasource.password=hunter2                             | --spring.datasource.password=***
			--SPRING_DATASOURCE_PASSWORD=hunter2                             | --SPRING_DATASOURCE_PASSWORD=***
			-Dapp.token=abc                                                  | -Dapp.token=***
			--spring.datasource.url=jdbc:postgresql://db:5432/refunds?user=ops&password=hunter2&ssl=true | --spring.datasource.url=jdbc:postgresql://db:5432/refunds?user=ops&password=***&ssl=true
			--spring.datasource.url=jdbc:postgresql://ops:hunter2@db/refunds | --spring.datasource.url=jdbc:postgresql://ops:***@db/refunds
			--refunds.metrics.pushgateway.url=https://bob:s3cr3t@gw:9091     | --refunds.metrics.pushgateway.url=https://bob:***@gw:9091
			--refunds.throttle.rate-per-second=2                             | --refunds.throttle.rate-per-second=2
			--expect-rows                                                    | --expect-rows
			sample-data/rapyd-refunds.csv                                    | sample-data/rapyd-refunds.csv
			""")
	void aSecretValueIsReplacedAndEverythingElseKept(String arg, String recorded) {
		// when
		String line = SessionActor.redact(List.of(arg));

		// then
		assertThat(line).isEqualTo(recorded);
	}

	@Test
	void anOptionNamingASecretHidesTheNextArgumentToo() {
		// when
		String line = SessionActor.redact(List.of("run", "f.csv", "--password", "hunter2", "--provider", "rapyd"));

		// then
		assertThat(line).isEqualTo("run f.csv --password *** --provider rapyd").doesNotContain("hunter2");
	}

	@Test
	void theWholeCommandIsKeptInOrderWithArgumentsHoldingSpacesQuoted() {
		// when
		String line = SessionActor.redact(List.of("approve", "7", "--note", "checked with Anna's team",
				"--refunds.rapyd.secret-key=rsk_SANDBOX_SECRET_KEY"));

		// then
		assertThat(line).isEqualTo("approve 7 --note 'checked with Anna'\\''s team' --refunds.rapyd.secret-key=***");
	}

	@Test
	void aVeryLongCommandIsCut() {
		// when
		String line = SessionActor.redact(List.of("run", "x".repeat(5000)));

		// then
		assertThat(line).hasSize(SessionActor.MAX_COMMAND).endsWith("…");
	}

	@Test
	void everyValueIsAnEscapeStringLiteralThatCannotBeLeft() {
		// when
		String literal = SessionActor.literal("a'; DROP TABLE refund_event; --\\'\n\u0000z");

		// then quotes are doubled, backslashes doubled, control characters (NUL included) become spaces
		assertThat(literal).isEqualTo("E'a''; DROP TABLE refund_event; --\\\\''  z'");
		assertThat(SessionActor.literal(null)).isEqualTo("''");
	}

	@Test
	void theInitSqlSetsTheFourSessionSettings() {
		// given
		SessionActor actor = new SessionActor("ops", "host1", "host1:42", "status 1");

		// when
		String sql = actor.initSql();

		// then
		assertThat(sql).isEqualTo("SELECT set_config('refunds.os_user', E'ops', false), set_config('refunds.host', "
				+ "E'host1', false), set_config('refunds.process', E'host1:42', false), set_config('refunds.command', "
				+ "E'status 1', false)");
	}

	@Test
	void thisProcessIsDescribedByItsUserHostAndPid() {
		// when
		SessionActor actor = SessionActor.of(List.of("status"));

		// then
		assertThat(actor.osUser()).isEqualTo(System.getProperty("user.name"));
		assertThat(actor.process()).isEqualTo(actor.host() + ":" + ProcessHandle.current().pid());
		assertThat(actor.command()).isEqualTo("status");
	}

}
