package dev.leibniz.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The choice between the calling thread and TensorFlow's pool, from run times given here: the
 * order of the trials, the short-run shortcut, the median's choice, a tie and a failed run.
 */
class RunDispatchTest {
  private static final long MS = 1_000_000;

  @Test
  void warmsUpThenTriesBlocksOfEachWayAndKeepsTheFasterMedian() {
    RunDispatch d = new RunDispatch(true);
    StringBuilder ways = new StringBuilder();
    for (int run = 0; run < RunDispatch.WARM_UP + RunDispatch.BLOCK * RunDispatch.BLOCKS; run++) {
      int ticket = d.begin();
      assertEquals(run, ticket);
      boolean inline = d.inline(ticket);
      ways.append(inline ? 'c' : 'p');
      // the pool 2 ms, the calling thread 3 ms, but each block's first run (not counted) 100 ms
      long first = (ticket - RunDispatch.WARM_UP) % RunDispatch.BLOCK == 0 ? 100 * MS : 0;
      d.ran(ticket, first + (inline ? 3 * MS : 2 * MS));
      if (run < RunDispatch.WARM_UP + RunDispatch.BLOCK * RunDispatch.BLOCKS - 1) {
        assertNull(d.chosen(), "still trying after run " + run);
      }
    }
    assertEquals("cc" + "cccc" + "pppp" + "cccc" + "pppp", ways.toString());
    assertEquals(Boolean.FALSE, d.chosen(), "the pool's median is lower");
    assertEquals(-1, d.begin());
    assertFalse(d.inline(-1));
  }

  @Test
  void shortRunsStayOnTheCallingThreadWithoutTryingThePool() {
    RunDispatch d = new RunDispatch(true);
    for (int run = 0; run < RunDispatch.WARM_UP + RunDispatch.BLOCK; run++) {
      int ticket = d.begin();
      assertTrue(d.inline(ticket));
      d.ran(ticket, 200_000);
    }
    assertEquals(Boolean.TRUE, d.chosen());
    assertTrue(d.inline(d.begin()));
  }

  @Test
  void theWrittenOutOptionsAreTensorFlowsMessage() {
    org.junit.jupiter.api.Assertions.assertArrayEquals(
        org.tensorflow.proto.RunOptions.newBuilder().setInterOpThreadPool(-1).build().toByteArray(),
        RunDispatch.ON_CALLING_THREAD);
  }

  @Test
  void aDistributedSessionsRunsStayOnItsPool() {
    RunDispatch d = new RunDispatch(false);
    assertEquals(Boolean.FALSE, d.chosen());
    assertEquals(-1, d.begin());
    assertFalse(d.inline(-1));
  }

  @Test
  void aTieGoesToTheCallingThread() {
    RunDispatch d = new RunDispatch(true);
    for (int run = 0; run < RunDispatch.WARM_UP + RunDispatch.BLOCK * RunDispatch.BLOCKS; run++) {
      d.ran(d.begin(), 5 * MS);
    }
    assertEquals(Boolean.TRUE, d.chosen());
  }

  @Test
  void aFailedTrialLeavesTheChoiceOpenAndLaterRunsOnTheCallingThread() {
    RunDispatch d = new RunDispatch(true);
    int trials = RunDispatch.WARM_UP + RunDispatch.BLOCK * RunDispatch.BLOCKS;
    for (int run = 0; run < trials; run++) {
      int ticket = d.begin();
      if (run != RunDispatch.WARM_UP + RunDispatch.BLOCK + 1) { // a pool run that failed: never timed
        d.ran(ticket, (d.inline(ticket) ? 3 : 2) * MS);
      }
    }
    assertNull(d.chosen());
    int later = d.begin();
    assertEquals(trials, later);
    assertTrue(d.inline(later));
  }
}
