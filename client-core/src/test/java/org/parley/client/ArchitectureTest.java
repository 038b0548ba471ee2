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
    noClasses().should().dependOnClassesThat().resideInAnyPackage("javafx..", "java.awt..", "javax.swing..")
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
