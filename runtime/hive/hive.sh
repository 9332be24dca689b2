#!/usr/bin/env bash
# Entry point of loglake's Hive metastore image.
#   schema          bring the database schema to this Hive's version (the schema Job)
#   serve           run the metastore's Thrift service (the Deployment)
#   login-current   exit 0 while the login read at start is still the one in the secret, or was
#                   replaced less than this replica's restart delay ago (liveness probe)
# The login (files hive-username, hive-password) is read from HIVE_LOGIN_DIR, the Secrets Store CSI volume.
set -euo pipefail

login_dir=${HIVE_LOGIN_DIR:?HIVE_LOGIN_DIR names the folder holding the login files}
# Under the read-only root filesystem, /tmp is the pod's emptyDir.
state_dir=${HIVE_STATE_DIR:-/tmp}
started_with=$state_dir/login-at-start.sha256
# When this replica restarts for a new login: set the first time the probe sees one.
restart_due=$state_dir/login-restart-due

login_digest() { cat "$login_dir/hive-username" "$login_dir/hive-password" | sha256sum; }

read_login() {
  HIVE_DB_USER=$(<"$login_dir/hive-username")
  HIVE_DB_PASSWORD=$(<"$login_dir/hive-password")
  export HIVE_DB_USER HIVE_DB_PASSWORD
}

case "${1:-serve}" in
  schema)
    read_login
    # -upgradeSchema is a no-op on a current schema and fails on an empty database, which -initSchema
    # then fills; on a database that already has tables -initSchema stops at its first CREATE TABLE
    # without changing anything, so a re-run never damages a schema.
    /opt/hive/bin/schematool -dbType postgres -upgradeSchema ||
      /opt/hive/bin/schematool -dbType postgres -initSchema
    ;;
  serve)
    read_login
    # The service reads the login once; the alternating-users rotation keeps the previous login valid
    # until the next rotation, and the liveness probe (login-current) restarts the container on a new one.
    login_digest >"$started_with"
    # The JMX exporter agent serves the metastore's metrics (hive-site.xml turns them on) and the JVM's.
    export HIVE_METASTORE_HADOOP_OPTS="-javaagent:/opt/loglake/jmx_prometheus_javaagent.jar=${HIVE_METRICS_PORT:?HIVE_METRICS_PORT names the metrics port}:${HIVE_CONF_DIR}/jmx-exporter.yaml ${HIVE_METASTORE_HADOOP_OPTS:-}"
    exec /opt/hive/bin/hive --skiphadoopversion --skiphbasecp --service metastore \
      --hiveconf hive.root.logger=INFO,console
    ;;
  login-current)
    [[ "$(login_digest)" == "$(<"$started_with")" ]] && exit 0
    # A random delay within the window (RANDOM is 0..32767), so replicas seeing one rotation restart
    # at different moments; the previous login stays valid until the next rotation.
    window=${HIVE_LOGIN_RESTART_WINDOW_SECONDS:?HIVE_LOGIN_RESTART_WINDOW_SECONDS names the restart window}
    [[ -f "$restart_due" ]] || echo $(($(date +%s) + RANDOM * window / 32768)) >"$restart_due"
    (($(date +%s) < $(<"$restart_due")))
    ;;
  *)
    echo "hive.sh: unknown command '$1' (schema, serve or login-current)" >&2
    exit 64
    ;;
esac
