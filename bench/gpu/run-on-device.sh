#!/usr/bin/env bash
# One prepared run on a lent GPU machine (issue "Fast kernels"): the OpenCL tests, the kernel benchmarks
# and `eqd2sum sum` end to end on a real GPU, with the device named. Made by bench/gpu/make-bundle.sh and
# run from the bundle, which holds its own JDK, jars and OpenCL loader (the machine has no JDK, no Maven
# and no network):
#   bash .bundle/run-on-device.sh          (OUT = the folder whose files come back)
# Steps: unpack the JDK; machine and OpenCL driver (finds NVIDIA's ICD and makes the loader see it);
# devices as JOCL sees them; the kernel tests (every backend against the scalar reference); JMH kernel
# benchmarks (warm and cold); `sum` on the std and large comparison cases with every backend.
# Every step logs its own failure and the script goes on; each prints its elapsed seconds.
# Files in $OUT (flat, at most 8): gpu-run.log (the console, JMH filtered), summary.md, opencl-devices.txt,
# jmh-kernels.json, jmh-cold.json, e2e-sum.md, raw.tar.gz (JUnit XML reports and console output, JMH's
# full output, every sum's log).
# Knobs: QUICK=1 (a short JMH plan and no large case: for trying the script on a small machine);
# SKIP="tests jmh cold e2e cohort xcheck" (any of these words skips that step); KEEP_WORK=1 keeps the work folder;
# BUDGET_S (default 360): every command is cut to what is left of it, so the summary is always written.
set -u

B="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${OUT:-$B/out}"
mkdir -p "$OUT"
QUICK="${QUICK:-0}"
SKIP="${SKIP:-}"
BUDGET_S="${BUDGET_S:-360}"   # the whole run; expected about 3 minutes on a 16-core machine
LOG="$OUT/gpu-run.log"
: >"$LOG"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/eqd2sum-gpu.XXXXXX" 2>/dev/null)" || { WORK="$B/work.$$"; mkdir -p "$WORK"; }
JAVA="$WORK/jdk/bin/java"
BENCH_JAR="$B/benchmarks.jar"
NATIVE=(--enable-native-access=ALL-UNNAMED)
VECTOR=(--add-modules jdk.incubator.vector)
STEP_LINES=()
DEVICE_NAME="(not found)"
OCL_SETUP="(none)"
TEST_LINE="(not run)"
T_START=$SECONDS
# GKE-style machines keep nvidia-smi beside the driver, off PATH.
[ -d /usr/local/nvidia/bin ] && PATH="$PATH:/usr/local/nvidia/bin"

skipped() { case " $SKIP " in *" $1 "*) echo "skipped (SKIP=$SKIP)"; return 0 ;; esac; return 1; }

# step NAME FUNCTION: runs FUNCTION, logs its status and elapsed seconds; never stops the script.
step() {
  local name="$1" s=$SECONDS rc
  echo
  echo "===== [$name] start at t=$((SECONDS - T_START)) s"
  "$2"
  rc=$?
  echo "===== [$name] rc=$rc, $((SECONDS - s)) s (t=$((SECONDS - T_START)) s)"
  STEP_LINES+=("$name: rc=$rc, $((SECONDS - s)) s")
  return 0
}

# cap SECONDS CMD...: runs CMD with a time limit (coreutils' timeout), cut to what is left of BUDGET_S
# less 20 s for the summary, so that the run ends with its summary before the device tool's own limit.
cap() {
  local limit="$1" left=$((BUDGET_S - (SECONDS - T_START) - 20)); shift
  [ "$left" -lt "$limit" ] && limit=$left
  if [ "$limit" -le 0 ]; then echo "SKIPPED (BUDGET_S=$BUDGET_S spent): $*"; return 124; fi
  if command -v timeout >/dev/null; then timeout -k 10 "$limit" "$@"; else "$@"; fi
}

