# Sourced by .ci/run (and usable by hand: `source .ci/etcd.sh`): installs etcd when it is
# missing, starts one member on free loopback ports with a temporary data directory, waits
# (bounded) until it is healthy, exports MODKIT_TEST_ETCD_URL, and stops it and removes its
# data directory when the shell exits.

if ! command -v etcd >/dev/null 2>&1; then
  echo "== installing etcd-server"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq etcd-server >/dev/null
fi

# A free loopback port: bound by the kernel, then released for etcd to take.
modkit_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

modkit_etcd_client_port=$(modkit_free_port)
modkit_etcd_peer_port=$(modkit_free_port)
modkit_etcd_dir=$(mktemp -d -t modkit-etcd-XXXXXX)
etcd --name modkit-ci --data-dir "$modkit_etcd_dir/data" \
  --listen-client-urls "http://127.0.0.1:$modkit_etcd_client_port" \
  --advertise-client-urls "http://127.0.0.1:$modkit_etcd_client_port" \
  --listen-peer-urls "http://127.0.0.1:$modkit_etcd_peer_port" \
  --initial-advertise-peer-urls "http://127.0.0.1:$modkit_etcd_peer_port" \
  --initial-cluster "modkit-ci=http://127.0.0.1:$modkit_etcd_peer_port" \
  >"$modkit_etcd_dir/etcd.log" 2>&1 &
modkit_etcd_pid=$!

modkit_stop_etcd() {
  kill "$modkit_etcd_pid" 2>/dev/null || true
  wait "$modkit_etcd_pid" 2>/dev/null || true
  rm -rf "$modkit_etcd_dir"
}
trap modkit_stop_etcd EXIT

modkit_etcd_healthy=no
for _ in $(seq 1 100); do
  if python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1).read()' \
      "http://127.0.0.1:$modkit_etcd_client_port/health" >/dev/null 2>&1; then
    modkit_etcd_healthy=yes
    break
  fi
  sleep 0.1
done
if [ "$modkit_etcd_healthy" != yes ]; then
  echo "etcd did not become healthy within 10 s; its log:" >&2
  cat "$modkit_etcd_dir/etcd.log" >&2
  exit 1
fi
export MODKIT_TEST_ETCD_URL="http://127.0.0.1:$modkit_etcd_client_port"
echo "== etcd at $MODKIT_TEST_ETCD_URL (pid $modkit_etcd_pid)"
