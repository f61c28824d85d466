package dev.leibniz.values;

import static dev.leibniz.dsl.Ops.add;
import static dev.leibniz.dsl.Ops.mean;
import static dev.leibniz.dsl.Ops.square;
import static dev.leibniz.dsl.Ops.sub;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.FitOptions;
import dev.leibniz.History;
import dev.leibniz.Leibniz;
import dev.leibniz.Model;
import dev.leibniz.Objective;
import dev.leibniz.Sequential;
import dev.leibniz.data.Data;
import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Tensor;
import dev.leibniz.layers.Dense;
import dev.leibniz.optimizers.Optimizers;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Custom training steps inside fit: objectives (loss methods of the model, each with its
 * optimizer and its layers) give History, move only their layers' weights, and resume exactly
 * from a checkpoint.
 */
class ObjectivesTest {
  /** a chases b; b goes to -1. */
  @dev.leibniz.dsl.Model
  public static final class TwoPlayers {
    final Dense a = new Dense(2);
    final Dense b = new Dense(2);

    @Call
    public Tensor call(Tensor x) {
      return a.call(x);
    }

    @Call
    public Tensor aLoss(Tensor x) {
      return mean(square(sub(a.call(x), b.call(x))));
    }

    @Call
    public Tensor bLoss(Tensor x) {
      return mean(square(add(b.call(x), 1.0)));
    }
  }

  static final Data X = Data.of(new float[] {1, 2, -1, 0.5f, 0, 1, 2, -2, 1, 1, -1, -1, 0.3f, 0.7f, 2, 0}, 2);

  static Model model(TwoPlayers players, boolean both) {
    Model m = Leibniz.model(players).seed(1);
    Objective a = Objective.minimize("a_loss", ObjectivesTest_TwoPlayers_Graph.A_LOSS, Optimizers.adam(0.05f), players.a);
    Objective b = Objective.minimize("b_loss", ObjectivesTest_TwoPlayers_Graph.B_LOSS, Optimizers.sgd(0.1f), players.b);
    if (both) {
      m.compile(a, b);
    } else {
      m.compile(a);
    }
    return m;
  }

  @Test
  void eachObjectiveIsLoggedAndLearns() {
    try (Model m = model(new TwoPlayers(), true)) {
      History h = m.fit(X, FitOptions.epochs(30).batchSize(4).verbose(0));
      assertEquals(List.of("a_loss", "b_loss"), List.copyOf(h.history().keySet()));
      assertTrue(h.last("b_loss") < 0.01 * h.get("b_loss").get(0), "b reaches -1: " + h.get("b_loss"));
      assertTrue(h.last("a_loss") < 0.05 * h.get("a_loss").get(0), "a follows b: " + h.get("a_loss"));
    }
  }

  @Test
  void anObjectiveMovesOnlyItsLayers() {
    TwoPlayers players = new TwoPlayers();
    try (Model m = model(players, false)) {
      m.build(2);
      List<float[]> before = m.getWeights();
      m.fit(X, FitOptions.epochs(2).batchSize(4).verbose(0));
      List<float[]> after = m.getWeights();
      // getWeights lists a's kernel and bias, then b's (first read in that order by the objective).
      assertTrue(!java.util.Arrays.equals(before.get(0), after.get(0)), "a moved");
      assertArrayEquals(before.get(2), after.get(2), "b's kernel did not move");
      assertArrayEquals(before.get(3), after.get(3), "b's bias did not move");
    }
  }

  @Test
  void aRunResumedFromACheckpointEndsAsAnUninterruptedOne(@TempDir Path dir) throws Exception {
    List<float[]> straight;
    try (Model m = model(new TwoPlayers(), true)) {
      m.fit(X, FitOptions.epochs(4).batchSize(4).verbose(0));
      straight = m.getWeights();
    }
    Path ckpt = dir.resolve("half.ckpt");
    TwoPlayers players = new TwoPlayers();
    try (Model m = model(players, true)) {
      m.fit(X, FitOptions.epochs(2).batchSize(4).verbose(0));
      m.saveCheckpoint(ckpt);
    }
    try (Model resumed = model(players, true)) {
      resumed.loadCheckpoint(ckpt);
      resumed.fit(X, FitOptions.epochs(4).initialEpoch(2).batchSize(4).verbose(0));
      List<float[]> after = resumed.getWeights();
      for (int i = 0; i < straight.size(); i++) {
        assertArrayEquals(straight.get(i), after.get(i), 1e-6f, "weight " + i);
      }
    }
  }

  @Test
  void objectivesNeedAModelWithLossMethods() {
    try (Model seq = Sequential.of(new Dense(2))) {
      TwoPlayers p = new TwoPlayers();
      assertThrows(UnsupportedOperationException.class, () -> seq.compile(
          Objective.minimize("a_loss", ObjectivesTest_TwoPlayers_Graph.A_LOSS, Optimizers.sgd(0.1f), p.a)));
    }
    assertThrows(IllegalArgumentException.class,
        () -> Objective.minimize("none", ObjectivesTest_TwoPlayers_Graph.A_LOSS, Optimizers.sgd(0.1f)));
  }
}
