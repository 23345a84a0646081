/*
 * The relay's DTLS context in OpenSSL: its certificate and the settings every session shares
 * (see dtls_session.c for the sessions and why OpenSSL).
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/srtp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdlib.h>

#include "dtls_context.h"
#include "napi_args.h"

static void context_free(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  SSL_CTX_free(data);
}

/* Self-signed certificates are the norm in WebRTC; the fingerprint is the identity. */
static int accept_any_chain(int preverified, X509_STORE_CTX *store) {
  (void)preverified;
  (void)store;
  return 1;
}

static int string_arg(napi_env env, napi_value value, char **out) {
  size_t length;
  if (napi_get_value_string_utf8(env, value, NULL, 0, &length) != napi_ok) return 0;
  *out = malloc(length + 1);
  if (!*out) return 0;
  return napi_get_value_string_utf8(env, value, *out, length + 1, &length) == napi_ok;
}

static int use_pem(SSL_CTX *ctx, const char *cert_pem, const char *key_pem) {
  BIO *cert_bio = BIO_new_mem_buf(cert_pem, -1);
  BIO *key_bio = BIO_new_mem_buf(key_pem, -1);
  X509 *cert = cert_bio ? PEM_read_bio_X509(cert_bio, NULL, NULL, NULL) : NULL;
  EVP_PKEY *key = key_bio ? PEM_read_bio_PrivateKey(key_bio, NULL, NULL, NULL) : NULL;
  int ok = cert && key && SSL_CTX_use_certificate(ctx, cert) == 1 &&
           SSL_CTX_use_PrivateKey(ctx, key) == 1 && SSL_CTX_check_private_key(ctx) == 1;
  X509_free(cert);
  EVP_PKEY_free(key);
  BIO_free(cert_bio);
  BIO_free(key_bio);
  return ok;
}

/* createDtlsContext(certPem, keyPem) -> External: one per relay certificate. */
napi_value create_dtls_context(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value args[2];
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  char *cert_pem = NULL, *key_pem = NULL;
  if (argc < 2 || !string_arg(env, args[0], &cert_pem) || !string_arg(env, args[1], &key_pem)) {
    free(cert_pem);
    free(key_pem);
    return throw_error(env, "createDtlsContext takes a certificate and a key in PEM");
  }
  SSL_CTX *ctx = SSL_CTX_new(DTLS_method());
  int ok = ctx && SSL_CTX_set_min_proto_version(ctx, DTLS1_2_VERSION) == 1 &&
           use_pem(ctx, cert_pem, key_pem) &&
           /* The AEAD suites with ECDHE that browsers and libdatachannel offer. */
           SSL_CTX_set_cipher_list(ctx,
                                   "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
                                   "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
                                   "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305") ==
               1 &&
           SSL_CTX_set1_groups_list(ctx, "X25519:P-256") == 1 &&
           /* Returns 0 on success. GCM first, as werift preferred. */
           SSL_CTX_set_tlsext_use_srtp(ctx, "SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80") == 0;
  free(cert_pem);
  free(key_pem);
  if (!ok) {
    SSL_CTX_free(ctx);
    ERR_clear_error();
    return throw_error(env, "createDtlsContext: OpenSSL refused the certificate or settings");
  }
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, accept_any_chain);
  /* One handshake per association, no resumption, no renegotiation; MTU fixed below. */
  SSL_CTX_set_options(ctx, SSL_OP_NO_QUERY_MTU | SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  /* Thousands of idle associations: their read and write buffers go back between records. */
  SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
  napi_value result;
  if (napi_create_external(env, ctx, context_free, NULL, &result) != napi_ok) {
    SSL_CTX_free(ctx);
    return throw_error(env, "createDtlsContext: out of memory");
  }
  return result;
}
