package dev.leibniz.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A user's project, built as the README says: its {@code pom.xml} is the README's, its own
 * {@code @Layer} is compiled by the processor from {@code annotationProcessorPaths}, and its
 * Leibniz artifacts are resolved from the file repository every {@code verify} deploys them to
 * (the staging repository), with a fresh local repository. On every JDK the machine has (17 and
 * 25 here): it compiles under {@code -Xlint:all -Werror}, trains one epoch, and a wrong
 * {@code @Call} body fails the build with the Leibniz error on its line. A change of the layer's
 * body is picked up by an incremental build.
 */
class ConsumerBuildIT {
  static final Path ROOT = Path.of(System.getProperty("leibniz.root", "..")).toAbsolutePath().normalize();
  static final Path WORK = ROOT.resolve("consumer-test/target/consumer");
  static Map<Integer, Path> jdks;

  @BeforeAll
  static void findJdks() throws IOException {
    freshLocalRepository();
    jdks = new TreeMap<>();
    List<Path> homes = new ArrayList<>();
    homes.add(Path.of(System.getProperty("java.home")));
    Path jvms = Path.of("/usr/lib/jvm");
    if (Files.isDirectory(jvms)) {
      try (Stream<Path> all = Files.list(jvms)) {
        all.sorted().forEach(homes::add);
      }
    }
    for (Path home : homes) {
      Path release = home.resolve("release");
      if (Files.isRegularFile(home.resolve("bin/javac")) && Files.isRegularFile(release)) {
        Matcher m = Pattern.compile("JAVA_VERSION=\"(\\d+)").matcher(Files.readString(release));
        if (m.find() && Integer.parseInt(m.group(1)) >= 17) {
          jdks.putIfAbsent(Integer.parseInt(m.group(1)), home.toRealPath());
        }
      }
    }
  }

