package dev.leibniz.training;

import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Model;
import dev.leibniz.dsl.Tensor;
import dev.leibniz.layers.Dense;

/** A @Model class whose @Call calls its sublayers: the third way to make a model. */
@Model
public final class TinyMlp {
  final Dense hidden = new Dense(8, "tanh");
  final Dense out = new Dense(1, "sigmoid");

  @Call
  Tensor call(Tensor x) {
    return out.call(hidden.call(x));
  }
}
