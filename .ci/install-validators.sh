#!/usr/bin/env bash
# Installs, into ~/.cache/webrequests, the offline validators services/stack/test/deploy-files.test.ts
# uses for the deployment files (that test skips, saying why, for any that is missing):
#   - kubeconform (Go module proxy);
#   - Kubernetes JSON schemas, from the kubernetes-validate package on PyPI, with their "$ref"s made
#     absolute file URLs: kubeconform's default schema download needs a host this network cannot reach;
#   - the docker compose CLI plugin, built from its Go module (the docker CLI here has no compose).
# Each step is independent and cached; a failed step is reported and skipped, never fatal.
set -uo pipefail

cache="${WEBREQUESTS_CACHE:-$HOME/.cache/webrequests}"
mkdir -p "$cache"
kubeconform_version=v0.8.0
k8s_validate_version=1.37.0
k8s_version=v1.33.0
compose_version=v2.40.3

say() { echo "install-validators: $*" >&2; }

install_kubeconform() {
  local dest="$cache/kubeconform-$kubeconform_version"
  [[ -x "$dest" ]] && return 0
  command -v go >/dev/null || { say "go is missing: no kubeconform"; return 1; }
  GOBIN="$cache/gobin" go install "github.com/yannh/kubeconform/cmd/kubeconform@$kubeconform_version" &&
    mv "$cache/gobin/kubeconform" "$dest"
}

install_k8s_schemas() {
  local dest="$cache/k8s-schemas-$k8s_version"
  [[ -f "$dest/_definitions.json" ]] && return 0
  command -v python3 >/dev/null || { say "python3 is missing: no Kubernetes schemas"; return 1; }
  local tmp
  tmp=$(mktemp -d)
  python3 -m pip download --quiet --no-deps -d "$tmp" "kubernetes-validate==$k8s_validate_version" || { rm -rf "$tmp"; return 1; }
  python3 - "$tmp"/kubernetes_validate-*.whl "$k8s_version" "$dest" <<'PY' || { rm -rf "$tmp"; return 1; }
import os, sys, zipfile
wheel, version, dest = sys.argv[1:]
prefix = f"kubernetes_validate/kubernetes-json-schema/{version}-local-strict/"
os.makedirs(dest + ".tmp", exist_ok=True)
with zipfile.ZipFile(wheel) as z:
    names = [n for n in z.namelist() if n.startswith(prefix) and n.endswith(".json")]
    for name in names:
        text = z.read(name).decode()
        # The schemas name their shared definitions by a host path that resolves against their $id
        # (a kubernetes.io URL); point them at the file beside them instead.
        text = text.replace('"/api/_definitions.json', f'"file://{dest}/_definitions.json')
        with open(os.path.join(dest + ".tmp", os.path.basename(name)), "w") as out:
            out.write(text)
if not names:
    sys.exit(f"no {version} schemas in {wheel}")
os.rename(dest + ".tmp", dest)
PY
  rm -rf "$tmp"
}

install_compose() {
  local dest="$cache/docker-compose-$compose_version"
  [[ -x "$dest" ]] && return 0
  if docker compose version >/dev/null 2>&1; then return 0; fi
  command -v go >/dev/null || { say "go is missing: no docker compose"; return 1; }
  # `go install …@version` refuses this module (its go.mod has exclude directives): build from a copy.
  local src work
  src=$(cd "$(mktemp -d)" && GOFLAGS=-mod=mod go mod download -json "github.com/docker/compose/v2@$compose_version" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
  [[ -d "$src" ]] || return 1
  work=$(mktemp -d)
  cp -r "$src/." "$work/" && chmod -R u+w "$work" &&
    (cd "$work" && go build -o "$dest" ./cmd)
  local status=$?
  rm -rf "$work"
  return $status
}

for step in install_kubeconform install_k8s_schemas install_compose; do
  if $step >&2; then say "$step: ok"; else say "$step: FAILED (the deploy-files test will skip what needs it)"; fi
done
rmdir "$cache/gobin" 2>/dev/null
exit 0