# ---------------------------------------------------------------- JDK
unpack_jdk() {
  # tar needs the xz program for this; Python's tarfile (lzma) is the fallback.
  if command -v xz >/dev/null && tar -xJf "$B/jdk.tar.xz" -C "$WORK" 2>&1; then :; elif command -v python3 >/dev/null; then
    echo "unpacking with python3 (no xz)"
    python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$B/jdk.tar.xz" "$WORK" || return 1
  else
    return 1
  fi
  echo "java: $JAVA"
  "$JAVA" -version 2>&1 || return 1
  "$JAVA" -XshowSettings:properties -version 2>&1 | grep -E 'java.home|java.vm.version' 
  echo "modules: $("$JAVA" --list-modules | cut -d@ -f1 | tr '\n' ' ')"
  [ -f "$B/COMMIT" ] && sed 's/^/commit: /' "$B/COMMIT"
  return 0
}

# ---------------------------------------------------------------- machine and OpenCL driver
# EXTRA_LIB_DIRS (colon-separated) is searched first: for trying the search with a stand-in library.
IFS=: read -r -a LIB_DIRS <<<"${EXTRA_LIB_DIRS:-}"
LIB_DIRS+=(/usr/local/nvidia/lib64 /usr/local/nvidia/lib /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/lib
          /usr/local/lib /usr/local/cuda/lib64 /usr/local/cuda/targets/x86_64-linux/lib)
for d in /usr/local/cuda-*/lib64 /usr/local/cuda-*/targets/x86_64-linux/lib; do [ -d "$d" ] && LIB_DIRS+=("$d"); done

find_libs() { # prints real files (one per line, no duplicates) named like $1 in LIB_DIRS and ldconfig -p
  local pattern="$1" d f
  {
    for d in "${LIB_DIRS[@]}"; do
      [ -d "$d" ] || continue
      find "$d" -maxdepth 2 -name "$pattern" 2>/dev/null
    done
    if command -v ldconfig >/dev/null; then ldconfig -p 2>/dev/null | awk -v p="${pattern%\*}" 'index($1, p) == 1 {print $NF}'; fi
  } | while read -r f; do [ -e "$f" ] && readlink -f "$f"; done | awk '!seen[$0]++' | while read -r f; do
    # 64-bit ELF only (byte 4 of the header is 2): a 32-bit driver library may sit beside the 64-bit one.
    [ "$(od -An -tx1 -j4 -N1 "$f" 2>/dev/null | tr -d ' ')" = 02 ] && echo "$f"
  done
}

