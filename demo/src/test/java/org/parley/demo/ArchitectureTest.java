package org.parley.demo;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The demo itself (server, Echo, outbox) knows nothing of JavaFX; only the tools drive the window. */
class ArchitectureTest {

  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("org.parley.demo");

  @Test
  void theDemoEnvironmentIsFreeOfJavaFx() {
    noClasses().that().resideInAPackage("org.parley.demo")
        .should().dependOnClassesThat().resideInAnyPackage("javafx..").check(CLASSES);
  }

  @Test
  void nothingUsesClientCoreInternals() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("org.parley.client.internal..").check(CLASSES);
  }
}
