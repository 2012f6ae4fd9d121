package io.grouprefunds.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import io.grouprefunds.submit.StopTime;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --stop-at HH:MM} of {@code run}, {@code restart} and {@code rerun-failed}: the command-line form of
 * {@code refunds.submit.stop-at}, which it sets (and overrides) for this command. A wrong time is a usage error.
 */
class StopAtOption {

	static final String SETTING = "refunds.submit.stop-at";

	@Spec(Spec.Target.MIXEE)
	CommandSpec spec;

	@Option(names = "--stop-at", paramLabel = "HH:MM",
			description = "Stop sending at this time of day, in this host's time zone (a time already past when the "
					+ "command starts means tomorrow; YYYY-MM-DDTHH:MM names the day), as on SIGTERM: the answers in flight are recorded, unsent rows "
					+ "stay READY, exit 5; the next run or `restart` resumes. Also refunds.submit.stop-at.")
	String stopAt;

	/** The command's {@code --name=value} settings, with {@code --stop-at} as the setting it stands for. */
	List<String> applyTo(List<String> springArgs) {
		if (stopAt == null) {
			return springArgs;
		}
		try {
			if (StopTime.resolve(stopAt, Instant.now(), ZoneId.systemDefault()).isEmpty()) {
				throw new IllegalArgumentException("'" + stopAt + "' " + StopTime.RULE);
			}
		}
		catch (IllegalArgumentException ex) {
			throw new CommandLine.ParameterException(spec.commandLine(), "--stop-at " + ex.getMessage());
		}
		List<String> args = new ArrayList<>(springArgs);
		args.removeIf(arg -> arg.startsWith("--" + SETTING + "="));
		args.add("--" + SETTING + "=" + stopAt.strip());
		return args;
	}

}
