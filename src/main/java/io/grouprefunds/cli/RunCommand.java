package io.grouprefunds.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

	@Option(names = "--provider", required = true, description = "rapyd")
	String provider;

	@Option(names = "--dry-run", description = "Validate and show the signed requests; record and send nothing.")
	boolean dryRun;

	@Option(names = "--sandbox", paramLabel = "GROUPS_CSV",
			description = "Send to the built-in provider sandbox, started in this process and seeded from GROUPS_CSV, "
					+ "instead of the configured provider (demo and trials).")
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
			sandbox.rapyd().loadGroupPayments(sandboxGroups);
			SandboxSettings settings = SandboxSettings.defaults();
			args.add("--refunds.rapyd.base-url=" + sandbox.rapydBaseUrl());
			args.add("--refunds.rapyd.access-key=" + settings.rapydAccessKey());
			args.add("--refunds.rapyd.secret-key=" + settings.rapydSecretKey());
			spec.commandLine().getOut().println("Sending to the built-in sandbox at " + sandbox.rapydBaseUrl());
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
