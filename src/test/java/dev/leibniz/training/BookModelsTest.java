package dev.leibniz.training;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.examples.SequenceSentiment;
import dev.leibniz.examples.Topologies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The topologies of "Deep Learning with Python" 3.6.2 and the recurrent layers, trained on generated data. */
class BookModelsTest {
  @Test
  void twoBranchNetworkLearnsXor() {
    double accuracy = Topologies.twoBranch(20);
    assertTrue(accuracy >= 0.95, "test accuracy " + accuracy);
  }

  @Test
  void multiHeadNetworkLearnsBothHeads() {
    Topologies.Heads heads = Topologies.multiHead(20);
    assertTrue(heads.accuracy() >= 0.95, "class head test accuracy " + heads.accuracy());
    assertTrue(heads.mse() < 0.05, "regression head test mean squared error " + heads.mse() + " (target variance 0.67)");
  }

  @Test
  void residualBlockWithBatchNormalizationLearnsBars() {
    double accuracy = Topologies.residual(5);
    assertTrue(accuracy >= 0.95, "test accuracy " + accuracy);
  }

  @ParameterizedTest
  @EnumSource(SequenceSentiment.Kind.class)
  void recurrentLayersLearnSentiment(SequenceSentiment.Kind kind) {
    double accuracy = SequenceSentiment.train(kind, 15, false);
    assertTrue(accuracy >= 0.90, kind + " test accuracy " + accuracy);
  }
}
