"""Keras 3's learning-rate schedules at chosen steps, for ScheduleTest.

Run with the peers' venv (keras 3, any backend): python make_schedules.py > schedules.txt
Each line: name step rate (the rate the optimizer uses at the step with that many steps taken before).
"""
import os
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import keras
from keras.optimizers import schedules as s

CASES = {
    "exponential": s.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5),
    "exponential_staircase": s.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5, staircase=True),
    "inverse_time": s.InverseTimeDecay(0.2, decay_steps=5, decay_rate=0.3),
    "inverse_time_staircase": s.InverseTimeDecay(0.2, decay_steps=5, decay_rate=0.3, staircase=True),
    "piecewise": s.PiecewiseConstantDecay([10, 25], [0.1, 0.05, 0.01]),
    "cosine": s.CosineDecay(0.1, decay_steps=40, alpha=0.1),
    "cosine_warmup": s.CosineDecay(0.0, decay_steps=30, alpha=0.0, warmup_target=0.2, warmup_steps=10),
}
STEPS = [0, 1, 3, 5, 9, 10, 11, 24, 25, 26, 39, 40, 41, 60]

print(f"# keras {keras.__version__}")
for name, schedule in CASES.items():
    for step in STEPS:
        print(name, step, repr(float(keras.ops.convert_to_numpy(schedule(step)))))
