#!/bin/sh
# Seeds fuzz/corpus/<target>/ from the repository's fixtures. Run from the repository root.
set -eu
corpus=fuzz/corpus

# Copies files into a corpus folder under names made from their paths, so that fixtures of
# the same name in different folders do not collide.
seed() {
    target=$1
    shift
    for file in "$@"; do
        [ -f "$file" ] || continue
        cp "$file" "$corpus/$target/$(printf '%s' "$file" | tr '/' '_')"
    done
}

mkdir -p "$corpus/catalog" "$corpus/inventory" "$corpus/transition" \
    "$corpus/import_oscal" "$corpus/import_etsi_text" "$corpus/import_csv"
seed catalog tests/fixtures/catalogs/demo/*.yaml tests/fixtures/diff/catalogs/*.yaml \
    tests/cmd/validate-broken.in/*.yaml standards/*/*.yaml
seed transition tests/fixtures/diff/mappings/*/*.yaml tests/fixtures/diff/bad-transition/*/*.yaml
for dir in tests/fixtures/inventories/valid tests/fixtures/inventories/errors/*/; do
    [ -f "$dir/reqgap.yaml" ] || continue
    name=$(basename "$dir")
    for controls in "$dir"/controls/*.yaml; do
        [ -f "$controls" ] || continue
        out="$corpus/inventory/$name-$(basename "$controls" .yaml)"
        { cat "$dir/reqgap.yaml"; printf '\n%%%%%%\n'; cat "$dir/owners.yaml";
          printf '\n%%%%%%\n'; cat "$controls"; } > "$out"
    done
done
seed import_oscal tests/fixtures/import/oscal/*
seed import_etsi_text tests/fixtures/import/*.txt
seed import_csv tests/fixtures/import/csv/*.csv
echo "seeded: $(find "$corpus" -type f | wc -l) files"