NV_LIB=""
NV_DIR=""
SYS_LOADERS=()
machine() {
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "uname: $(uname -a)"
  echo "nproc: $(nproc 2>/dev/null)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ //')"
  echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo 2>/dev/null)"
  echo "load: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
  if command -v nvidia-smi >/dev/null; then
    nvidia-smi -L 2>&1
    nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm,clocks.max.mem,pcie.link.gen.max,pcie.link.width.max \
      --format=csv 2>&1
  else
    echo "nvidia-smi: not found"
    for d in /usr/local/nvidia/bin; do [ -x "$d/nvidia-smi" ] && "$d/nvidia-smi" -L 2>&1; done
  fi
  ls -la /dev/nvidia* 2>/dev/null | head -n 8
  echo "--- /etc/OpenCL/vendors"
  local f
  for f in /etc/OpenCL/vendors/*.icd; do [ -f "$f" ] && echo "$f: $(cat "$f")"; done
  echo "--- OpenCL loaders and NVIDIA OpenCL libraries"
  ldconfig -p 2>/dev/null | grep -i -E 'opencl|libcuda\.' || echo "ldconfig -p: nothing about OpenCL"
  mapfile -t SYS_LOADERS < <(find_libs 'libOpenCL.so*')
  local nv
  mapfile -t nv < <(find_libs 'libnvidia-opencl.so*')
  echo "system libOpenCL loaders: ${SYS_LOADERS[*]:-(none)}"
  echo "libnvidia-opencl: ${nv[*]:-(none)}"
  [ "${#nv[@]}" -gt 0 ] && NV_LIB="${nv[0]}" && NV_DIR="$(dirname "$NV_LIB")"
  if [ -n "$NV_LIB" ] && command -v ldd >/dev/null; then
    echo "--- ldd $NV_LIB"
    ldd "$NV_LIB" 2>&1 | head -n 20
  fi
  return 0
}

# probe: lists the devices in the current environment; rc 0 = a GPU, 3 = only other devices, 4 = none.
probe() {
  cap 60 "$JAVA" "${VECTOR[@]}" "${NATIVE[@]}" -cp "$BENCH_JAR" dev.eqd2sum.bench.OpenClDevices
}

# Tries loader x ICD set-ups until JOCL sees a GPU; exports the first that does (else the first that
# sees any device). JOCL dlopens "libOpenCL.so", so each set-up puts a folder with that name first on
# LD_LIBRARY_PATH (inherited by every JVM below, JMH's forks included).
opencl_setup() {
  local base_ld="${LD_LIBRARY_PATH:-}" n=0 loader mode out rc best="" best_rc=9
  local extra_ld=""
  [ -n "$NV_DIR" ] && extra_ld="$NV_DIR"
  [ -d /usr/local/nvidia/lib64 ] && [ "$NV_DIR" != /usr/local/nvidia/lib64 ] && extra_ld="${extra_ld:+$extra_ld:}/usr/local/nvidia/lib64"
  # An ICD folder holding only NVIDIA's library by its full path (other ICDs are not wanted here, and
  # two copies of one ICD can crash the loader).
  local vendors="$WORK/vendors"
  mkdir -p "$vendors"
  local sys_has_nv=0
  grep -l -i nvidia /etc/OpenCL/vendors/*.icd >/dev/null 2>&1 && sys_has_nv=1
  [ -n "$NV_LIB" ] && echo "$NV_LIB" >"$vendors/eqd2sum-nvidia.icd"
  local modes=(system)
  if [ -n "$NV_LIB" ]; then modes=(vendors filenames system); [ "$sys_has_nv" = 1 ] && modes=(system vendors filenames); fi
  local loaders=("${SYS_LOADERS[@]}" "$B/ocl/libOpenCL.so.1")
  for loader in "${loaders[@]}"; do
    case "$(basename "$loader")" in libOpenCL.so*) ;; *) continue ;; esac
    for mode in "${modes[@]}"; do
      n=$((n + 1))
      local dir="$WORK/ocl-$n"
      mkdir -p "$dir"
      ln -sf "$loader" "$dir/libOpenCL.so"
      ln -sf "$loader" "$dir/libOpenCL.so.1"
      local ld="$dir${extra_ld:+:$extra_ld}${base_ld:+:$base_ld}"
      local envs=("LD_LIBRARY_PATH=$ld")
      case "$mode" in
        vendors) envs+=("OCL_ICD_VENDORS=$vendors") ;;
        filenames) envs+=("OCL_ICD_FILENAMES=$NV_LIB") ;;
      esac
      echo "--- set-up $n: loader $loader, ICDs: $mode; ${envs[*]}"
      out="$(unset OCL_ICD_VENDORS OCL_ICD_FILENAMES; export "${envs[@]}"; probe 2>&1)"
      rc=$?
      echo "$out" | sed 's/^/    /'
      echo "    (rc=$rc)"
      if [ "$rc" -lt "$best_rc" ]; then best_rc=$rc; best="$(printf '%s\n' "${envs[@]}")"; echo "$out" >"$OUT/opencl-devices.txt"; fi
      [ "$rc" = 0 ] && break 2
    done
  done
  if [ -z "$best" ] || [ "$best_rc" -ge 4 ]; then
    echo "no set-up made any OpenCL device visible; going on with the bundled loader"
    best="LD_LIBRARY_PATH=$WORK/ocl-1${extra_ld:+:$extra_ld}${base_ld:+:$base_ld}"
  fi
  local kv
  unset OCL_ICD_VENDORS OCL_ICD_FILENAMES
  while IFS= read -r kv; do [ -n "$kv" ] && export "${kv?}"; done <<<"$best"
  OCL_SETUP="$(echo "$best" | tr '\n' ' ')"
  echo "chosen OpenCL set-up (exported for every step below): $best"
  DEVICE_NAME="$(grep -m1 'provider, forced opencl' "$OUT/opencl-devices.txt" 2>/dev/null | sed 's/.*device \(.*\)/\1/')"
  [ -n "$DEVICE_NAME" ] || DEVICE_NAME="(none)"
  [ "$best_rc" = 0 ] && return 0
  echo "WARNING: no GPU visible to OpenCL: the opencl figures below are NOT from a GPU"
  return "$best_rc"
}

# ---------------------------------------------------------------- tests
tests() {
  skipped tests && return 0
  local console cp f
  console="$(ls "$B"/test/junit-platform-console-standalone-*.jar | head -n 1)"
  cp="$B/test/test-classes:$B/test/classes"
  for f in "$B"/cli/lib/*.jar "$B"/test/lib/*.jar; do
    case "$(basename "$f")" in eqd2sum-engine-*) continue ;; esac   # the classes folder above instead
    cp="$cp:$f"
  done
  echo "the tests' OpenCL backend (same provider, same environment): $(grep -m1 'provider, forced opencl' "$OUT/opencl-devices.txt" 2>/dev/null)"
  mkdir -p "$WORK/reports"
  # EQD2SUM_REQUIRE_CROSSCHECK=1: a backend that cannot start fails the test instead of being skipped.
  (cd "$WORK" && EQD2SUM_REQUIRE_CROSSCHECK=1 cap 240 "$JAVA" "${VECTOR[@]}" "${NATIVE[@]}" -Xmx8g -Deqd2sum.opencl.minDeviceGather=0 -jar "$console" execute \
      --disable-banner --disable-ansi-colors --details=tree --class-path "$cp" --select-package dev.eqd2sum.engine.kernel \
      --include-engine=junit-jupiter --include-engine=jqwik --reports-dir "$WORK/reports") >"$WORK/tests.txt" 2>&1
  local rc=$?
  cat "$WORK/tests.txt"
  TEST_LINE="$(awk '/^\[ +[0-9]+ tests (found|successful|failed|aborted|skipped) +\]/ {printf "%s%s %s", sep, $2, $4; sep=", "}' "$WORK/tests.txt")"
  [ -n "$TEST_LINE" ] || TEST_LINE="(no JUnit summary; rc=$rc)"
  return $rc
}

# ---------------------------------------------------------------- JMH
JMH_JSON=""
jmh_run() { # label json args...
  local label="$1" json="$2"; shift 2
  echo "--- JMH $label: $*"
  (cd "$WORK" && cap 400 "$JAVA" "${VECTOR[@]}" "${NATIVE[@]}" -Djmh.ignoreLock=true -jar "$BENCH_JAR" "$@" \
      -rf json -rff "$json") 2>&1 | tee "$WORK/jmh-$label.txt" \
    | grep --line-buffered -E '^(# Benchmark:|# Parameters:|# Run progress|  [0-9].*/op|# Run complete|Benchmark +\(|Kernel|<failure>|.*Exception|.*Error|Caused by|[[:space:]]+at )'
  return "${PIPESTATUS[0]}"
}

