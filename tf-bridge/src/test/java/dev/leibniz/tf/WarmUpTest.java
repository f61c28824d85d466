package dev.leibniz.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** TensorFlow's once-per-process costs, paid in the background from the first {@link Natives#require}. */
class WarmUpTest {
  @Test
  void runsOnItsOwnDaemonThreadAndEndsWithoutError() throws InterruptedException {
    Natives.require();
    Thread t = WarmUp.thread;
    assertNotNull(t, "the warm-up starts when Leibniz loads TensorFlow");
    assertTrue(t.isDaemon(), "it never keeps the program alive");
    t.join(60_000);
    assertFalse(t.isAlive());
    assertNull(WarmUp.failure);
    assertTrue(TfSession.pools() > 0, "the process's first session has sized TensorFlow's pools");
  }

  @Test
  void aSessionOpenedWhileItRunsComputesAsUsual() {
    Natives.require(); // the warm-up may be at any point: a session of the program's own is not disturbed
    try (Graph g = new Graph(); Session s = TfSession.open(g, 0)) {
      Ops tf = Ops.create(g);
      var y = tf.linalg.matMul(tf.constant(new float[][] {{1, 2}}), tf.constant(new float[][] {{3}, {4}}));
      try (var r = s.runner().fetch(y).run()) {
        assertEquals(11f, ((TFloat32) r.get(0)).getFloat(0, 0));
      }
    }
  }

  @Test
  void theWarmUpMakesNoSessionOnceAnotherHasSizedThePools() {
    Natives.require();
    try (Graph g = new Graph(); Session s = TfSession.open(g, 0)) { // the warm-up's or this one: one came first
      assertTrue(TfSession.pools() > 0, "recorded once the first session is made");
      assertNull(TfSession.first(new TfGraph(g)), "the warm-up's session is only ever the process's first");
    }
  }

  @Test
  void aSessionAskingForOtherPoolsIsToldWhatItGetsAndHowToChangeIt() {
    String message = TfSession.poolsKept(2, 4);
    for (String part : List.of("asked for 4 threads", "thread pools at 2", "-Dleibniz.threads=4")) {
      assertTrue(message.contains(part), message);
    }
  }
}
