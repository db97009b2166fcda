#!/usr/bin/env bash
# Sourced by ./impressions-clicks and bin/config.sh: how both keep a file a Maven build writes (a classpath)
# and build it again when what it comes from has changed. They keep different files: the launcher its
# run classpath (launcher/target/launcher.classpath) and the benchmark's, bin/ the cluster's lib/
# (flink-cluster/target/cluster.classpath).

# cache_stale FILE INPUT... [FIND TESTS]: true when FILE is missing or empty, or an INPUT (a file, or a folder
# and everything below it; find tests such as -name '*.java' narrow them) has changed after it.
cache_stale() {
  local file="$1"
  shift
  [ ! -s "$file" ] || [ -n "$(find "$@" -newer "$file" -print -quit)" ]
}

# build_in DIR COMMAND...: runs COMMAND in DIR with its output on stderr, without Maven's colour codes.
build_in() {
  local dir="$1"
  shift
  (cd "$dir" && "$@") 2>&1 | sed 's/\x1b\[[0-9;]*m//g' >&2
}