# Joins JMH JSON files (arrays) into one.
join_json() {
  local out="$1"; shift
  local first=1 f
  {
    echo "["
    for f in "$@"; do
      [ -s "$f" ] || continue
      [ $first = 1 ] || echo ","
      sed -e '1s/^\[//' -e '$s/\]$//' "$f"
      first=0
    done
    echo "]"
  } >"$out"
}

jmh() {
  skipped jmh && return 0
  local threads="1,16" it=(-f 1 -wi 3 -i 3 -w 500ms -r 500ms) grids="std,large" maps="aligned,rotated" rc=0
  [ "$(nproc 2>/dev/null || echo 16)" -lt 16 ] && threads="1,$(nproc)"
  if [ "$QUICK" = 1 ]; then it=(-f 1 -wi 1 -i 2 -w 300ms -r 300ms); grids="std"; maps="aligned"; fi
  # CPU backends at 1 and all threads; OpenCL takes the whole pass (threads do not apply); the array
  # copy (1 or 2 threads: that is all the benchmark splits) is the bandwidth reference of the same run.
  # OpenCL first: if the budget runs out, the GPU figures are there.
  jmh_run opencl "$WORK/jmh-opencl.json" 'KernelBenchmark\.(eqd2Accumulate|resampleEqd2Accumulate)$' \
      -p backend=opencl -p threads=1 -p grid="$grids" -p map="$maps" "${it[@]}" || rc=1
  jmh_run copy "$WORK/jmh-copy.json" 'KernelBenchmark\.arrayCopy$' -p threads=1,2 -p grid="$grids" "${it[@]}" || rc=1
  jmh_run cpu "$WORK/jmh-cpu.json" 'KernelBenchmark\.(eqd2Accumulate|resampleEqd2Accumulate)$' \
      -p backend=scalar,vector -p threads="$threads" -p grid="$grids" -p map="$maps" "${it[@]}" || rc=1
  join_json "$OUT/jmh-kernels.json" "$WORK/jmh-opencl.json" "$WORK/jmh-copy.json" "$WORK/jmh-cpu.json"
  return $rc
}

