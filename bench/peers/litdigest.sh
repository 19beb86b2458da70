#!/usr/bin/env bash
# litdigest as a peer of ../shared/bench/run_peers.sh:
#   bench/peers/litdigest.sh CORPUS_DIR OUT_DIR [all|prepare|build]
# prepare: the corpus is already litdigest's content format; add a site.yaml with the peers'
#          page size (10) and feed size (100).
# build:   a cold build with this checkout's code and theme: no previous site/, no
#          .litdigest-cache/ (both set aside first, as for every peer).
PEER=litdigest
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
. "${LITDIGEST_SHARED_BENCH:-$REPO/../shared/bench}/peers/common.sh" "$@"
LITDIGEST_PYTHON=${LITDIGEST_PYTHON:-python3}
prepare() {
  rm -rf "$SRC"
  mkdir -p "$SRC/content"
  cp -r "$CORPUS/papers" "$SRC/content/papers"
  cat > "$SRC/content/site.yaml" <<'YAML'
title: "Literature digest (bench)"
base_url: "https://example.org/digest/"
page_size: 10
feed_size: 100
YAML
}
build() {
  set_aside_old_output "$OUT/.litdigest-cache"
  "$LITDIGEST_PYTHON" "$REPO/build.py" build --content "$SRC/content" --output "$SITE"
}
case "$STEP" in
  prepare) prepare ;;
  build) build ;;
  all) prepare; build ;;
  *) echo "unknown step $STEP" >&2; exit 2 ;;
esac
