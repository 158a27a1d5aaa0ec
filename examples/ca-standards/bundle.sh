#!/usr/bin/env bash
# Regenerates the bundled catalogs of the CA standards stack (standards/cabf-*,
# standards/mozilla-root-store-policy, standards/ccadb-policy) from the publishers' git
# repositories with `reqgap import markdown`.
#
# Usage (from the repository root, with local clones or bare mirrors of the publishers'
# repositories):
#   examples/ca-standards/bundle.sh REQGAP SERVERCERT NETSEC SMIME CODE_SIGNING PKIPOLICY CCADB
# where REQGAP is the reqgap binary and each other argument is the git directory of
#   cabforum/servercert, cabforum/netsec, cabforum/smime, cabforum/code-signing,
#   mozilla/pkipolicy, mozilla/www.ccadb.org.
#
# Each version is taken from the commit that set its version line (the front matter's
# `subtitle: Version x.y.z`, or `*Version x.y*` for the Mozilla and CCADB policies), as
# published; the commit is written into the catalog's `source`.
set -euo pipefail

reqgap=$1 servercert=$2 netsec=$3 smime=$4 codesigning=$5 pkipolicy=$6 ccadb=$7
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# bundle GITDIR REPO PATH VERSION PATTERN LICENCE [extra import flags...]
bundle() {
  local gitdir=$1 repo=$2 path=$3 version=$4 pattern=$5 licence=$6
  shift 6
  local commit
  # The main line first (squash-merged ballots); repositories that merge branches set the
  # version on a branch commit.
  commit=$(git --git-dir="$gitdir" log HEAD --first-parent --reverse --format=%H -G"$pattern" -- "$path" | awk 'NR == 1')
  if [ -z "$commit" ]; then
    commit=$(git --git-dir="$gitdir" log HEAD --reverse --format=%H -G"$pattern" -- "$path" | awk 'NR == 1')
  fi
  if [ -z "$commit" ]; then
    echo "no commit sets version $version of $repo $path" >&2
    return 1
  fi
  local name
  name=$(basename "$path")
  git --git-dir="$gitdir" show "$commit:$path" > "$work/$name"
  "$reqgap" import markdown "$work/$name" --version "$version" "$@" -o "$work/out.yaml" --force
  local standard
  standard=$(sed -n 's/^standard: //p' "$work/out.yaml")
  mkdir -p "standards/$standard"
  sed "s|^source: .*|source: $repo $path at $commit ($licence), imported by reqgap import markdown|" \
    "$work/out.yaml" > "standards/$standard/$version.yaml"
  echo "$standard $version $repo $path $commit"
}

escape() { printf '%s' "$1" | sed 's/\./\\./g'; }

for v in 1.8.7 2.0.0 2.1.4 2.1.5 2.2.5 2.2.6; do
  bundle "$servercert" cabforum/servercert docs/BR.md "$v" "^subtitle: Version $(escape "$v")\$" "CC BY 4.0"
done
bundle "$netsec" cabforum/netsec docs/NSR.md 2.0.5 '^subtitle: Version 2\.0\.5$' "CC BY 4.0"
bundle "$smime" cabforum/smime SBR.md 1.0.10 '^subtitle: Version 1\.0\.10$' "CC BY 4.0"
bundle "$codesigning" cabforum/code-signing docs/CSBR.md 3.10.0 '^subtitle: Version 3\.10\.0' "CC BY 4.0"
for v in 2.9 3.0 3.1; do
  bundle "$pkipolicy" mozilla/pkipolicy rootstore/policy.md "$v" "^\\*Version $(escape "$v")\\*" "CC0" \
    --title "Mozilla Root Store Policy"
done
bundle "$ccadb" mozilla/www.ccadb.org policy.md 2.1 '^\*Version 2\.1' "CC0"