cold() {
  skipped cold && return 0
  local forks=3
  [ "$QUICK" = 1 ] && forks=1
  # The first pass in a fresh JVM, the backend started inside the measured call (OpenCL: context,
  # program build, upload and download included).
  jmh_run cold "$OUT/jmh-cold.json" 'KernelColdBenchmark\.(eqd2AccumulateCold|resampleEqd2AccumulateCold)$' \
      -p backend=scalar,vector,opencl -f "$forks"
}

# ---------------------------------------------------------------- end to end
E2E="$OUT/e2e-sum.md"
TIME_V=0
generate() { # size -> case folder in $WORK/cases/size; rc 124 when over the limit
  local size="$1" limit="$2" s=$SECONDS
  mkdir -p "$WORK/cases"
  cap "$limit" "$JAVA" -Xmx6g -cp "$BENCH_JAR" dev.eqd2sum.bench.GenerateComparisonCase "$size" "$WORK/cases/$size" 2>&1 | tail -n 5
  local rc=${PIPESTATUS[0]}
  echo "generated $size in $((SECONDS - s)) s (rc=$rc): $(du -sh "$WORK/cases/$size" 2>/dev/null | cut -f1)"
  return "$rc"
}

# `sum` and `cohort` run through the project's own ./eqd2sum launcher (a copy in the bundle), so the JVM
# flags, the C1/C2 choice and the AOT start-up cache are the ones a user gets, not a copy that can drift.
# It runs from a folder laid out as a built checkout (cli/target/eqd2sum.jar, lib/, the build stamp),
# with the bundle's JDK; its first lean run trains the AOT cache (on `demo`), done once before timing.
LAUNCH_ROOT="$WORK/launcher"
EQ="$LAUNCH_ROOT/eqd2sum"
launcher_ready() {
  [ -x "$EQ" ] && return 0
  mkdir -p "$LAUNCH_ROOT/cli/target/lib" || return 1
  cp "$B/eqd2sum" "$EQ" && chmod +x "$EQ" || return 1
  cp "$B/cli/eqd2sum.jar" "$LAUNCH_ROOT/cli/target/" && cp "$B"/cli/lib/*.jar "$LAUNCH_ROOT/cli/target/lib/" || return 1
  touch "$LAUNCH_ROOT/cli/target/.launcher-built"
  local s=$SECONDS
  EQD2SUM_JAVA_HOME="$WORK/jdk" cap 120 "$EQ" --version 2>&1 | sed 's/^/    /'
  echo "launcher: $EQ; AOT cache: $(ls -l "$LAUNCH_ROOT/cli/target/eqd2sum.aot" 2>/dev/null | awk '{printf "%.0f MB", $5 / 1048576}' || true)$([ -f "$LAUNCH_ROOT/cli/target/.eqd2sum-aot-failed" ] && echo 'training FAILED, runs without it') (prepared in $((SECONDS - s)) s)"
}

sum_once() { # size backend
  local size="$1" backend="$2" o="$WORK/sum-$1-$2" log="$WORK/sum-$1-$2.log" t0 t1 wall rss rc
  rm -rf "$o"
  sync
  # shellcheck disable=SC2046
  local cmd=("$EQ" sum "$WORK/cases/$size/case.json" --out "$o" --quiet)
  [ "$backend" = default ] || cmd+=(--backend "$backend")
  t0=$(date +%s%N)
  if [ "$TIME_V" = 1 ]; then
    EQD2SUM_JAVA_HOME="$WORK/jdk" EQD2SUM_TIMINGS=1 cap 120 /usr/bin/time -v -o "$log.time" "${cmd[@]}" >"$log" 2>&1
  else
    EQD2SUM_JAVA_HOME="$WORK/jdk" EQD2SUM_TIMINGS=1 cap 120 "${cmd[@]}" >"$log" 2>&1
  fi
  rc=$?
  t1=$(date +%s%N)
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", (b - a) / 1e9}')
  rss="?"
  [ -f "$log.time" ] && rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$log.time")
  local chosen
  chosen="$(grep -m1 'eqd2sum: backend' "$log" | sed 's/^eqd2sum: //')"
  echo "sum $size --backend $backend: rc=$rc, wall ${wall} s, peak RSS ${rss} MB; ${chosen:-no backend line}"
  grep -v '^eqd2sum: timing' "$log" | grep -v 'eqd2sum: backend' | head -n 5 | sed 's/^/    /'
  printf '| %s | %s | %s | %s | %s | %s |\n' "$size" "$backend" "$rc" "$wall" "$rss" "${chosen:-?}" >>"$E2E.table"
  {
    echo "#### $size, --backend $backend (rc=$rc, wall $wall s, peak RSS $rss MB)"
    echo '```'
    echo "${cmd[*]}" | sed "s|$WORK|\$WORK|g; s|$B|\$BUNDLE|g"
    grep -E 'eqd2sum: (timing|backend)' "$log"
    echo '```'
  } >>"$E2E.details"
  return 0
}

e2e() {
  skipped e2e && return 0
  [ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1 && TIME_V=1
  echo "/usr/bin/time -v: $([ "$TIME_V" = 1 ] && echo yes || echo 'no (wall time only)')"
  : >"$E2E.table"; : >"$E2E.details"
  local sizes=(std) size backend
  launcher_ready || { echo "the launcher could not be set up"; return 1; }
  generate std 120 || { echo "std case generation failed"; return 1; }
  if [ "$QUICK" != 1 ]; then
    if generate large 60; then sizes+=(large); else echo "large case skipped: generation failed or took over 60 s"; fi
  fi
  for size in "${sizes[@]}"; do
    # default: no --backend (what a user runs: auto, which never takes OpenCL since 26c0355)
    for backend in default scalar vector opencl; do
      sum_once "$size" "$backend"
    done
  done
  {
    echo "# eqd2sum sum per backend, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); OpenCL device: $DEVICE_NAME;"
    echo "JVM: the bundle's jlinked JDK 25 through the project's ./eqd2sum launcher (its flags and its AOT cache, trained on the device); one run each, cold JVM."
    echo "OpenCL set-up: $OCL_SETUP"
    echo
    echo "| case | --backend | rc | wall s | peak RSS MB | backend line |"
    echo "|---|---|---|---|---|---|"
    cat "$E2E.table"
    echo
    echo "Stage times (EQD2SUM_TIMINGS=1):"
    echo
    cat "$E2E.details"
  } >"$E2E"
  rm -f "$E2E.table" "$E2E.details"
  return 0
}

# ---------------------------------------------------------------- cohort
# A generated study of COHORT_N std cases (CohortStudyMain, as bench/cohort-throughput.sh), run with
# `cohort --no-dose` once per backend (forced: the study is below auto's 3e9 voxel passes).
COHORT="$OUT/cohort.md"
cohort() {
  skipped cohort && return 0
  local n="${COHORT_N:-64}" study="$WORK/study" s=$SECONDS backend o t0 t1 wall rss line
  launcher_ready || { echo "the launcher could not be set up"; return 1; }
  cap 120 "$JAVA" -Xmx4g -cp "$BENCH_JAR" dev.eqd2sum.bench.CohortStudyMain "$study" "$n" std 2>&1 | tail -n 3
  echo "generated $n std cases in $((SECONDS - s)) s: $(du -sh "$study" 2>/dev/null | cut -f1)"
  {
    echo "# cohort --no-dose per backend, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "Machine: $(nproc) cores; OpenCL device: $DEVICE_NAME; $n generated std cases; cold JVM per run."
    echo
    echo "| --backend | rc | wall s | cases/s | user + sys s | peak RSS MB | backend |"
    echo "|---|---|---|---|---|---|---|"
  } >"$COHORT"
  for backend in ${COHORT_BACKENDS:-scalar opencl vector}; do
    o="$WORK/cohort-$backend"; rm -rf "$o"; sync
    t0=$(date +%s%N)
    # shellcheck disable=SC2086
    EQD2SUM_JAVA_HOME="$WORK/jdk" cap "${COHORT_CAP_S:-150}" /usr/bin/time -v -o "$WORK/cohort-$backend.time" "$EQ" \
        cohort "$study" --out "$o" --no-dose --backend "$backend" >"$WORK/cohort-$backend.log" 2>&1
    local rc=$?
    t1=$(date +%s%N)
    wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", (b - a) / 1e9}')
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$WORK/cohort-$backend.time" 2>/dev/null)
    local cpu
    cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {printf "%.1f", u + s}' "$WORK/cohort-$backend.time" 2>/dev/null)
    line="$(grep -m1 'eqd2sum: backend' "$WORK/cohort-$backend.log" | sed 's/^eqd2sum: //')"
    local cps
    cps=$(awk -v n="$n" -v w="$wall" 'BEGIN {printf "%.2f", n / w}')
    echo "cohort --backend $backend: rc=$rc, wall $wall s, $cps cases/s, CPU $cpu s, peak RSS ${rss:-?} MB; ${line:-no backend line}"
    tail -n 3 "$WORK/cohort-$backend.log" | sed 's/^/    /'
    echo "| $backend | $rc | $wall | $cps | $cpu | ${rss:-?} | ${line:-?} |" >>"$COHORT"
  done
  return 0
}

# ---------------------------------------------------------------- xcheck
# The pydicom cross-check's seven cases (kept by PlanSumPydicomCrossCheckTest with EQD2SUM_XCHECK_KEEP, built by
# make-bundle.sh with XCHECK=1) summed here with --backend XCHECK_BACKEND (default opencl: every case on the GPU),
# then checked by the same independent script (plansum_reference.py, with Debian's pydicom from the bundle and
# the machine's numpy): voxel maps and every statistic of every structure, as in CI.
XCHECK="$WORK/xcheck.md"   # in summary.md and raw.tar.gz (OUT holds at most 8 files)
xcheck() {
  skipped xcheck && return 0
  [ -d "$B/xcheck" ] || { echo "no cases in the bundle (bench/gpu/make-bundle.sh with XCHECK=1)"; return 0; }
  launcher_ready || { echo "the launcher could not be set up"; return 1; }
  local backend="${XCHECK_BACKEND:-opencl}" c o args=() rc=0 line
  for c in "$B"/xcheck/case*; do
    o="$WORK/xcheck-$(basename "$c")"
    rm -rf "$o"
    EQD2SUM_JAVA_HOME="$WORK/jdk" cap 60 "$EQ" sum "$c/case.json" --out "$o" --quiet --backend "$backend" >"$o.log" 2>&1
    echo "sum $(basename "$c") --backend $backend: rc=$? $(grep -m1 'eqd2sum: backend' "$o.log")"
    args+=("$c/case.json" "$o")
  done
  PYTHONPATH="$B/pylib${PYTHONPATH:+:$PYTHONPATH}" cap 300 python3 "$B/plansum_reference.py" "${args[@]}" >"$WORK/xcheck.jsonl" 2>"$WORK/xcheck.err"
  rc=$?
  tail -n 5 "$WORK/xcheck.err"
  {
    echo "# pydicom cross-check on this machine, --backend $backend, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "OpenCL device: $DEVICE_NAME; script rc=$rc; python3 $(python3 -c 'import sys, numpy; print(sys.version.split()[0], "numpy", numpy.__version__)' 2>&1)"
    echo
    echo "| case | map | problems | largest difference (relative) / worst statistic (relative) |"
    echo "|---|---|---|---|"
    python3 -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    worst = r.get("maxRelDiff", (r.get("worstStatistic") or {}).get("relative"))
    print("| %s | %s | %d | %s |" % (r["case"], r["map"], len(r["problems"]), worst))
    for p in r["problems"][:3]:
        print("|  |  | %s |  |" % p.replace("|", "/"))
' "$WORK/xcheck.jsonl"
  } >"$XCHECK"
  cat "$XCHECK"
  grep -q '| [1-9][0-9]* |' "$XCHECK" && return 1
  return "$rc"
}

# ---------------------------------------------------------------- summary
summary() {
  {
    echo "# GPU run summary"
    echo
    echo "- when: $(date -u '+%Y-%m-%d %H:%M UTC'), total $((SECONDS - T_START)) s"
    echo "- GPU (nvidia-smi): $(command -v nvidia-smi >/dev/null && nvidia-smi -L 2>/dev/null | head -n 2 | tr '\n' ' ' || echo 'nvidia-smi not found')"
    echo "- OpenCL device of the opencl backend: $DEVICE_NAME"
    echo "- OpenCL set-up: $OCL_SETUP"
    echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
    echo "- tests (engine kernel package, EQD2SUM_REQUIRE_CROSSCHECK=1): $TEST_LINE"
    echo "- steps:"
    local l
    for l in "${STEP_LINES[@]}"; do echo "  - $l"; done
    echo
    echo "## JMH (ms per pass over the whole grid; lower is better)"
    echo
    echo '```'
    local f
    for f in opencl copy cpu cold; do
      [ -f "$WORK/jmh-$f.txt" ] || continue
      sed -n '/^Benchmark /,$p' "$WORK/jmh-$f.txt"
    done
    echo '```'
    if [ -f "$WORK/jmh-cpu.txt" ] || [ -f "$WORK/jmh-opencl.txt" ]; then
      echo
      echo "Throughput (G output voxels/s; std 6.0 M voxels, large 52.4 M; resample onto std):"
      echo
      echo "| benchmark | backend | grid/map | threads | ms/op | G voxels/s |"
      echo "|---|---|---|---|---|---|"
      cat "$WORK"/jmh-opencl.txt "$WORK"/jmh-cpu.txt 2>/dev/null | awk '
        /^KernelBenchmark\.(eqd2Accumulate|resampleEqd2Accumulate) / {
          n = ($3 == "large") ? 52428800 : 6000000
          where = ($3 == "N/A") ? $4 : $3
          name = $1; sub(/^KernelBenchmark\./, "", name)
          printf "| %s | %s | %s | %s | %s | %.2f |\n", name, $2, where, $5, $8, n / ($8 * 1e6)
        }'
    fi
    if [ -f "$XCHECK" ]; then
      echo
      sed -n '/^# pydicom/,$p' "$XCHECK"
    fi
    if [ -f "$COHORT" ]; then
      echo
      sed -n '/^| --backend/,$p' "$COHORT"
    fi
    if [ -f "$E2E" ]; then
      echo
      echo "## sum end to end"
      echo
      sed -n '/^| case/,/^$/p' "$E2E"
    fi
  } >"$OUT/summary.md"
  echo
  echo "=================== SUMMARY ==================="
  cat "$OUT/summary.md"
}

main() {
  echo "eqd2sum GPU run: bundle $B, work $WORK, OUT $OUT, QUICK=$QUICK, BUDGET_S=$BUDGET_S, SKIP='$SKIP'"
  step "unpack JDK" unpack_jdk
  if [ ! -x "$JAVA" ]; then echo "FATAL: no java from the bundle; nothing else can run"; summary; return 1; fi
  step "machine and OpenCL driver" machine
  step "OpenCL devices (JOCL)" opencl_setup
  step "kernel tests" tests
  step "JMH kernels (warm)" jmh
  step "JMH kernels (cold first pass)" cold
  step "sum end to end" e2e
  step "cohort" cohort
  step "pydicom cross-check" xcheck
  summary
  pack_raw
  return 0
}

pack_raw() {
  local files
  files="$(cd "$WORK" && ls -d reports tests.txt jmh-*.txt sum-*.log sum-*.log.time cohort-*.log cohort-*.time xcheck.md xcheck.jsonl xcheck.err xcheck-*.log 2>/dev/null)"
  [ -n "$files" ] || return 0
  # shellcheck disable=SC2086
  (cd "$WORK" && tar -czf "$OUT/raw.tar.gz" $files) || echo "raw.tar.gz: tar failed"
}

main 2>&1 | tee -a "$LOG"
rc=${PIPESTATUS[0]}
[ "${KEEP_WORK:-}" = 1 ] || rm -rf "$WORK"
exit "$rc"
