#!/usr/bin/env bash
# The metastore database's bootstrap (the bootstrap Job, in the postgres image): with the master login,
# create the Hive logins the alternating-users rotation expects and the database with only the rights
# the metastore needs (bootstrap.sql). Re-running it changes nothing.
#
# SECRETS_DIR holds master-username, master-password, hive-username and hive-password (the Secrets
# Store CSI volume); METASTORE_DATABASE names the database; libpq's PGHOST, PGPORT, PGSSLMODE and
# PGSSLROOTCERT say where and how to connect.
set -euo pipefail

secrets=${SECRETS_DIR:?SECRETS_DIR names the folder holding the secrets as files}
database=${METASTORE_DATABASE:?METASTORE_DATABASE names the metastore database}
login=$(<"$secrets/hive-username")
# The rotation alternates <owner> and <owner>_clone; the secret holds whichever is current.
owner=${login%_clone}

# The secret's password is written only when it does not log in yet (a new database, or a promoted DR
# replica with fresh secrets), so a re-run leaves the stored password alone.
if PGUSER=$login PGPASSWORD=$(<"$secrets/hive-password") PGDATABASE=$database \
  psql -XqtA -c 'SELECT 1' >/dev/null 2>&1; then
  set_password=false
else
  set_password=true
fi

PGUSER=$(<"$secrets/master-username") PGPASSWORD=$(<"$secrets/master-password") PGDATABASE=postgres \
  psql -X -v ON_ERROR_STOP=1 \
  -v database="$database" -v owner="$owner" -v clone="${owner}_clone" -v login="$login" \
  -v set_password="$set_password" \
  -f "$(dirname "$0")/bootstrap.sql"
