# Reuse of already built cluster binaries. Sourced by scripts/cluster-build.sh
# (after common.sh); do not run it.
#
# A cache entry is keyed by the contents of one wrapper module, so changing one
# module (e.g. adding kwokctl to toolchain/cluster/kwok) never rebuilds the
# binaries of the others. An entry of an older layout (one key over all three
# modules) may already hold a binary that the current pins would build again
# byte for byte: Go records in every binary the module versions it was linked
# from (`go version -m`), so such a binary is reused when that record, its Go
# version and its build settings agree with the wrapper module today.

# linked_by_build <module dir> <tags> <package>: "path version [=> path
# version]" of every module whose packages `go build` there would link into
# the package's binary (read-only: never edits go.mod or go.sum).
linked_by_build() {
  (cd "$1" && go list -mod=readonly ${2:+-tags "$2"} -deps \
    -f '{{with .Module}}{{.Path}} {{.Version}}{{with .Replace}} => {{.Path}} {{.Version}}{{end}}{{end}}' "$3") |
    awk 'NF >= 2' | sort -u
}

# linked_modules <binary>: the same lines, from the binary's build record.
linked_modules() {
  go version -m "$1" | awk -F'\t' '
    $2 == "mod" || $2 == "dep" { if (cur != "") print cur; cur = $3 " " $4; next }
    $2 == "=>" { cur = cur " => " $3 " " $4; next }
    END { if (cur != "") print cur }' | sort -u
}

# same_build <binary> <module dir> <tags> <package>: the binary was built by
# this recipe (Go version, CGO off, -trimpath, tags, GOOS/GOARCH) from the
# very module versions a build of <package> in the wrapper module links.
same_build() {
  local bin="$1" moddir="$2" tags="$3" pkg="$4" info
  info="$(go version -m "$bin" 2>/dev/null)" || return 1
  [ "$(head -n1 <<<"$info" | awk '{print $2}')" = "$GO_VERSION" ] || return 1
  grep -qxF "$(printf '\tbuild\tCGO_ENABLED=0')" <<<"$info" || return 1
  grep -qxF "$(printf '\tbuild\t-trimpath=true')" <<<"$info" || return 1
  grep -qxF "$(printf '\tbuild\tGOOS=%s' "$(go env GOOS)")" <<<"$info" || return 1
  grep -qxF "$(printf '\tbuild\tGOARCH=%s' "$(go env GOARCH)")" <<<"$info" || return 1
  if [ -n "$tags" ]; then
    grep -qxF "$(printf '\tbuild\t-tags=%s' "$tags")" <<<"$info" || return 1
  else
    ! grep -q "$(printf '^\tbuild\t-tags=')" <<<"$info" || return 1
  fi
  [ "$(linked_modules "$bin")" = "$(linked_by_build "$moddir" "$tags" "$pkg")" ]
}

# reuse_binaries <module dir> <recipe> <tags> <package pattern> <dest bin dir>
# <binary...>: hard link (or copy) the binaries from another complete cache
# entry whose recipe number is <recipe> and whose binaries pass same_build
# (%s in the pattern stands for the binary's name); 1 when none does.
reuse_binaries() {
  local moddir="$1" recipe="$2" tags="$3" pattern="$4" dest="$5"; shift 5
  local dir entry b ok
  for dir in "$ELASTICELL_CACHE"/toolchain/cluster-*/bin; do
    entry="$(dirname "$dir")"
    case "$entry" in *.partial.*) continue ;; esac
    grep -qx "recipe $recipe" "$entry/versions.txt" 2>/dev/null || continue
    ok=1
    for b in "$@"; do
      [ -x "$dir/$b" ] && same_build "$dir/$b" "$moddir" "$tags" "${pattern//%s/$b}" || { ok=0; break; }
    done
    [ "$ok" = 1 ] || continue
    for b in "$@"; do ln -f "$dir/$b" "$dest/$b" 2>/dev/null || cp -p "$dir/$b" "$dest/$b"; done
    log "reused $* from $entry (same Go version, build settings and linked module versions)"
    return 0
  done
  return 1
}
