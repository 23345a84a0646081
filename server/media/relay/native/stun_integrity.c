/*
 * STUN MESSAGE-INTEGRITY (RFC 8489 §14.5: HMAC-SHA1 under the ICE password) with one OpenSSL
 * HMAC context keyed per session. node:crypto's createHmac keys a new context for every
 * message, which was most of the ~6 µs a relay worker spent on each consent check in
 * JavaScript (two HMACs: the check's and the response's), every ~5 s for every listener.
 * stun-integrity.ts keeps the node:crypto path where this addon is not built; the tests check
 * that both sign alike and refuse the same forgeries.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <stdint.h>
#include <stdlib.h>

#include "napi_args.h"
#include "stun_integrity.h"

#define HEADER_BYTES 20
#define INTEGRITY_BYTES 20
#define MAX_PASSWORD_BYTES 763

static void mac_free(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  EVP_MAC_CTX_free(data);
}

/* createStunIntegrity(password: Buffer) -> External */
static napi_value create_stun_integrity(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value args[1];
  uint8_t *password;
  size_t password_length;
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  if (argc < 1 || !buffer_arg(env, args[0], &password, &password_length) ||
      password_length > MAX_PASSWORD_BYTES) {
    napi_throw_type_error(env, NULL, "createStunIntegrity: a password of at most 763 bytes");
    return NULL;
  }
  EVP_MAC *hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
  EVP_MAC_CTX *mac = hmac ? EVP_MAC_CTX_new(hmac) : NULL;
  EVP_MAC_free(hmac);
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA1", 0),
      OSSL_PARAM_construct_end(),
  };
  // An empty password is a valid HMAC key, but OpenSSL takes a NULL key as "keep the old one".
  static const uint8_t empty[1] = {0};
  if (!mac || EVP_MAC_init(mac, password_length ? password : empty, password_length, params) != 1) {
    EVP_MAC_CTX_free(mac);
    return throw_error(env, "createStunIntegrity: OpenSSL refused the key");
  }
  napi_value external;
  napi_create_external(env, mac, mac_free, NULL, &external);
  return external;
}

/*
 * The HMAC of message[0, integrity_at) as RFC 8489 computes it: with the header's length field
 * counting up to the end of MESSAGE-INTEGRITY, whatever follows it in the message.
 */
static int integrity_of(EVP_MAC_CTX *mac, const uint8_t *message, size_t integrity_at,
                        uint8_t out[INTEGRITY_BYTES]) {
  size_t length = integrity_at + 4 + INTEGRITY_BYTES - HEADER_BYTES;
  uint8_t length_field[2] = {(uint8_t)(length >> 8), (uint8_t)length};
  size_t written = 0;
  return EVP_MAC_init(mac, NULL, 0, NULL) == 1 && EVP_MAC_update(mac, message, 2) == 1 &&
         EVP_MAC_update(mac, length_field, 2) == 1 &&
         EVP_MAC_update(mac, message + 4, integrity_at - 4) == 1 &&
         EVP_MAC_final(mac, out, &written, INTEGRITY_BYTES) == 1 && written == INTEGRITY_BYTES;
}

/* Reads (integrity, message, integrityAt); NULL after throwing when they do not fit. */
static EVP_MAC_CTX *integrity_args(napi_env env, napi_callback_info info, uint8_t **message,
                                   size_t *integrity_at, const char *usage) {
  size_t argc = 3;
  napi_value args[3];
  size_t length;
  uint32_t at;
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  EVP_MAC_CTX *mac = argc < 3 ? NULL : external_arg(env, args[0]);
  if (!mac || !buffer_arg(env, args[1], message, &length) ||
      napi_get_value_uint32(env, args[2], &at) != napi_ok || at < HEADER_BYTES ||
      (size_t)at + 4 + INTEGRITY_BYTES > length || length - HEADER_BYTES > 0xffff) {
    napi_throw_type_error(env, NULL, usage);
    return NULL;
  }
  *integrity_at = at;
  return mac;
}

/* verifyStun(integrity, message, integrityAt): whether the MESSAGE-INTEGRITY at integrityAt holds. */
static napi_value verify_stun(napi_env env, napi_callback_info info) {
  uint8_t *message;
  size_t integrity_at;
  EVP_MAC_CTX *mac = integrity_args(env, info, &message, &integrity_at,
                                    "verifyStun: (integrity, message, integrityAt)");
  if (!mac) return NULL;
  uint8_t expected[INTEGRITY_BYTES];
  if (!integrity_of(mac, message, integrity_at, expected)) {
    return throw_error(env, "verifyStun: OpenSSL failed");
  }
  napi_value result;
  napi_get_boolean(
      env, CRYPTO_memcmp(expected, message + integrity_at + 4, INTEGRITY_BYTES) == 0, &result);
  return result;
}

/* signStun(integrity, message, integrityAt): writes the MESSAGE-INTEGRITY value at integrityAt + 4. */
static napi_value sign_stun(napi_env env, napi_callback_info info) {
  uint8_t *message;
  size_t integrity_at;
  EVP_MAC_CTX *mac = integrity_args(env, info, &message, &integrity_at,
                                    "signStun: (integrity, message, integrityAt)");
  if (!mac) return NULL;
  if (!integrity_of(mac, message, integrity_at, message + integrity_at + 4)) {
    return throw_error(env, "signStun: OpenSSL failed");
  }
  return NULL;
}

void define_stun_integrity(napi_env env, napi_value exports) {
  napi_property_descriptor properties[] = {
      {"createStunIntegrity", NULL, create_stun_integrity, NULL, NULL, NULL, napi_default, NULL},
      {"verifyStun", NULL, verify_stun, NULL, NULL, NULL, napi_default, NULL},
      {"signStun", NULL, sign_stun, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, 3, properties);
}
