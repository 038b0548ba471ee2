package org.parley.client;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

  static final JavaClasses CORE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("org.parley.client");

  @Test
  void clientCoreHasNoUi() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("javafx..", "javax.swing..").check(CORE);
    // Screen sharing captures the display through java.awt.Robot (ADR 0702): that one package, and no windows.
    noClasses().that().resideOutsideOfPackage("org.parley.client.internal.screen..")
        .should().dependOnClassesThat().resideInAnyPackage("java.awt").check(CORE);
    noClasses().should().dependOnClassesThat().haveFullyQualifiedName("java.awt.Component")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.awt.Window").check(CORE);
    noClasses().should().dependOnClassesThat().resideInAnyPackage("java.awt.event..", "java.awt.datatransfer..",
        "java.awt.dnd..", "java.awt.font..", "java.awt.im..", "java.awt.print..").check(CORE);
  }

  @Test
  void onlyThumbnailsAndScreenCaptureTouchPixels() {
    // ImageIO hands pictures over as java.awt.image.BufferedImage; that needs no display (docs/decisions/0121).
    noClasses().that().resideOutsideOfPackage("org.parley.client.internal.attachments..")
        .and().resideOutsideOfPackage("org.parley.client.internal.screen..")
        .should().dependOnClassesThat().resideInAnyPackage("java.awt..", "javax.imageio..")
        .check(CORE);
  }

  @Test
  void theApiIsRecordsExceptionsAndInterfacesThatDoNotLeakTheImplementation() {
    classes().that().resideInAPackage("org.parley.client.api..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("org.parley.client.api..", "java..")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("org.parley.client.internal.Clients")
        .check(CORE);
  }

  @Test
  void librariesStayInside() {
    noClasses().that().resideInAPackage("org.parley.client.api..")
        .should().dependOnClassesThat().resideInAnyPackage("org.signal..", "org.parley.protocol..", "org.h2..",
            "org.java_websocket..", "com.google.protobuf..")
        .check(CORE);
  }

  /**
   * Every package under {@code internal} (the composition root's own included) is a slice of its own, so a cycle
   * between any two of them fails: the root depends on everything, and nothing depends back on it.
   */
  @Test
  void theInternalPackagesHaveNoCycles() {
    slices().assignedFrom(new SliceAssignment() {
      @Override
      public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
        String name = javaClass.getPackageName();
        return name.startsWith("org.parley.client.internal") ? SliceIdentifier.of(name) : SliceIdentifier.ignore();
      }

      @Override
      public String getDescription() {
        return "each package under org.parley.client.internal";
      }
    }).should().beFreeOfCycles().check(CORE);
  }
}
