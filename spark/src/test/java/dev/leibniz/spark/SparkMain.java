package dev.leibniz.spark;

import com.google.gson.Gson;
import dev.leibniz.History;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The Spark driver of {@link SparkTrainingTest}, run in a child JVM in a private network
 * namespace: {@code local[2]} (or the master given), {@link MlpJob} on 2 workers, the chief's
 * History written as JSON to the file given.
 */
public final class SparkMain {
  private SparkMain() {}

  public static void main(String[] args) throws Exception {
    SparkConf conf = new SparkConf().setAppName("leibniz-spark-test").setMaster(args[0])
        .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
        .set("spark.ui.enabled", "false")
        // local-cluster's executors are JVMs of their own: they get the test's class path
        .set("spark.executor.extraClassPath", System.getProperty("java.class.path"));
    History h;
    try (JavaSparkContext spark = new JavaSparkContext(conf)) {
      h = SparkTraining.of(MlpJob.class).workers(2).fit(spark);
    }
    Files.writeString(Path.of(args[1]), new Gson().toJson(h.history()));
    System.exit(0);
  }
}
