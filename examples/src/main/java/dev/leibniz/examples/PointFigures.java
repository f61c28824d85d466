package dev.leibniz.examples;

import dev.leibniz.saving.AtomicFiles;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The book's scatter plots of two classes of 2-D points (figures 3.6 to 3.8), drawn with XChart
 * as matplotlib draws them there: one colour per class, and the decision line where one is given.
 */
final class PointFigures {
  private PointFigures() {}

  /** {@code points} as (x, y) pairs, row-major; {@code line}: W1, W2 and b of {@code W1 x + W2 y + b = 0.5}, or null. */
  static void save(Path file, String title, float[] points, boolean[] positive, double[] line) throws IOException {
    XYChart chart = new XYChartBuilder().width(640).height(520).title(title).xAxisTitle("x").yAxisTitle("y").build();
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter).setMarkerSize(4)
        .setChartBackgroundColor(Color.WHITE).setLegendVisible(true);
    scatter(chart, "class 0", points, positive, false, new Color(68, 1, 84));
    scatter(chart, "class 1", points, positive, true, new Color(253, 231, 37));
    if (line != null) {
      double[] xs = {Double.MAX_VALUE, -Double.MAX_VALUE}; // across the points
      for (int i = 0; i < points.length; i += 2) {
        xs[0] = Math.min(xs[0], points[i]);
        xs[1] = Math.max(xs[1], points[i]);
      }
      double[] ys = new double[2];
      for (int i = 0; i < 2; i++) {
        ys[i] = -line[0] / line[1] * xs[i] + (0.5 - line[2]) / line[1]; // the book's y = -w1/w2 x + (0.5 - b)/w2
      }
      XYSeries decision = chart.addSeries("decision line", xs, ys);
      decision.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line).setMarker(SeriesMarkers.NONE)
          .setLineColor(Color.RED);
    }
    AtomicFiles.write(file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
  }

  private static void scatter(XYChart chart, String name, float[] points, boolean[] positive, boolean which,
      Color color) {
    int n = 0;
    for (boolean p : positive) {
      n += p == which ? 1 : 0;
    }
    double[] xs = new double[n];
    double[] ys = new double[n];
    for (int i = 0, k = 0; i < positive.length; i++) {
      if (positive[i] == which) {
        xs[k] = points[2 * i];
        ys[k++] = points[2 * i + 1];
      }
    }
    chart.addSeries(name, xs, ys).setMarker(SeriesMarkers.CIRCLE).setMarkerColor(color);
  }
}
