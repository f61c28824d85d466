"""Leibniz beside its peers on the workloads of ../shared/bench/peers (W1 mlp, W2 cnn, W3 linear,
W4 predict), measured alternately in one session on one machine, then the ratio table.

For every round and workload it runs, one fresh process each: Leibniz's PeerBenchmark (examples),
then every peer variant (Keras 3, raw TensorFlow, PyTorch, JAX; their scripts' own --child mode),
so that the machine's drift hits all of them alike. Each process's peak resident memory is read
from the kernel (wait4). Needs the peers' Python (a venv with tensorflow-cpu, keras, torch, jax,
optax from the machine's pip index) and a built repository (mvn -q install -DskipTests).

    python bench/peers.py --python /tmp/peers-venv/bin/python [--rounds 3] [--workloads mlp,cnn]

Not a test: it takes about 5 minutes per round on 2 cores.
"""
import argparse
import ast
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TAG = "BENCH_RESULT "
PEERS = ["keras", "tf", "torch", "jax"]
# what each workload's table compares: (field, higher is better)
MEASURE = {"mlp": ("samples_per_s", True), "cnn": ("samples_per_s", True),
           "linear": ("step_ms", False), "predict": ("samples_per_s", True)}
PERMUTATIONS = """
import sys, numpy as np, common
for name, w in (("mlp", common.MLP), ("cnn", common.CNN)):
    epochs = w["warmup_epochs"] + w["timed_epochs"]
    np.stack(common.epoch_permutations(w["n"], epochs)).astype("<i4").tofile(f"{sys.argv[1]}/{name}_perm.i32")
"""
NAMES = {"mlp": "W1 MLP train, samples/s", "cnn": "W2 convnet train, samples/s",
         "linear": "W3 linear, ms per step", "predict": "W4 predict, samples/s"}


