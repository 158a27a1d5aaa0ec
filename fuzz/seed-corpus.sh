#!/bin/sh
# Seeds fuzz/corpus/<target>/ from the repository's fixtures. Run from the repository root.
set -eu
corpus=fuzz/corpus
mkdir -p "$corpus/catalog" "$corpus/inventory" "$corpus/transition" \
    "$corpus/import_oscal" "$corpus/import_etsi_text" "$corpus/import_csv"
cp tests/fixtures/catalogs/demo/*.yaml tests/fixtures/diff/catalogs/*.yaml \
    tests/cmd/validate-broken.in/*.yaml "$corpus/catalog/"
for standard in standards/*/; do
    cp "$standard"*.yaml "$corpus/catalog/" 2>/dev/null || true
done
cp tests/fixtures/diff/mappings/*/*.yaml "$corpus/transition/"
cp tests/fixtures/diff/bad-transition/*/*.yaml "$corpus/transition/"
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
cp tests/fixtures/import/oscal/* "$corpus/import_oscal/"
cp tests/fixtures/import/*.txt "$corpus/import_etsi_text/"
cp tests/fixtures/import/csv/*.csv "$corpus/import_csv/"
echo "seeded: $(find "$corpus" -type f | wc -l) files"
