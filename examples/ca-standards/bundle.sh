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
# published; the commit is written into the catalog's `source`. Where that commit is not the
# published text, `bundle_at` names the commit and the comment above it says why.
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
  bundle_at "$gitdir" "$repo" "$path" "$version" "$commit" "$licence" "$@"
}

# bundle_at GITDIR REPO PATH VERSION COMMIT LICENCE [extra import flags...]
bundle_at() {
  local gitdir=$1 repo=$2 path=$3 version=$4 commit=$5 licence=$6
  shift 6
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

# TLS BR: every version since 2.0.0, and 1.8.7 for the profiles ballot (SC062).
br_versions="1.8.7 2.0.0 2.0.1 2.0.2 2.0.3 2.0.4 2.0.5 2.0.6 2.0.7 2.0.8 2.0.9
  2.1.0 2.1.1 2.1.2 2.1.3 2.1.4 2.1.5 2.1.6 2.1.7 2.1.8 2.1.9
  2.2.0 2.2.1 2.2.2 2.2.3 2.2.4 2.2.5 2.2.6"
for v in $br_versions; do
  bundle "$servercert" cabforum/servercert docs/BR.md "$v" "^subtitle: Version $(escape "$v")\$" "CC BY 4.0"
done
# EV Guidelines 1.8.x and 2.0.x (SC065 renumbered them into the RFC 3647 outline at 2.0.0).
for v in 1.8.0 1.8.1 2.0.0 2.0.1 2.0.2; do
  bundle "$servercert" cabforum/servercert docs/EVG.md "$v" "^subtitle: Version $(escape "$v")\$" "CC BY 4.0"
done
# NSR 1.7 was last published in the TLS repository; 2.0 onwards in cabforum/netsec (whose
# history sets no "Version 2.0.2" line).
bundle "$servercert" cabforum/servercert docs/NSR.md 1.7 '^subtitle: Version 1\.7$' "CC BY 4.0"
for v in 2.0 2.0.1 2.0.3 2.0.4 2.0.5; do
  bundle "$netsec" cabforum/netsec docs/NSR.md "$v" "^subtitle: Version $(escape "$v")\$" "CC BY 4.0"
done
for v in 1.0.0 1.0.1 1.0.2 1.0.3 1.0.4 1.0.5 1.0.6 1.0.7 1.0.8 1.0.9 1.0.10; do
  bundle "$smime" cabforum/smime SBR.md "$v" "^subtitle: Version $(escape "$v")\$" "CC BY 4.0"
done
# CRLF line ends: no end anchor. The commit that set "Version 3.0.0" holds the empty RFC 3647
# outline; 3.0.0 was published by the migration of the text into it ("RFC 3647 migration (#6)").
bundle_at "$codesigning" cabforum/code-signing docs/CSBR.md 3.0.0 \
  e345af02746bccf5d3c99506e492b5021714548a "CC BY 4.0"
bundle "$codesigning" cabforum/code-signing docs/CSBR.md 3.1.0 '^subtitle: Version 3\.1\.0' "CC BY 4.0"
bundle "$codesigning" cabforum/code-signing docs/CSBR.md 3.2.0 '^subtitle: Version 3\.2\.0' "CC BY 4.0"
# 3.3.0 was published with the date "June XX, 2023"; the same day's "Fix publication date
# (#25)" (afa87482f6dff2259dbf47d57280f156213c5d96) gives it.
bundle "$codesigning" cabforum/code-signing docs/CSBR.md 3.3.0 '^subtitle: Version 3\.3\.0' "CC BY 4.0" \
  --published 2023-06-29
for v in 3.4.0 3.5.0 3.6.0 3.7.0 3.8.0 3.9.0 3.10.0; do
  bundle "$codesigning" cabforum/code-signing docs/CSBR.md "$v" "^subtitle: Version $(escape "$v")" "CC BY 4.0"
done
for v in 2.9 3.0 3.1; do
  bundle "$pkipolicy" mozilla/pkipolicy rootstore/policy.md "$v" "^\\*Version $(escape "$v")\\*" "CC0" \
    --title "Mozilla Root Store Policy"
done
bundle "$ccadb" mozilla/www.ccadb.org policy.md 2.1 '^\*Version 2\.1' "CC0"
