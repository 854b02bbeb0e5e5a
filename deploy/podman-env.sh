# Sourced by deploy/base-image.sh, deploy/image-test.sh and deploy/cold-start.sh: makes podman work on our
# machines and on a fresh CI machine (run as root). Installs podman and runc with apt-get if missing and points
# podman at its own configuration (written under target/podman, exported as CONTAINERS_CONF and
# CONTAINERS_STORAGE_CONF), so nothing outside the clone is changed but the packages:
#  - runc: crun 1.8 (Debian 12) fails here with "cgroups in hybrid mode not supported";
#  - cgroupfs and a file events log: no systemd session to talk to;
#  - host network: no CNI/netavark set-up needed; the tests pick a free port;
#  - no default ulimits: podman's nofile/nproc defaults exceed the hard limits here ("setrlimit RLIMIT_NOFILE:
#    Operation not permitted");
#  - storage: the kernel's overlay file system where it can be mounted on the storage's disk (root, no fuse
#    needed), else vfs, which copies a whole image for each container (seconds per `podman run` for our image).
#    Each driver keeps its own graph root: podman refuses to switch drivers over existing storage.
if ! command -v podman >/dev/null || ! command -v runc >/dev/null; then
  echo "== installing podman and runc (apt-get)" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q podman runc >&2
fi
podman_conf_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/target/podman"
mkdir -p "$podman_conf_dir"
cat > "$podman_conf_dir/containers.conf" <<'CONF'
[containers]
netns = "host"
default_ulimits = []

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "runc"
CONF
overlay_works() { # mounts a throw-away overlay where the images will live
  local probe=/var/lib/containers/overlay-probe.$$ ok=1
  mkdir -p "$probe"/{lower,upper,work,merged} || return 1
  mount -t overlay overlay -o "lowerdir=$probe/lower,upperdir=$probe/upper,workdir=$probe/work" "$probe/merged" \
    2>/dev/null && umount "$probe/merged" && ok=0
  rm -rf "$probe"
  return $ok
}
if [ -z "${TRIAGE_PODMAN_STORAGE:-}" ]; then
  if overlay_works; then TRIAGE_PODMAN_STORAGE=overlay; else TRIAGE_PODMAN_STORAGE=vfs; fi
fi
export TRIAGE_PODMAN_STORAGE
if [ "$TRIAGE_PODMAN_STORAGE" = vfs ]; then storage_suffix=""; else storage_suffix="-$TRIAGE_PODMAN_STORAGE"; fi
cat > "$podman_conf_dir/storage.conf" <<CONF
[storage]
driver = "$TRIAGE_PODMAN_STORAGE"
runroot = "/run/containers/storage$storage_suffix"
graphroot = "/var/lib/containers/storage$storage_suffix"
CONF
export CONTAINERS_CONF="$podman_conf_dir/containers.conf"
export CONTAINERS_STORAGE_CONF="$podman_conf_dir/storage.conf"
