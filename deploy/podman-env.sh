# Sourced by deploy/base-image.sh, deploy/image-test.sh and deploy/cold-start.sh: makes podman work on our
# machines and on a fresh CI machine (run as root). Installs podman and runc with apt-get if missing and points
# podman at its own configuration (written under target/podman, exported as CONTAINERS_CONF and
# CONTAINERS_STORAGE_CONF), so nothing outside the clone is changed but the packages:
#  - runc: crun 1.8 (Debian 12) fails here with "cgroups in hybrid mode not supported";
#  - cgroupfs and a file events log: no systemd session to talk to;
#  - host network: no CNI/netavark set-up needed; the tests pick a free port;
#  - no default ulimits: podman's nofile/nproc defaults exceed the hard limits here ("setrlimit RLIMIT_NOFILE:
#    Operation not permitted");
#  - vfs storage: overlay needs kernel/fuse support these machines do not offer.
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
cat > "$podman_conf_dir/storage.conf" <<'CONF'
[storage]
driver = "vfs"
runroot = "/run/containers/storage"
graphroot = "/var/lib/containers/storage"
CONF
export CONTAINERS_CONF="$podman_conf_dir/containers.conf"
export CONTAINERS_STORAGE_CONF="$podman_conf_dir/storage.conf"
