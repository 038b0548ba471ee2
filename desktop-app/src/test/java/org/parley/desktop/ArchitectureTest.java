package org.parley.desktop;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** ViewModels, settings and the demo know nothing of JavaFX; the UI reaches client-core only through its API. */
class ArchitectureTest {

  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("org.parley.desktop");

  @Test
  void viewModelsSettingsAndDemoAreFreeOfJavaFx() {
    noClasses().that().resideInAnyPackage("org.parley.desktop.vm..", "org.parley.desktop.settings..",
        "org.parley.desktop.demo..").should().dependOnClassesThat().resideInAnyPackage("javafx..")
        .check(CLASSES);
  }

  @Test
  void nothingUsesClientCoreInternals() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("org.parley.client.internal..")
        .check(CLASSES);
  }

  @Test
  void viewModelsDoNotReachIntoViews() {
    noClasses().that().resideInAnyPackage("org.parley.desktop.vm..").should().dependOnClassesThat()
        .resideInAnyPackage("org.parley.desktop.view..").check(CLASSES);
  }
}
