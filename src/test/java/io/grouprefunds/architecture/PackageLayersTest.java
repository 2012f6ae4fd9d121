package io.grouprefunds.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packages are the stages of the job, and their arrows point one way (README, "Architecture"):
 * {@code cli → job → {ingest, submit, reconcile, report} → {provider, ledger, throttle} → {domain, system}}.
 * Fails on a package cycle or on an arrow going the wrong way.
 */
class PackageLayersTest {

	private static JavaClasses main;

	@BeforeAll
	static void importMainClasses() {
		main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages("io.grouprefunds");
	}

	@Test
	void noPackageCycles() {
		slices().matching("io.grouprefunds.(**)").should().beFreeOfCycles().check(main);
	}

	@Test
	void arrowsPointDownTheStages() {
		layeredArchitecture().consideringOnlyDependenciesInLayers()
			.layer("entry").definedBy("io.grouprefunds")
			.layer("cli").definedBy("io.grouprefunds.cli..")
			.layer("sandbox").definedBy("io.grouprefunds.sandbox..")
			.layer("job").definedBy("io.grouprefunds.job..")
			.layer("ingest").definedBy("io.grouprefunds.ingest..")
			.layer("submit").definedBy("io.grouprefunds.submit..")
			.layer("reconcile").definedBy("io.grouprefunds.reconcile..")
			.layer("report").definedBy("io.grouprefunds.report..")
			.layer("provider").definedBy("io.grouprefunds.provider..")
			.layer("ledger").definedBy("io.grouprefunds.ledger..")
			.layer("throttle").definedBy("io.grouprefunds.throttle..")
			.layer("domain").definedBy("io.grouprefunds.domain..")
			.layer("system").definedBy("io.grouprefunds.system..")
			.whereLayer("entry").mayNotBeAccessedByAnyLayer()
			.whereLayer("cli").mayOnlyBeAccessedByLayers("entry")
			.whereLayer("sandbox").mayOnlyBeAccessedByLayers("cli")
			.whereLayer("job").mayOnlyBeAccessedByLayers("cli")
			.whereLayer("ingest").mayOnlyBeAccessedByLayers("cli", "job")
			.whereLayer("submit").mayOnlyBeAccessedByLayers("cli", "job")
			.whereLayer("report").mayOnlyBeAccessedByLayers("cli", "job", "reconcile")
			.whereLayer("reconcile").mayOnlyBeAccessedByLayers("cli", "job", "submit")
			.whereLayer("provider").mayOnlyBeAccessedByLayers("cli", "job", "ingest", "submit", "reconcile", "report",
					"sandbox")
			.whereLayer("ledger").mayOnlyBeAccessedByLayers("cli", "job", "ingest", "submit", "reconcile", "report")
			.whereLayer("throttle").mayOnlyBeAccessedByLayers("cli", "job", "submit", "reconcile", "provider")
			.whereLayer("domain").mayOnlyBeAccessedByLayers("cli", "sandbox", "job", "ingest", "submit", "reconcile",
					"report", "provider", "ledger", "throttle")
			.check(main);
	}

}