  /** The pom of the README's "Use Leibniz in your project". */
  static String readmePom() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    Matcher m = Pattern.compile("```xml\n(<project[\\s\\S]*?</project>)\n```").matcher(readme);
    while (m.find()) {
      if (m.group(1).contains("<artifactId>leibniz-bom</artifactId>")) {
        return m.group(1);
      }
    }
    throw new AssertionError("the README has no pom.xml that imports leibniz-bom");
  }

  /** A fresh copy of the consumer project: the README's pom, the layer, the program. */
  static Path project(String name) throws IOException {
    Path dir = WORK.resolve(name);
    deleteTree(dir);
    String pom = readmePom();
    assertTrue(pom.contains("<leibniz.version>" + System.getProperty("leibniz.version") + "</leibniz.version>"),
        "the README's pom names this version, " + System.getProperty("leibniz.version"));
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("pom.xml"), pom);
    for (String file : List.of("Scaled.java", "Train.java")) {
      Path to = dir.resolve("src/main/java/com/example/" + file);
      Files.createDirectories(to.getParent());
      try (InputStream in = ConsumerBuildIT.class.getResourceAsStream("/consumer/src/main/java/com/example/" + file)) {
        Files.copy(in, to);
      }
    }
    return dir;
  }

  /**
   * A local repository of a user who has built other projects but never Leibniz: the outer build's
   * repository without {@code dev/leibniz} (hard links, so nothing is copied). What it lacks comes
   * from Maven Central, and Leibniz from the staging file repository.
   */
  static void freshLocalRepository() throws IOException {
    Path local = WORK.resolve("local-repo");
    deleteTree(local);
    Path outer = Path.of(System.getProperty("leibniz.outerRepository"));
    Path leibniz = outer.resolve("dev/leibniz");
    try (Stream<Path> all = Files.walk(outer)) {
      for (Path p : all.filter(Files::isRegularFile).filter(p -> !p.startsWith(leibniz)).toList()) {
        Path to = local.resolve(outer.relativize(p).toString());
        Files.createDirectories(to.getParent());
        try {
          Files.createLink(to, p);
        } catch (IOException | UnsupportedOperationException noLinks) {
          Files.copy(p, to);
        }
      }
    }
  }

  /** Settings of that user, with the Leibniz release in the staging file repository. */
  static Path settings() throws IOException {
    Path settings = WORK.resolve("settings.xml");
    String staging = Path.of(System.getProperty("leibniz.staging")).toUri().toString();
    Files.createDirectories(WORK);
    Files.writeString(settings, String.join("\n",
        "<settings>",
        "  <localRepository>" + WORK.resolve("local-repo") + "</localRepository>",
        "  <profiles><profile><id>staging</id><repositories><repository><id>leibniz-staging</id><url>" + staging + "</url>",
        "    <releases><enabled>true</enabled></releases><snapshots><enabled>true</enabled><updatePolicy>always</updatePolicy></snapshots>",
        "  </repository></repositories></profile></profiles>",
        "  <activeProfiles><activeProfile>staging</activeProfile></activeProfiles>",
        "</settings>"));
    return settings;
  }

  record Run(int exit, String output) {}

  static Run maven(Path project, int feature, String... goals) throws IOException, InterruptedException {
    Path jdk = jdks.get(feature);
    List<String> command = new ArrayList<>(List.of("mvn", "-B", "-s", settings().toString(),
        "-Dmaven.compiler.failOnWarning=true"));
    command.addAll(List.of(goals));
    ProcessBuilder pb = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true);
    pb.environment().put("JAVA_HOME", jdk.toString());
    // exec:java trains in Maven's own JVM: on JDK 24 and later it is given the README's flags for TensorFlow Java.
    pb.environment().put("MAVEN_OPTS", feature >= 24 ? "--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow" : "");
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), "maven did not finish");
    return new Run(p.exitValue(), output);
  }

  static final String TRAIN = "org.codehaus.mojo:exec-maven-plugin:3.5.0:java";

  @Test
  void theReadmesSetupBuildsTrainsAndReportsErrorsOnEveryJdk() throws Exception {
    assumeTrue(jdks.containsKey(17), "no JDK 17 found");
    for (var jdk : jdks.entrySet()) {
      String what = "JDK " + jdk.getKey() + " (" + jdk.getValue() + ")";
      Path project = project("jdk" + jdk.getKey());
      Run run = maven(project, jdk.getKey(), "compile", TRAIN, "-Dexec.mainClass=com.example.Train");
      assertEquals(0, run.exit(), what + ":\n" + run.output());
      Matcher accuracy = Pattern.compile("accuracy=(\\d\\.\\d+)").matcher(run.output());
      assertTrue(accuracy.find(), what + ": no accuracy printed:\n" + run.output());
      assertTrue(Double.parseDouble(accuracy.group(1)) > 0.9, what + ": " + accuracy.group());
      System.out.println("consumer project on " + what + ": built with -Xlint:all -Werror, trained one epoch, "
          + accuracy.group());
      assertTrue(Files.exists(project.resolve("target/generated-sources/annotations/com/example/Scaled_Graph.java")),
          what + ": the generated graph is where IDEs look for generated sources");
      String origin = Files.readString(WORK.resolve(
          "local-repo/dev/leibniz/leibniz-runtime/" + System.getProperty("leibniz.version") + "/_remote.repositories"));
      assertTrue(origin.contains(">leibniz-staging="), what + ": leibniz-runtime came from " + origin);

      Path wrong = project.resolve("src/main/java/com/example/Wrong.java");
      Files.writeString(wrong, String.join("\n",
          "package com.example;",
          "",
          "import static dev.leibniz.dsl.Ops.*;",
          "",
          "import dev.leibniz.dsl.*;",
          "",
          "@Layer",
          "public class Wrong {",
          "  @Call public Tensor call(Tensor x) {",
          "    return reluu(x);",
          "  }",
          "}"));
      Run failed = maven(project, jdk.getKey(), "compile");
      assertNotEquals(0, failed.exit(), what + ": a wrong @Call body must fail the build");
      assertTrue(failed.output().contains("Wrong.java:[10,"), what + ": the error names line 10:\n" + failed.output());
      assertTrue(failed.output().contains("[leibniz.UnknownOp] 'reluu' is not a Leibniz op nor a @Call method; did you"
          + " mean 'relu'?"), what + ":\n" + failed.output());
      Files.delete(wrong);
    }
  }

  @Test
  void anIncrementalBuildPicksUpAChangedLayerBody() throws Exception {
    int jdk = jdks.keySet().iterator().next();
    Path project = project("incremental");
    Run first = maven(project, jdk, "compile");
    assertEquals(0, first.exit(), first.output());
    Path generated = project.resolve("target/generated-sources/annotations/com/example/Scaled_Graph.java");
    assertTrue(!Files.readString(generated).contains("tf.tanh("), "before the change");
    Path layer = project.resolve("src/main/java/com/example/Scaled.java");
    Files.writeString(layer, Files.readString(layer).replace("import static dev.leibniz.dsl.Ops.mul;",
        "import static dev.leibniz.dsl.Ops.mul;\nimport static dev.leibniz.dsl.Ops.tanh;")
        .replace("return mul(x, scale);", "return tanh(mul(x, scale));"));
    Run second = maven(project, jdk, "compile", TRAIN, "-Dexec.mainClass=com.example.Train");
    assertEquals(0, second.exit(), second.output());
    assertTrue(Files.readString(generated).contains("tf.tanh("), "the changed body is compiled again");
    assertTrue(second.output().contains("accuracy="), second.output());
  }

  @Test
  void withoutANativeLibraryTheFirstModelSaysWhichToAdd() throws Exception {
    int jdk = jdks.keySet().iterator().next();
    Path project = project("no-native");
    Path pom = project.resolve("pom.xml");
    String withNative = Files.readString(pom);
    String without = withNative.replaceAll("(?s)\\s*<!-- TensorFlow's native library.*?</dependency>", "");
    assertNotEquals(withNative, without);
    Files.writeString(pom, without);
    Run run = maven(project, jdk, "compile", TRAIN, "-Dexec.mainClass=com.example.Train");
    assertNotEquals(0, run.exit(), run.output());
    assertTrue(run.output().contains("TensorFlow's native library is not on the class path for this platform"),
        run.output());
    assertTrue(run.output().contains("add the dependency org.tensorflow:tensorflow-core-native with your platform's"
        + " classifier"), run.output());
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.delete(p);
      }
    }
  }
}
