package org.parley.desktop;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * ViewModels, settings and the sound check know nothing of JavaFX; the UI reaches client-core only through its API;
 * the app does not contain the server (the demo module embeds it).
 */
class ArchitectureTest {

  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("org.parley.desktop");

  @Test
  void viewModelsSettingsAudioAndMapsAreFreeOfJavaFx() {
    noClasses().that().resideInAnyPackage("org.parley.desktop.vm..", "org.parley.desktop.settings..",
        "org.parley.desktop.audio..", "org.parley.desktop.maps..").should().dependOnClassesThat()
        .resideInAnyPackage("javafx..")
        .check(CLASSES);
  }

  @Test
  void theAppDoesNotContainTheServer() {
    // The server is on the test class path (test-support's ParleyServerExtension starts it), so this rule can see a use of it.
    noClasses().should().dependOnClassesThat().resideInAnyPackage("org.parley.server..").check(CLASSES);
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

  @Test
  void viewModelsDoNotTouchLibwebrtc() {
    // Sound devices are reached through client-core's API, or in the sound check's child JVM (audio/).
    noClasses().that().resideOutsideOfPackage("org.parley.desktop.audio..").should().dependOnClassesThat()
        .resideInAnyPackage("dev.onvoid..").check(CLASSES);
  }

  @Test
  void viewModelsDoNotTouchJavaSound() {
    // Voice notes reach devices through vm.Microphone / vm.Speaker (audio/ has the Java Sound ones), so ViewModel
    // tests feed them without hardware.
    noClasses().that().resideInAnyPackage("org.parley.desktop.vm..").should().dependOnClassesThat()
        .resideInAnyPackage("javax.sound..").check(CLASSES);
  }
}
