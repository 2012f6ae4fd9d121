package io.grouprefunds.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.grouprefunds.sandbox.SandboxServer;
import io.grouprefunds.sandbox.SandboxSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sandbox}: the provider simulator as a server of its own, until interrupted. No database needed. */
@Command(name = "sandbox", description = "Serve the provider sandbox on 127.0.0.1 until stopped (Ctrl-C).")
class SandboxCommand implements Callable<Integer> {

	@Option(names = "--port", defaultValue = "8089", description = "Port on 127.0.0.1 (default ${DEFAULT-VALUE}).")
	int port;

	@Option(names = "--groups", paramLabel = "PROVIDER=GROUPS_CSV", split = ",",
			defaultValue = "rapyd=sample-data/sandbox-rapyd-groups.csv,issuer=sample-data/sandbox-issuer-groups.csv",
			description = "Groups each simulated provider starts with (default ${DEFAULT-VALUE}).")
	Map<String, Path> groups;

	@Spec
	CommandSpec spec;

	@Override
	public Integer call() throws InterruptedException {
		SandboxSettings settings = SandboxSettings.defaults().withPort(port);
		CountDownLatch stopped = new CountDownLatch(1);
		try (SandboxServer server = SandboxServer.start(settings)) {
			groups.forEach((provider, csv) -> server.provider(provider).loadGroups(csv));
			Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
			for (String provider : server.providerNames()) {
				spec.commandLine().getOut().printf("%s sandbox on %s (keys: the sandbox defaults, see "
						+ "docs/providers-in-this-job.md).%n", provider,
						server.clientSettings(provider).get("refunds." + provider + ".base-url"));
			}
			spec.commandLine().getOut().println("Ctrl-C stops it.");
			spec.commandLine().getOut().flush();
			stopped.await();
		}
		return 0;
	}

}
