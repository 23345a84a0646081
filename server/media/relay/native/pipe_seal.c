/*
 * Seals and opens datagrams piped between relay workers (see pipe-seal.ts for the format and why
 * they are sealed): AES-256-GCM under the pool's key, the 12-byte header (sender id and counter)
 * as the nonce. Node's createCipheriv builds and keys a new OpenSSL context for every datagram,
 * which, once per packet in an otherwise idle worker, cost ~140-280 µs a datagram here (more than
 * fifty copies' worth); these contexts are keyed once per pool key and only take a new nonce.
 * The cryptography is OpenSSL's; the bytes are those of pipe-seal.ts's node:crypto path, which
 * remains where this addon is not built, and the tests check each opens the other's.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "napi_args.h"
#include "pipe_seal.h"

#define KEY_BYTES 32
#define HEADER_BYTES 12
#define TAG_BYTES 16

typedef struct {
  EVP_CIPHER_CTX *seal;
  EVP_CIPHER_CTX *open;
} PipeCipher;

static void pipe_cipher_free(napi_env env, void *data, void *hint) {
  PipeCipher *cipher = data;
  EVP_CIPHER_CTX_free(cipher->seal);
  EVP_CIPHER_CTX_free(cipher->open);
  free(cipher);
}

static PipeCipher *cipher_of(napi_env env, napi_value value) {
  PipeCipher *cipher = NULL;
  if (napi_get_value_external(env, value, (void **)&cipher) != napi_ok) return NULL;
  return cipher;
}

/* createPipeCipher(key): contexts for sealing and opening under the 32-byte key. */
static napi_value create_pipe_cipher(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value args[1];
  uint8_t *key;
  size_t key_length;
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  if (argc < 1 || !buffer_arg(env, args[0], &key, &key_length) || key_length != KEY_BYTES) {
    napi_throw_type_error(env, NULL, "createPipeCipher: a 32-byte key");
    return NULL;
  }
  PipeCipher *cipher = calloc(1, sizeof(PipeCipher));
  if (!cipher) {
    napi_throw_error(env, NULL, "createPipeCipher: out of memory");
    return NULL;
  }
  cipher->seal = EVP_CIPHER_CTX_new();
  cipher->open = EVP_CIPHER_CTX_new();
  if (!cipher->seal || !cipher->open ||
      EVP_EncryptInit_ex(cipher->seal, EVP_aes_256_gcm(), NULL, key, NULL) != 1 ||
      EVP_DecryptInit_ex(cipher->open, EVP_aes_256_gcm(), NULL, key, NULL) != 1) {
    pipe_cipher_free(env, cipher, NULL);
    napi_throw_error(env, NULL, "createPipeCipher: OpenSSL refused the key");
    return NULL;
  }
  napi_value external;
  napi_create_external(env, cipher, pipe_cipher_free, NULL, &external);
  return external;
}

/* sealPipe(cipher, header, body): header · ciphertext · tag, the 12-byte header as the nonce. */
static napi_value seal_pipe(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value args[3];
  uint8_t *header, *body;
  size_t header_length, body_length;
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  PipeCipher *cipher = argc < 3 ? NULL : cipher_of(env, args[0]);
  if (!cipher || !buffer_arg(env, args[1], &header, &header_length) ||
      header_length != HEADER_BYTES || !buffer_arg(env, args[2], &body, &body_length) ||
      body_length > INT32_MAX - HEADER_BYTES - TAG_BYTES) {
    napi_throw_type_error(env, NULL, "sealPipe: (cipher, 12-byte header, body)");
    return NULL;
  }
  napi_value result;
  uint8_t *out;
  if (napi_create_buffer(env, HEADER_BYTES + body_length + TAG_BYTES, (void **)&out, &result) !=
      napi_ok) {
    return NULL;
  }
  memcpy(out, header, HEADER_BYTES);
  int written = 0, last = 0;
  if (EVP_EncryptInit_ex(cipher->seal, NULL, NULL, NULL, header) != 1 ||
      EVP_EncryptUpdate(cipher->seal, out + HEADER_BYTES, &written, body, (int)body_length) != 1 ||
      EVP_EncryptFinal_ex(cipher->seal, out + HEADER_BYTES + written, &last) != 1 ||
      EVP_CIPHER_CTX_ctrl(cipher->seal, EVP_CTRL_GCM_GET_TAG, TAG_BYTES,
                          out + HEADER_BYTES + body_length) != 1) {
    napi_throw_error(env, NULL, "sealPipe: OpenSSL failed");
    return NULL;
  }
  return result;
}

/* openPipe(cipher, datagram): the body, or null when the datagram is short or fails its tag. */
static napi_value open_pipe(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value args[2];
  uint8_t *datagram;
  size_t length;
  napi_value nothing;
  napi_get_null(env, &nothing);
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  PipeCipher *cipher = argc < 2 ? NULL : cipher_of(env, args[0]);
  if (!cipher || !buffer_arg(env, args[1], &datagram, &length)) {
    napi_throw_type_error(env, NULL, "openPipe: (cipher, datagram)");
    return NULL;
  }
  if (length < HEADER_BYTES + TAG_BYTES || length > INT32_MAX) return nothing;
  size_t body_length = length - HEADER_BYTES - TAG_BYTES;
  napi_value result;
  uint8_t *out;
  if (napi_create_buffer(env, body_length, (void **)&out, &result) != napi_ok) return NULL;
  int written = 0, last = 0;
  /* The tag is set before the ciphertext goes in: GCM checks it in Final. */
  if (EVP_DecryptInit_ex(cipher->open, NULL, NULL, NULL, datagram) != 1 ||
      EVP_CIPHER_CTX_ctrl(cipher->open, EVP_CTRL_GCM_SET_TAG, TAG_BYTES,
                          datagram + length - TAG_BYTES) != 1 ||
      EVP_DecryptUpdate(cipher->open, out, &written, datagram + HEADER_BYTES, (int)body_length) !=
          1 ||
      EVP_DecryptFinal_ex(cipher->open, out + written, &last) != 1) {
    return nothing;
  }
  return result;
}

void define_pipe_seal(napi_env env, napi_value exports) {
  napi_property_descriptor properties[] = {
      {"createPipeCipher", NULL, create_pipe_cipher, NULL, NULL, NULL, napi_default, NULL},
      {"sealPipe", NULL, seal_pipe, NULL, NULL, NULL, napi_default, NULL},
      {"openPipe", NULL, open_pipe, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, 3, properties);
}
