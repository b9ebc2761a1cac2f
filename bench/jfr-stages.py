#!/usr/bin/env python3
"""Where the time goes in an eqd2sum cohort JFR recording: CPU samples (jdk.ExecutionSample) by pipeline stage.

A sample's stage is the call made by the pipeline's driver that the sample is inside: the frame just inside
dev.eqd2sum.cli.CaseRunner.run (read inputs, plan sum, rasterise, statistics, ...), SumCommand.runInto (report
writers) or the cohort's own code (CohortRun: hashing inputs, moving folders; CohortTables). GC runs on its own
threads and is not sampled: see the GC line printed from jdk.GarbageCollection.
Usage: bench/jfr-stages.py RECORDING.jfr
"""
import json, subprocess, sys, collections

JFR = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr"
DRIVERS = ["dev.eqd2sum.cli.CaseRunner.run", "dev.eqd2sum.cli.SumCommand.runInto",
           "dev.eqd2sum.cli.CohortSumPipeline.runInto", "dev.eqd2sum.io.cohort.CohortRun.runOne",
           "dev.eqd2sum.io.cohort.CohortRun.attempt"]

def run(args):
    return subprocess.run([JFR] + args, check=True, capture_output=True, text=True).stdout

def main(path):
    events = json.loads(run(["print", "--json", "--stack-depth", "128", "--events", "jdk.ExecutionSample", path]))
    counts = collections.Counter()
    for e in events["recording"]["events"]:
        st = e["values"].get("stackTrace")
        frames = st["frames"] if st else []
        names = [f["method"]["type"]["name"].replace("/", ".") + "." + f["method"]["name"] for f in frames]
        stage = None
        for i, n in enumerate(names):
            if n in DRIVERS or n.startswith("dev.eqd2sum.io.cohort.CohortRun.lambda"):
                callee = names[i - 1] if i > 0 else n
                stage = n.rsplit(".", 2)[-2] + " -> " + callee.rsplit(".", 2)[-2] + "." + callee.rsplit(".", 1)[-1]
                break
        if stage is None:
            # Worker threads (slab-parallel plan sum, parallel statistics): named by their outermost eqd2sum frame.
            own = [n for n in names if n.startswith("dev.eqd2sum.") and "$$Lambda" not in n and ".0x" not in n]
            stage = "worker thread: " + (own[-1].rsplit(".", 2)[-2] + "." + own[-1].rsplit(".", 1)[-1]
                                         if own else "JVM/JDK (JIT, startup)")
        counts[stage] += 1
    total = sum(counts.values())
    print(f"{total} CPU samples (Java threads)")
    for stage, n in counts.most_common(30):
        print(f"{100.0 * n / total:5.1f} %  {n:6d}  {stage}")
    gcs = json.loads(run(["print", "--json", "--events", "jdk.GarbageCollection", path]))["recording"]["events"]
    def secs(d):  # JFR JSON durations look like "PT0.353S"
        return float(d[2:-1]) if d.startswith("PT") and d.endswith("S") and "M" not in d else 0.0
    pause = sum(secs(g["values"]["sumOfPauses"]) for g in gcs)
    print(f"GC: {len(gcs)} collections, {pause:.1f} s of pauses in total")

if __name__ == "__main__":
    main(sys.argv[1])
