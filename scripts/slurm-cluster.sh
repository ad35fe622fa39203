#!/usr/bin/env bash
# A real single-node Slurm cluster for the tests (munge + slurmctld + slurmd), without systemd.
#
#   scripts/slurm-cluster.sh start    write the config, start the daemons, run a probe job; ready when it exits 0
#   scripts/slurm-cluster.sh stop     cancel jobs, shut the daemons down, stop munged
#   scripts/slurm-cluster.sh status   exit 0 when the cluster answers
#
# Needs root and Debian's slurmctld, slurmd, slurm-client and munge (.ci/run installs them).
# State and logs live in $SEN_LAB_SLURM_DIR (default /tmp/sen-lab-slurm). The config is written
# there and linked from /etc/slurm/slurm.conf when that file does not exist yet, so sbatch, squeue
# and friends find it without SLURM_CONF. Facts behind the choices: docs/sweeps.md.
set -euo pipefail

D="${SEN_LAB_SLURM_DIR:-/tmp/sen-lab-slurm}"
CONF="$D/slurm.conf"
ETC_CONF=/etc/slurm/slurm.conf
MUNGE_PID=/run/munge/munged.pid

log() { echo "slurm-cluster: $*" >&2; }
die() { log "$*"; exit 1; }

alive() { # pid -> 0 when running and not a zombie
  local pid="$1" st
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  st="$(ps -o stat= -p "$pid" 2>/dev/null || true)"
  [[ "$st" != Z* ]]
}

write_config() {
  local node mem
  node="$(hostname -s)"
  mem="$(slurmd -C 2>/dev/null | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p')"
  [ -n "$mem" ] || die "slurmd -C reported no memory"
  mem=$(( mem > 2000 ? mem - 1000 : mem ))
  local cpus
  cpus="$(slurmd -C 2>/dev/null | sed -n 's/.*CPUs=\([0-9]*\).*/\1/p')"
  mkdir -p "$D/state/ctld" "$D/state/d" "$D/log"
  cat > "$CONF" <<CONF
ClusterName=senlab
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CryptoType=crypto/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
DefMemPerCPU=1000
SchedulerType=sched/backfill
ReturnToService=2
StateSaveLocation=$D/state/ctld
SlurmdSpoolDir=$D/state/d
SlurmctldPidFile=$D/state/slurmctld.pid
SlurmdPidFile=$D/state/slurmd.pid
SlurmctldLogFile=$D/log/slurmctld.log
SlurmdLogFile=$D/log/slurmd.log
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$D/log/jobcomp.txt
MinJobAge=600
KillWait=5
NodeName=$node NodeAddr=127.0.0.1 CPUs=${cpus:-2} RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
  if [ ! -e "$ETC_CONF" ]; then
    mkdir -p /etc/slurm
    ln -s "$CONF" "$ETC_CONF"
  fi
  export SLURM_CONF="$CONF"
}

start_munge() {
  if [ -f "$MUNGE_PID" ] && alive "$(cat "$MUNGE_PID")"; then return; fi
  install -d -o munge -g munge -m 0755 /run/munge
  if [ ! -s /etc/munge/munge.key ]; then
    mungekey --create --keyfile=/etc/munge/munge.key
    chown munge:munge /etc/munge/munge.key
    chmod 0400 /etc/munge/munge.key
  fi
  runuser -u munge -- /usr/sbin/munged --force
  for _ in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && return; sleep 0.1; done
  die "munged does not answer"
}

status() {
  [ -f "$CONF" ] || return 1
  SLURM_CONF="$CONF" timeout 10 sinfo -h -o '%T' 2>/dev/null | grep -Eq 'idle|mixed|alloc'
}

start() {
  for cmd in slurmctld slurmd sbatch munged; do
    command -v "$cmd" >/dev/null 2>&1 || [ -x "/usr/sbin/$cmd" ] || die "$cmd is not installed (apt-get install slurmctld slurmd slurm-client munge)"
  done
  [ "$(id -u)" = 0 ] || die "needs root"
  if status; then log "already running ($CONF)"; echo "SLURM_CONF=$CONF"; return; fi
  write_config
  start_munge
  /usr/sbin/slurmctld -f "$CONF" || die "slurmctld did not start; see $D/log/slurmctld.log"
  /usr/sbin/slurmd -f "$CONF" || die "slurmd did not start; see $D/log/slurmd.log"
  for _ in $(seq 100); do status && break; sleep 0.2; done
  status || die "the node did not become idle; see $D/log/"
  # the first scheduling pass comes a few seconds after slurmctld starts: a probe job proves it works
  SLURM_CONF="$CONF" timeout 60 srun -N1 -n1 -t 1 true || die "the probe job (srun true) failed; see $D/log/"
  log "ready ($CONF)"
  echo "SLURM_CONF=$CONF"
}

stop() {
  export SLURM_CONF="$CONF"
  if [ -f "$CONF" ]; then
    scancel --user=root 2>/dev/null || true
    for _ in $(seq 50); do [ -z "$(squeue -h 2>/dev/null)" ] && break; sleep 0.2; done
    scontrol shutdown 2>/dev/null || true
  fi
  for f in "$D/state/slurmd.pid" "$D/state/slurmctld.pid" "$MUNGE_PID"; do
    [ -f "$f" ] || continue
    local pid; pid="$(cat "$f")"
    [ "$f" = "$MUNGE_PID" ] && kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do alive "$pid" || break; sleep 0.1; done
    alive "$pid" && kill -9 "$pid" 2>/dev/null || true
  done
  if [ -L "$ETC_CONF" ] && [ "$(readlink "$ETC_CONF")" = "$CONF" ]; then rm -f "$ETC_CONF"; fi
  log "stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if status; then echo running; else echo "not running"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
