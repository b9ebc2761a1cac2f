#!/usr/bin/env bash
# Side-by-side end-to-end comparison of `eqd2sum sum` with plastimatch (issue "Performance").
#
# Generates the comparison cases with the project's RT writers (dev.eqd2sum.bench.GenerateComparisonCase):
#   std:   current 200x200x150 at 2 mm (32-bit), prior 180x160x110 at 2.5x2.5x3 mm (16-bit)
#   large: current 512x512x200 at 1 mm (32-bit), the same prior
# with External, SpinalCord, PTV_High, an RT Plan per course and case.json; then runs, alternately,
#   plastimatch: convert --resize-dose (prior onto the current grid), add, convert --output-ss-img, dvh
#   eqd2sum:     ./eqd2sum sum case.json --out DIR --quiet (EQD2, forgiveness, sub-voxel statistics in
#                every scope, constraints, the RT Dose and all reports written)
# RUNS times each, and prints the median wall time, the peak RSS (/usr/bin/time -v, the largest
# process of the pipeline) and the ratios. A cold JVM start is part of every eqd2sum run. Each run starts
# after a `sync` (not timed): without it a run pays for writing back the previous run's files (plastimatch
# writes about 60 MB of images per std run and 600 MB per large run).
#
# Usage: bench/compare-plastimatch.sh [--runs N] [--sizes "std large"] [--work DIR] [--report FILE]
#   EQD2SUM_JAVA_OPTS is passed to the launcher (e.g. to try other JVM flags).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=5
sizes="std large"
work="${TMPDIR:-/tmp}/eqd2sum-compare"
report=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --sizes) sizes="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --report) report="$2"; shift 2 ;;
    -h|--help) sed -n 2,16p "$0"; exit 0 ;;
    *) echo "compare-plastimatch: unknown option $1" >&2; exit 2 ;;
  esac
done

