#!/usr/bin/env bash
# The partner's path, as docs/plugins.md tells it: install Baro to a fresh prefix, build
# examples/partner-exporter (two exporters and a classifier) against that prefix alone (a
# separate CMake configure) with the strict warnings a partner may use, with GCC and with
# Clang, then load the plugins and export with the installed baro; the communes TSV is read
# back with Python's csv module and compared with `baro report --format json`.
# Also: every installed SDK header compiles on its own, refers only to installed headers,
# and a for_each_initiative callback returning int does not compile.
#   usage: out_of_tree_test.sh BUILD_DIR SOURCE_DIR CXX_COMPILER [PYTHON]
set -euo pipefail
build=$1 source=$2 cxx=$3 python=${4:-python3}
strict=(-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Werror)
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

# Installed headers refer only to installed headers, and each compiles on its own.
for header in $(cd "$prefix/include" && find baro -name '*.h' -o -name '*.hpp' | sort); do
  for used in $(sed -n 's|^#include [<"]\(baro/[^>"]*\)[>"].*|\1|p' "$prefix/include/$header"); do
    [ -e "$prefix/include/$used" ] || fail "$header includes $used, which is not installed"
  done
  grep -q 'normalize.hpp' "$prefix/include/$header" && fail "$header refers to baro/normalize.hpp, which is not installed"
  echo "#include <$header>" | run "$cxx" -std=c++20 "${strict[@]}" -fsyntax-only -I"$prefix/include" -x c++ -
done
echo '#include <baro/plugin_abi.h>' | run cc -std=c99 -Wall -Wextra -Wpedantic -Werror -fsyntax-only -I"$prefix/include" -x c -

# A callback returning int (neither void nor bool) is refused at compile time, clearly.
cat > "$work/int_callback.cpp" <<'CPP'
#include <baro/sdk.hpp>
void f(const baro::sdk::ExportInput& input) {
  input.for_each_initiative([](const baro::sdk::Initiative&) { return 0; });
}
CPP
if "$cxx" -std=c++20 -fsyntax-only -I"$prefix/include" "$work/int_callback.cpp" > "$work/log" 2>&1; then
  fail "a for_each_initiative callback returning int compiled"
fi
grep -q "the callback must return void, or bool" "$work/log" || { cat "$work/log" >&2; fail "no clear message for an int callback"; }

# The examples, strict, with this build's compiler and with the other one of GCC and Clang.
launcher=()
if command -v ccache > /dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
compilers=("$cxx")
case "$("$cxx" --version | head -1)" in
  *clang*) other=g++ ;;
  *) other=clang++ ;;
esac
command -v "$other" > /dev/null || fail "$other is needed for the strict build with both compilers (tools/setup-debian.sh)"
compilers+=("$(command -v "$other")")
for i in "${!compilers[@]}"; do
  run cmake -S "$source/examples/partner-exporter" -B "$work/build$i" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_CXX_COMPILER="${compilers[$i]}" -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS=${strict[*]}" "${launcher[@]}"
  run cmake --build "$work/build$i"
done
plugins=$work/build0/lib/baro/plugins
plugin=$plugins/departements.so
for name in departements communes mots-cles; do
  for i in "${!compilers[@]}"; do
    [ -f "$work/build$i/lib/baro/plugins/$name.so" ] || fail "${compilers[$i]} did not build $name.so"
  done
done

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
head -1 "$work/dep.tsv" | grep -qx $'department\tinitiatives\ttop_domain\ttop_domain_initiatives' \
  || { cat "$work/dep.tsv"; fail "the header is not the first line"; }
grep -q $'^69\t2\t' "$work/dep.tsv" || { cat "$work/dep.tsv"; fail "unexpected export"; }
grep -q $'^75\t1\t' "$work/dep.tsv" || { cat "$work/dep.tsv"; fail "unexpected export"; }
"${baro[@]}" export --db "$work/b.db" --to departements --plugin-path "$(dirname "$plugin")" --min-initiatives 0 \
  > /dev/null 2> "$work/err" && fail "--min-initiatives 0 was accepted"
grep -q "min-initiatives 0: is out of range: it must be at least 1" "$work/err" || { cat "$work/err"; fail "no clear message"; }

# The classifier, as a fallback after the rules, then one row per commune read back.
printf 'id;code_insee;description\n4;13055;Projet baroplop de la ville\n5;69123;Ouverture d un espace public numérique\n' \
  > "$work/batch2.csv"
run "${baro[@]}" classify --db "$work/b.db" --plugin-path "$plugins" --classifier rules --classifier mots-cles \
  --classifier-option mots-cles.domain=acces --classifier-option mots-cles.words=baroplop "$work/batch2.csv"
run "${baro[@]}" export --db "$work/b.db" --to communes --plugin-path "$plugins" --out "$work/communes.tsv"
run "${baro[@]}" report --db "$work/b.db" --format json --out "$work/report.json"
"$python" - "$work/communes.tsv" "$work/report.json" <<'PY' || fail "the communes TSV does not read back as the report"
import csv, json, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f, delimiter="\t"))  # what R's read.delim reads, header first
report = json.load(open(sys.argv[2], encoding="utf-8"))
ids = [d["domain"] for d in report["domains"] if d["domain"] is not None]
assert rows[0] == ["commune", "name", "department", "population", "initiatives"] + ids + ["unclassified"], rows[0]
points = {p["code"]: p for p in report["commune_points"]}
assert sorted(r[0] for r in rows[1:]) == sorted(points), (rows, points)
totals = [0] * (len(ids) + 1)
for r in rows[1:]:
    p = points[r[0]]
    assert r[1:3] == [p["name"], p["department"]], (r, p)
    assert r[3] == ("NA" if p["population"] is None else str(p["population"])), (r, p)
    assert int(r[4]) == p["initiatives"], (r, p)
    for k, share in enumerate(r[5:]):
        totals[k] += round(float(share) * p["initiatives"])
assert totals == [d["primary_count"] for d in report["domains"]], (totals, report["domains"])
marseille = next(r for r in rows[1:] if r[0] == "13055")  # classified by mots-cles alone
assert float(marseille[5 + ids.index("acces")]) == 1.0, marseille
PY
echo "ok: installed to $prefix, built the partner plugins strictly with ${compilers[*]}, ran them"
