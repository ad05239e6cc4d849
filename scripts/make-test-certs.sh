#!/usr/bin/env bash
# Makes throwaway TLS certificates for the demo and for local testing.
#
#   scripts/make-test-certs.sh DIR
#
# Writes DIR/ca.pem (a CA valid for 2 days), DIR/server.pem (a certificate for localhost,
# SAN DNS:localhost and IP:127.0.0.1, signed by that CA) and DIR/server.key (its private
# key, mode 0600), and DIR/client.pem and DIR/client.key: a client certificate from the
# same CA, for testing mutual TLS (a box presenting itself to a receiver that requires it). Keys are EC P-256. The CA's private key is thrown away, so nothing else
# can ever be signed with it.
# Idempotent: if the three files exist, belong together and stay valid for at least
# another hour, it does nothing. Quiet: prints nothing unless something fails.
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 DIR" >&2
  exit 2
fi
dir="$1"
mkdir -p "$dir"

# Still good? (all three present, not expiring within the hour, server signed by the CA,
# key matches the certificate)
if [[ -s "$dir/ca.pem" && -s "$dir/server.pem" && -s "$dir/server.key" && -s "$dir/client.pem" && -s "$dir/client.key" ]] \
  && openssl x509 -in "$dir/ca.pem" -noout -checkend 3600 >/dev/null 2>&1 \
  && openssl x509 -in "$dir/server.pem" -noout -checkend 3600 >/dev/null 2>&1 \
  && openssl verify -CAfile "$dir/ca.pem" "$dir/server.pem" >/dev/null 2>&1 \
  && openssl verify -CAfile "$dir/ca.pem" "$dir/client.pem" >/dev/null 2>&1 \
  && [[ "$(openssl x509 -in "$dir/server.pem" -noout -pubkey 2>/dev/null)" \
        == "$(openssl pkey -in "$dir/server.key" -pubout 2>/dev/null)" ]]; then
  exit 0
fi

work="$(mktemp -d "$dir/.certs.XXXXXX")"
trap 'rm -rf "$work"' EXIT
umask 077

cat > "$work/openssl.cnf" <<'CNF'
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[client]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF

run() {
  local output
  if ! output="$("$@" 2>&1)"; then
    echo "make-test-certs: $* failed:" >&2
    echo "$output" >&2
    exit 1
  fi
}

run openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/ca.key"
run openssl req -config "$work/openssl.cnf" -new -x509 -key "$work/ca.key" -sha256 -days 2 \
  -subj "/CN=Stallbox throwaway test CA" -extensions ca -out "$work/ca.pem"
# A key and a certificate signed by the CA: NAME.key, NAME.pem, with the openssl.cnf
# section EXTENSIONS and the subject CN.
issue() {
  local name="$1" extensions="$2" subject="$3"
  run openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/$name.key"
  run openssl req -config "$work/openssl.cnf" -new -key "$work/$name.key" -subj "/CN=$subject" \
    -out "$work/$name.csr"
  run openssl x509 -req -in "$work/$name.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" \
    -set_serial "0x$(openssl rand -hex 16)" -sha256 -days 2 \
    -extfile "$work/openssl.cnf" -extensions "$extensions" -out "$work/$name.pem"
  run openssl verify -CAfile "$work/ca.pem" "$work/$name.pem"
}
issue server server localhost
issue client client "stallbox test box"

chmod 0644 "$work/ca.pem" "$work/server.pem" "$work/client.pem"
chmod 0600 "$work/server.key" "$work/client.key"
# Key first, so a reader never pairs a new certificate with an old key for long.
mv -f "$work/client.key" "$dir/client.key"
mv -f "$work/client.pem" "$dir/client.pem"
mv -f "$work/server.key" "$dir/server.key"
mv -f "$work/server.pem" "$dir/server.pem"
mv -f "$work/ca.pem" "$dir/ca.pem"