command -v plastimatch >/dev/null || { echo "compare-plastimatch: plastimatch not found (apt-get install plastimatch)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "compare-plastimatch: /usr/bin/time not found (apt-get install time)" >&2; exit 2; }

jdk=""
for cand in "${EQD2SUM_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/*25*; do
  if [ -n "$cand" ] && [ -x "$cand/bin/java" ] && "$cand/bin/java" -version 2>&1 | grep -q '"2[5-9]'; then jdk="$cand"; break; fi
done
[ -n "$jdk" ] || { echo "compare-plastimatch: JDK 25 not found (set EQD2SUM_JAVA_HOME)" >&2; exit 2; }

bench_jar="$root/bench/target/benchmarks.jar"
if [ ! -f "$bench_jar" ]; then
  echo "compare-plastimatch: building bench ..." >&2
  (cd "$root" && JAVA_HOME="$jdk" ./mvnw -q -B -DskipTests -pl bench -am package >&2)
fi
# First use builds the CLI (and its AOT cache): not part of any timing.
"$root/eqd2sum" --version >/dev/null

mkdir -p "$work"
median() { sort -g | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
max() { sort -g | tail -n 1; }
now() { date +%s.%N; }

# Runs one command under /usr/bin/time, appending "wall_s peak_kb" to $1; output to $2.log.
timed() {
  local into="$1" log="$2"; shift 2
  if ! /usr/bin/time -f '%e %M' -o "$log.time" "$@" >"$log" 2>&1; then
    echo "compare-plastimatch: failed: $* (see $log)" >&2; exit 1
  fi
  cat "$log.time" >>"$into"
}

plastimatch_once() { # case_dir out_dir stats_file
  local c="$1" o="$2" s="$3"
  rm -rf "$o"; mkdir -p "$o"
  : >"$s.steps"
  sync   # the other tool's files written back first, so that no run pays for the previous one's I/O
  local t0; t0=$(now)
  timed "$s.steps" "$o/resize" plastimatch convert --input "$c/prior/RD.dcm" --fixed "$c/current/RD.dcm" \
      --output-dose-img "$o/prior_on_current.mha" --resize-dose
  timed "$s.steps" "$o/add" plastimatch add "$c/current/RD.dcm" "$o/prior_on_current.mha" --output "$o/sum.mha"
  timed "$s.steps" "$o/ss" plastimatch convert --input "$c/RS.dcm" --fixed "$o/sum.mha" \
      --output-ss-img "$o/ss.mha" --output-ss-list "$o/ss.txt"
  timed "$s.steps" "$o/dvh" plastimatch dvh --input-ss-img "$o/ss.mha" --input-ss-list "$o/ss.txt" \
      --input-dose "$o/sum.mha" --output-csv "$o/dvh.csv"
  local t1; t1=$(now)
  echo "$(echo "$t1 - $t0" | bc -l) $(awk '{print $2}' "$s.steps" | max)" >>"$s"
}

eqd2sum_once() { # case_dir out_dir stats_file
  local c="$1" o="$2" s="$3"
  rm -rf "$o"
  : >"$s.steps"
  sync
  local t0; t0=$(now)
  timed "$s.steps" "$o.log" "$root/eqd2sum" sum "$c/case.json" --out "$o" --quiet
  local t1; t1=$(now)
  echo "$(echo "$t1 - $t0" | bc -l) $(awk '{print $2}' "$s.steps" | max)" >>"$s"
}

{
  echo "# eqd2sum sum vs plastimatch, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB;" \
       "load before: $(cut -d' ' -f1-3 /proc/loadavg); $(plastimatch --version 2>&1 | head -n1);" \
       "JDK $("$jdk/bin/java" -version 2>&1 | head -n1 | cut -d'"' -f2); AOT cache: $([ -f "$root/cli/target/eqd2sum.aot" ] && [ "${EQD2SUM_NO_AOT:-}" != 1 ] && echo yes || echo no);" \
       "EQD2SUM_JAVA_OPTS='${EQD2SUM_JAVA_OPTS:-}'; $runs runs each, alternating."
  echo
  echo "| case | voxels | plastimatch median s | eqd2sum median s | time ratio (eqd2sum/plastimatch) | plastimatch peak RSS MB | eqd2sum peak RSS MB | RSS ratio |"
  echo "|---|---|---|---|---|---|---|---|"
} | tee ${report:+"$report"}

for size in $sizes; do
  case_dir="$work/$size/case"
  if [ ! -f "$case_dir/case.json" ]; then
    echo "compare-plastimatch: generating the $size case in $case_dir ..." >&2
    rm -rf "$case_dir"
    "$jdk/bin/java" -Xmx3g -cp "$bench_jar" dev.eqd2sum.bench.GenerateComparisonCase "$size" "$case_dir" >&2
  fi
  pm="$work/$size/plastimatch.stats"; eq="$work/$size/eqd2sum.stats"
  : >"$pm"; : >"$eq"
  for ((r = 1; r <= runs; r++)); do
    plastimatch_once "$case_dir" "$work/$size/plastimatch-out" "$pm"
    eqd2sum_once "$case_dir" "$work/$size/eqd2sum-out" "$eq"
    echo "compare-plastimatch: $size run $r: plastimatch $(tail -n1 "$pm"), eqd2sum $(tail -n1 "$eq") (s, KB)" >&2
  done
  pm_t=$(awk '{print $1}' "$pm" | median); eq_t=$(awk '{print $1}' "$eq" | median)
  pm_m=$(awk '{print $2}' "$pm" | max); eq_m=$(awk '{print $2}' "$eq" | max)
  case "$size" in std) voxels="6.0 M" ;; large) voxels="52.4 M" ;; *) voxels="?" ;; esac
  printf '| %s | %s | %.2f | %.2f | %.3f (1/%.1f) | %.0f | %.0f | %.2f |\n' "$size" "$voxels" "$pm_t" "$eq_t" \
      "$(echo "$eq_t / $pm_t" | bc -l)" "$(echo "$pm_t / $eq_t" | bc -l)" "$(echo "$pm_m / 1024" | bc -l)" \
      "$(echo "$eq_m / 1024" | bc -l)" "$(echo "$eq_m / $pm_m" | bc -l)" | tee -a ${report:+"$report"}
done
echo | tee -a ${report:+"$report"}
echo "Load after: $(cut -d' ' -f1-3 /proc/loadavg). Per-run figures: $work/<case>/{plastimatch,eqd2sum}.stats (wall s, peak KB)." \
  | tee -a ${report:+"$report"}
