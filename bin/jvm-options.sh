#!/usr/bin/env bash
# The JVM options of the job's JVM for `run`, in one place: sourced by ./impressions-clicks, and run by the
# benchmark (bench/bench-job, Engines) so that its job engine's JVMs get the same:
#   bin/jvm-options.sh --bounded|--watching    prints them, one a line
#
# The embedded cluster runs on C1 only: its work is thousands of small files, where C2's compilations cost
# more than they give back (a backfill's JVM compiled 11 500 methods, 38 s of compiler time in a 32 s run;
# a watching job's C2 took a third of its CPU in its first minutes and 150 MB of memory). A backfill (run
# --bounded) also takes the serial collector from a 128 MB initial heap: its live heap is small, and it
# ends; and one compiler thread instead of two, so that the cluster's start and the readers get the second
# core (the 500 big files in 1.89 s instead of 2.02 s); and C1 inlines methods of up to 20 bytes of
# bytecode instead of 35: its one thread is busy for most of a backfill (0.94 s of compiler time in a
# 1.45 s run of the 500 big files), and the smaller inlining cuts that to 0.69 s, for 4-5 % less time on
# big, real-shaped and no files alike. Its heap is backed by transparent huge pages where the kernel
# offers them on request (madvise): a JVM's first touches of its memory are page faults, one per
# 4 KiB page, and on this project's machine each cost 10 us: 45 000 faults in a backfill of nothing, its
# young collections 50 ms each, of which 15 ms with the heap touched beforehand; with them a backfill is
# 100-170 ms faster. A watching run keeps the JVM's default collector for its long life. The numbers: README
# "Fixed costs of a backfill" and "Benchmark". IC_JAVA_OPTS comes later on the command line and wins; a
# collector there replaces this one.

# run_jvm_options true|false: sets the array jvm_opts to the options of a run, bounded or not
run_jvm_options() {
  jvm_opts=(-XX:TieredStopAtLevel=1)
  if [ "$1" = true ]; then
    jvm_opts+=(-Xms128m -XX:CICompilerCount=1 -XX:C1MaxInlineSize=20)
    [[ "${IC_JAVA_OPTS:-}" == *-XX:+Use*GC* ]] || jvm_opts+=(-XX:+UseSerialGC)
    # where the kernel has none (never), the JVM would warn that it ignores the option
    local thp_mode=""
    { read -r thp_mode < /sys/kernel/mm/transparent_hugepage/enabled; } 2> /dev/null || true
    [[ "$thp_mode" != *"[madvise]"* && "$thp_mode" != *"[always]"* ]] || jvm_opts+=(-XX:+UseTransparentHugePages)
  fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  case "${1:-}" in
    --bounded) run_jvm_options true ;;
    --watching) run_jvm_options false ;;
    *)
      echo "usage: $0 --bounded|--watching" >&2
      exit 2
      ;;
  esac
  printf '%s\n' "${jvm_opts[@]}"
fi
