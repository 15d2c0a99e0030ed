#!/usr/bin/env bash
# The partner's path, as docs/plugins.md tells it: install Baro to a fresh prefix, build
# examples/partner-exporter against that prefix alone (a separate CMake configure), then
# load the plugin and export with the installed baro.
#   usage: out_of_tree_test.sh BUILD_DIR SOURCE_DIR CXX_COMPILER
set -euo pipefail
build=$1 source=$2 cxx=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAILED: $*" >&2; exit 1; }
run() { "$@" > "$work/log" 2>&1 || { cat "$work/log" >&2; fail "$*"; }; }

prefix=$work/prefix
run cmake --install "$build" --prefix "$prefix"
for f in bin/baro include/baro/sdk.hpp include/baro/plugin_abi.h include/baro/version.hpp \
         lib/cmake/Baro/BaroConfig.cmake lib/baro/plugins/csv.so share/baro/rules/fr/ruleset.json; do
  [ -e "$prefix/$f" ] || fail "the install lacks $f"
done

launcher=()
if command -v ccache > /dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
run cmake -S "$source/examples/partner-exporter" -B "$work/build" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=Release "${launcher[@]}"
run cmake --build "$work/build"
plugin=$work/build/lib/baro/plugins/departements.so
[ -f "$plugin" ] || fail "the example did not build $plugin"

# The installed baro, with nothing of the build tree around: its own plugins come from
# <prefix>/lib/baro/plugins, found from the executable.
baro=("$prefix/bin/baro")
export HOME=$work BARO_PLUGIN_PATH= BARO_DATA_DIR= BARO_DB=
"${baro[@]}" plugins list --json --plugin-path "$(dirname "$plugin")" > "$work/list.json"
grep -q "\"path\": \"$plugin\"" "$work/list.json" || { cat "$work/list.json"; fail "the example is not listed"; }
grep -q "\"path\": \"$prefix/lib/baro/plugins/csv.so\"" "$work/list.json" || fail "the installed csv exporter is not listed"
if grep -q '"status": "failed"' "$work/list.json"; then cat "$work/list.json"; fail "a plugin failed to load"; fi

printf 'id;code_insee;description\n1;69123;Ouverture d un espace public numérique\n2;69381;Site internet de la ville\n3;75056;Budget participatif en ligne\n' > "$work/batch.csv"
run "${baro[@]}" init --db "$work/b.db"
run "${baro[@]}" classify --db "$work/b.db" "$work/batch.csv"
"${baro[@]}" export --db "$work/b.db" --to departements --plugin-path "$(dirname "$plugin")" --out "$work/dep.tsv" \
  || fail "the export failed"
grep -q $'^69\t2\t' "$work/dep.tsv" || { cat "$work/dep.tsv"; fail "unexpected export"; }
grep -q $'^75\t1\t' "$work/dep.tsv" || { cat "$work/dep.tsv"; fail "unexpected export"; }
"${baro[@]}" export --db "$work/b.db" --to departements --plugin-path "$(dirname "$plugin")" --min-initiatives 0 \
  > /dev/null 2> "$work/err" && fail "--min-initiatives 0 was accepted"
grep -q "min-initiatives must be at least 1" "$work/err" || { cat "$work/err"; fail "no clear message"; }
echo "ok: installed to $prefix, built and ran the partner exporter"
