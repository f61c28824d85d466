package dev.leibniz.plot;

import de.erichseifert.vectorgraphics2d.Processors;
import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import dev.leibniz.History;
import dev.leibniz.saving.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The picture Keras users draw of a {@link History} with matplotlib: one panel per value
 * (the loss, then each metric, the learning rate), epochs along x, training beside validation.
 * PNG or SVG by the file's extension, drawn headless with XChart and written atomically.
 */
public final class HistoryPlot {
  private static final int WIDTH = 520;
  private static final int HEIGHT = 360;

  private HistoryPlot() {}

  /** Draws {@code history} to {@code file}, a {@code .png} or {@code .svg}. */
  public static void save(History history, Path file) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    boolean svg = name.endsWith(".svg");
    if (!svg && !name.endsWith(".png")) {
      throw new IllegalArgumentException("a history plot is a .png or an .svg file, got " + file);
    }
    List<XYChart> charts = charts(history);
    int columns = Math.min(2, charts.size());
    int rows = (charts.size() + columns - 1) / columns;
    if (svg) {
      VectorGraphics2D g = new VectorGraphics2D();
      for (int i = 0; i < charts.size(); i++) {
        int x = i % columns * WIDTH;
        int y = i / columns * HEIGHT;
        g.translate(x, y);
        charts.get(i).paint(g, WIDTH, HEIGHT);
        g.translate(-x, -y);
      }
      var document = Processors.get("svg").getDocument(g.getCommands(), new PageSize(columns * WIDTH, rows * HEIGHT));
      AtomicFiles.write(file, document::writeTo);
    } else {
      AtomicFiles.write(file, out -> BitmapEncoder.saveBitmap(charts, rows, columns, out, BitmapEncoder.BitmapFormat.PNG));
    }
  }

  /** One chart per logged value without its "val_" form; the validation series beside the training one. */
  static List<XYChart> charts(History history) {
    Map<String, List<Double>> values = history.history();
    if (values.isEmpty()) {
      throw new IllegalArgumentException("the History is empty: fit ran no epoch, there is nothing to plot");
    }
    Map<String, List<Double>> panels = new LinkedHashMap<>();
    if (values.containsKey("loss")) {
      panels.put("loss", values.get("loss"));
    }
    values.forEach((k, v) -> {
      if (!k.startsWith("val_")) {
        panels.putIfAbsent(k, v);
      }
    });
    List<XYChart> charts = new ArrayList<>();
    for (Map.Entry<String, List<Double>> panel : panels.entrySet()) {
      List<Double> validation = values.get("val_" + panel.getKey());
      String words = panel.getKey().replace('_', ' ');
      XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
          .title((validation == null ? "Training " : "Training and validation ") + words)
          .xAxisTitle("epoch").yAxisTitle(words).build();
      chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS).setChartBackgroundColor(java.awt.Color.WHITE);
      chart.getStyler().setXAxisDecimalPattern("0");
      series(chart, "training", panel.getValue());
      if (validation != null) {
        series(chart, "validation", validation);
      }
      charts.add(chart);
    }
    return charts;
  }

  private static void series(XYChart chart, String name, List<Double> values) {
    double[] epochs = new double[values.size()];
    double[] ys = new double[values.size()];
    for (int i = 0; i < ys.length; i++) {
      epochs[i] = i + 1;
      ys[i] = values.get(i);
    }
    chart.addSeries(name, epochs, ys).setMarker(SeriesMarkers.CIRCLE);
  }
}
