package org.parley.client;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
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
}
