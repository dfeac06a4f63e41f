#!/bin/sh
# Certificates for mTLS between Temporal's frontend and its clients in docker-compose.yml:
# one private CA, a server certificate for the `temporal` service, and a client certificate
# for each service that connects to it. docker-compose.yml's `certs` service runs this on
# every `up`; it also runs on a host with openssl (docs/operations.md, "Docker Compose").
#
#   sh scripts/compose-certs.sh OUT_DIR
#
# OUT_DIR/ca holds the CA's key and must stay with this script alone; every other folder is
# what one service mounts (ca.crt, tls.crt, tls.key):
#   temporal/  the frontend's and internode certificate (also its client certificate for
#              the server's own system worker)
#   api/ worker/ ui/ admin/  client certificates of Firebreak's API and worker, the Temporal
#              UI and the admin-tools jobs
# Idempotent: an existing CA is kept; a certificate is issued again when missing, when it
# expires within RENEW_DAYS, or when it no longer chains to the CA. Keys are ECDSA P-256 in
# PKCS#8, which the Temporal server, the UI, the CLI and the TypeScript SDK all read.
set -eu

out=${1:?usage: compose-certs.sh OUT_DIR}
CA_DAYS=${CA_DAYS:-3650}
CERT_DAYS=${CERT_DAYS:-397}
RENEW_DAYS=${RENEW_DAYS:-30}
# The names clients check the frontend's certificate against: the compose service name,
# plus localhost for the `temporal` CLI on the host (docs/operations.md).
SERVER_NAMES=${TEMPORAL_TLS_SERVER_NAMES:-temporal,localhost}

command -v openssl >/dev/null 2>&1 || { echo "compose-certs.sh needs openssl" >&2; exit 1; }
umask 077
mkdir -p "$out/ca"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ca_key="$out/ca/ca.key"
ca_crt="$out/ca/ca.crt"
if [ ! -s "$ca_key" ] || [ ! -s "$ca_crt" ]; then
  echo "compose-certs: making a new CA in $out/ca" >&2
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$ca_key"
  openssl req -x509 -new -key "$ca_key" -sha256 -days "$CA_DAYS" -subj "/O=Firebreak/CN=Firebreak Temporal CA" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "subjectKeyIdentifier=hash" \
    -out "$ca_crt"
fi

# issue <folder> <common name> <extendedKeyUsage> [subjectAltName]
issue() {
  dir="$out/$1"
  mkdir -p "$dir"
  if [ -s "$dir/tls.crt" ] && [ -s "$dir/tls.key" ] &&
    openssl x509 -checkend $((RENEW_DAYS * 86400)) -noout -in "$dir/tls.crt" >/dev/null 2>&1 &&
    openssl verify -CAfile "$ca_crt" "$dir/tls.crt" >/dev/null 2>&1 &&
    cmp -s "$ca_crt" "$dir/ca.crt"; then
    return 0
  fi
  echo "compose-certs: issuing $1 ($2)" >&2
  {
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature"
    echo "extendedKeyUsage=$3"
    echo "subjectKeyIdentifier=hash"
    echo "authorityKeyIdentifier=keyid"
    [ -z "${4:-}" ] || echo "subjectAltName=$4"
  } >"$work/$1.ext"
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/$1.key"
  openssl req -new -key "$work/$1.key" -subj "/O=Firebreak/CN=$2" -out "$work/$1.csr"
  openssl x509 -req -in "$work/$1.csr" -CA "$ca_crt" -CAkey "$ca_key" -CAcreateserial -CAserial "$out/ca/ca.srl" \
    -sha256 -days "$CERT_DAYS" -extfile "$work/$1.ext" -out "$work/$1.crt" 2>/dev/null
  # Each service runs as its image's own user: the folder is its mount alone, so the files
  # are readable by any user inside it (the CA key above is not in any of these folders).
  cp "$ca_crt" "$dir/ca.crt"
  cp "$work/$1.crt" "$dir/tls.crt"
  cp "$work/$1.key" "$dir/tls.key"
  chmod 0755 "$dir"
  chmod 0444 "$dir/ca.crt" "$dir/tls.crt" "$dir/tls.key"
}

san=""
for name in $(echo "$SERVER_NAMES" | tr ',' ' '); do
  san="${san:+$san,}DNS:$name"
done
issue temporal temporal serverAuth,clientAuth "$san,IP:127.0.0.1"
issue api firebreak-api clientAuth
issue worker firebreak-worker clientAuth
issue ui temporal-ui clientAuth
issue admin temporal-admin-tools clientAuth
echo "compose-certs: certificates ready in $out" >&2
