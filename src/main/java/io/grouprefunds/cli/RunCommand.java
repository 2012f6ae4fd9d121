package io.grouprefunds.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.grouprefunds.job.BatchRunner;
import io.grouprefunds.job.DryRun;
import io.grouprefunds.sandbox.SandboxServer;
import io.grouprefunds.sandbox.SandboxSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Unmatched;

/** {@code run FILE --provider P}: ingest, check and send a refund file; a file seen before resumes or is refused. */
@Command(name = "run", description = "Run a refund file: validate every row, then send the valid ones.")
class RunCommand implements Callable<Integer> {

	@Parameters(index = "0", paramLabel = "FILE", description = "The refund CSV.")
	Path file;

	@Option(names = "--provider", required = true, description = "The provider to send to: rapyd or issuer.")
	String provider;

	@Option(names = "--dry-run", description = "Validate and show the signed requests; record and send nothing.")
	boolean dryRun;

	@Option(names = "--sandbox", paramLabel = "GROUPS_CSV",
			description = "Send to the built-in sandbox of the --provider, started in this process and seeded from "
					+ "GROUPS_CSV, instead of the configured provider (demo and trials).")
	Path sandboxGroups;

	@Unmatched
	List<String> springArgs = new ArrayList<>();

	@Spec
	CommandSpec spec;

	@Override
	public Integer call() {
		List<String> args = new ArrayList<>(springArgs);
		SandboxServer sandbox = null;
		if (sandboxGroups != null) {
			sandbox = SandboxServer.start(SandboxSettings.defaults());
			try {
				sandbox.provider(provider).loadGroups(sandboxGroups);
			}
			catch (RuntimeException ex) {
				sandbox.close();
				throw ex;
			}
			// The sandbox knows which settings point this provider's adapter at it: nothing provider-specific here.
			Map<String, String> client = sandbox.clientSettings(provider);
			client.forEach((name, value) -> args.add("--" + name + "=" + value));
			spec.commandLine().getOut().println("Sending to the built-in " + provider + " sandbox at "
					+ client.get("refunds." + provider + ".base-url"));
		}
		try {
			return Cli.withContext(args, context -> {
				if (dryRun) {
					return context.getBean(DryRun.class).run(file, provider, spec.commandLine().getOut());
				}
				BatchRunner.Result result = context.getBean(BatchRunner.class).run(file, provider);
				return Output.print(spec.commandLine(), result);
			});
		}
		finally {
			if (sandbox != null) {
				sandbox.close();
			}
		}
	}

}
