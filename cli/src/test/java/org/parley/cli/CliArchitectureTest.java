package org.parley.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class CliArchitectureTest {

  @Test
  void theCliUsesOnlyTheClientApi() {
    JavaClasses cli = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("org.parley.cli");
    noClasses().should().dependOnClassesThat().resideInAnyPackage("org.parley.client.internal..", "org.signal..",
        "org.parley.protocol..", "org.h2..", "org.java_websocket..", "com.google.protobuf..")
        .check(cli);
  }
}