def variants(peers_dir, peer):
    """The VARIANTS dict of bench_<peer>.py, read without importing it."""
    tree = ast.parse(open(os.path.join(peers_dir, f"bench_{peer}.py")).read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "VARIANTS":
            return ast.literal_eval(node.value)
    raise SystemExit(f"no VARIANTS in bench_{peer}.py")


def run_measured(cmd, cwd):
    """Runs cmd; its BENCH_RESULT dict with its own peak RSS (os.wait4), or None, and its stderr's tail."""
    out_path = os.path.join("/tmp", f"leibniz-peers-{os.getpid()}.out")
    with open(out_path, "w") as out:
        p = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.PIPE, text=True)
        err = p.stderr.read()  # the child's stdout goes to a file, so reading stderr cannot block on it
        _, status, usage = os.wait4(p.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    with open(out_path) as f:
        lines = [l for l in f.read().splitlines() if l.startswith(TAG)]
    res = json.loads(lines[-1][len(TAG):]) if code == 0 and lines else None
    if res is not None:
        res["peak_rss_mb"] = usage.ru_maxrss / 1024.0
    return res, err[-1500:]


def classpath():
    out = os.path.join(ROOT, "examples", "target", "peers-classpath.txt")
    subprocess.run(["mvn", "-q", "-pl", "examples", "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath",
                    f"-Dmdep.outputFile={out}"], cwd=ROOT, check=True)
    return os.path.join(ROOT, "examples", "target", "classes") + os.pathsep + open(out).read().strip()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--python", default="/tmp/peers-venv/bin/python", help="the peers' Python")
    ap.add_argument("--peers", default=os.path.join(ROOT, "..", "shared", "bench", "peers"))
    ap.add_argument("--data", default="/tmp/leibniz-peer-data", help="export_data.py's folder (written if absent)")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--workloads", default="mlp,cnn,linear,predict")
    ap.add_argument("--java", default="java")
    ap.add_argument("--out", default=None, help="all results as JSON")
    a = ap.parse_args()
    peers_dir = os.path.abspath(a.peers)
    if not os.path.exists(os.path.join(a.data, "shapes.json")):
        subprocess.run([a.python, "export_data.py", a.data], cwd=peers_dir, check=True)
    if not os.path.exists(os.path.join(a.data, "mlp_perm.i32")):
        # the peers' epoch orders (common.epoch_permutations), so that Leibniz's loss is theirs to round-off
        subprocess.run([a.python, "-c", PERMUTATIONS, a.data], cwd=peers_dir, check=True)
    cp = classpath()
    results = []  # dicts with framework, workload, variant and the fields
    started = time.strftime("%Y-%m-%d %H:%M")
    for r in range(a.rounds):
        for w in a.workloads.split(","):
            jobs = [("leibniz", "fit", [a.java, "-cp", cp, "dev.leibniz.examples.PeerBenchmark", a.data, w], ROOT)]
            if w == "mlp":  # W1 again, streamed from TFRecord files through the Dataset pipeline
                jobs.append(("leibniz", "tfrecord",
                             [a.java, "-cp", cp, "dev.leibniz.examples.PeerBenchmark", a.data, "mlp_tfrecord"], ROOT))
            for peer in PEERS:
                for v in variants(peers_dir, peer).get(w, []):
                    jobs.append((peer, v, [a.python, f"bench_{peer}.py", "--child", w, v], peers_dir))
            for fw, v, cmd, cwd in jobs:
                res, err = run_measured(cmd, cwd)
                if res is None:
                    print(f"round {r + 1} {w} {fw}/{v}: FAILED\n{err}", file=sys.stderr, flush=True)
                    continue
                res.update(framework=fw, workload=w, variant=v)
                results.append(res)
                field = MEASURE[w][0]
                print(f"round {r + 1} {w:8s} {fw + '/' + v:22s} {field}={res.get(field, float('nan')):.4g}"
                      f" peak_rss={res['peak_rss_mb']:.0f} MiB", flush=True)
    if a.out:
        with open(a.out, "w") as f:
            json.dump(results, f, indent=1)
    print(f"\nMedians over {a.rounds} rounds, measured alternately from {started} "
          f"({os.cpu_count()} cores):\n")
    tfrecord_row = None
    print("| workload | Leibniz | best peer | speed ratio (above 1: Leibniz ahead) | every peer |")
    print("| --- | --- | --- | --- | --- |")
    for w in a.workloads.split(","):
        field, higher = MEASURE[w]
        med = {}
        for res in results:
            if res["workload"] == w and field in res:
                med.setdefault((res["framework"], res["variant"]), []).append(res[field])
        med = {k: statistics.median(v) for k, v in med.items()}
        ours = med.pop(("leibniz", "fit"), None)
        streamed = med.pop(("leibniz", "tfrecord"), None)
        if streamed is not None and ours:
            tfrecord_row = f"W1 from TFRecord files: {streamed:,.0f} samples/s against {ours:,.0f} from arrays ({streamed / ours:.2f})"
        if ours is None or not med:
            continue
        best = (max if higher else min)(med, key=med.get)
        ratio = ours / med[best] if higher else med[best] / ours
        fmt = (lambda v: f"{v:,.0f}") if higher else (lambda v: f"{v:.3f}")
        others = ", ".join(f"{k[0]} {k[1]} {fmt(v)}" for k, v in sorted(med.items(), key=lambda kv: -kv[1] if higher else kv[1]))
        print(f"| {NAMES[w]} | {fmt(ours)} | {best[0]} {best[1]} {fmt(med[best])} | {ratio:.2f} | {others} |")
    if tfrecord_row:
        print("\n" + tfrecord_row)
    print("\n| workload | Leibniz first epoch / pass / step | Leibniz final loss | peak RSS MiB: Leibniz | Keras |")
    print("| --- | --- | --- | --- | --- |")
    for w in a.workloads.split(","):
        def med_of(fw, v, key):
            xs = [res[key] for res in results if res["workload"] == w and res["framework"] == fw
                  and res["variant"] == v and isinstance(res.get(key), (int, float))]
            return statistics.median(xs) if xs else float("nan")
        first_key = {"linear": "first_step_ms", "predict": "first_pass_s"}.get(w, "first_epoch_s")
        keras_v = "train_on_batch" if w == "linear" else "default"
        loss = med_of('leibniz', 'fit', 'final_loss')
        print(f"| {w} | {med_of('leibniz', 'fit', first_key):.3g} {first_key} | {'' if loss != loss else f'{loss:.4f}'}"
              f" | {med_of('leibniz', 'fit', 'peak_rss_mb'):.0f} | {med_of('keras', keras_v, 'peak_rss_mb'):.0f} |")


if __name__ == "__main__":
    main()
