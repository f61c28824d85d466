package dev.leibniz.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/** Arrays in memory as a dataset ({@code from_tensor_slices}): fed when the iterator starts, so no graph holds them. */
final class ArraySource implements TfSource {
  private final List<Data> x;
  private final List<Data> y;

  ArraySource(List<Data> x, List<Data> y) {
    if (x.isEmpty()) {
      throw new IllegalArgumentException("a dataset needs at least one input array");
    }
    this.x = List.copyOf(x);
    this.y = List.copyOf(y);
    int n = x.get(0).count();
    for (Data d : all()) {
      if (d.count() != n) {
        throw new IllegalArgumentException("the arrays hold " + n + " and " + d.count() + " samples; each needs one per sample");
      }
    }
  }

  private List<Data> all() {
    List<Data> all = new ArrayList<>(x);
    all.addAll(y);
    return all;
  }

  @Override
  public Raw open(Ops ops, Map<Operand<?>, Tensor> feeds) {
    List<Operand<?>> components = new ArrayList<>();
    List<Class<? extends TType>> types = new ArrayList<>();
    List<Shape> shapes = new ArrayList<>();
    for (Data d : all()) {
      long[] shape = new long[d.sampleShape().length + 1];
      shape[0] = d.count();
      System.arraycopy(d.sampleShape(), 0, shape, 1, shape.length - 1);
      Operand<TFloat32> p = ops.placeholder(TFloat32.class, Placeholder.shape(Shape.of(shape)));
      feeds.put(p, TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(d.values(), true, false)));
      components.add(p);
      types.add(TFloat32.class);
      shapes.add(Shape.of(d.sampleShape()));
    }
    return new Raw(ops.data.tensorSliceDataset(components, shapes), types, shapes);
  }

  @Override
  public List<Operand<?>> decode(Ops ops, List<Operand<?>> raw) {
    return raw;
  }

  @Override
  public boolean decodes() {
    return false;
  }

  @Override
  public boolean decodesBatches() {
    return true;
  }

  @Override
  public int inputs() {
    return x.size();
  }

  @Override
  public long count() {
    return x.get(0).count();
  }

  @Override
  public String diagnose() {
    return null;
  }

  @Override
  public String toString() {
    return "arrays of " + count() + " samples";
  }
}
