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
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <node_api.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "napi_args.h"
#include "pipe_receive.h"
#include "pipe_seal.h"

#define KEY_BYTES 32
#define HEADER_BYTES 12
#define TAG_BYTES 16
/* A piped packet is one RTP packet and a few ids: far below any pipe's MTU. */
#define MAX_DATAGRAM 2048

struct PipeCipher {
  EVP_CIPHER_CTX *seal;
  EVP_CIPHER_CTX *open;
};

static void pipe_cipher_free(napi_env env, void *data, void *hint) {
  PipeCipher *cipher = data;
  EVP_CIPHER_CTX_free(cipher->seal);
  EVP_CIPHER_CTX_free(cipher->open);
  free(cipher);
}

PipeCipher *pipe_cipher_of(napi_env env, napi_value value) { return external_arg(env, value); }

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

/* Writes header · ciphertext · tag to `out`; 0 when OpenSSL fails. */
static int seal_into(PipeCipher *cipher, const uint8_t *header, const uint8_t *body,
                     size_t body_length, uint8_t *out) {
  int written = 0, last = 0;
  memcpy(out, header, HEADER_BYTES);
  return EVP_EncryptInit_ex(cipher->seal, NULL, NULL, NULL, header) == 1 &&
         EVP_EncryptUpdate(cipher->seal, out + HEADER_BYTES, &written, body, (int)body_length) ==
             1 &&
         EVP_EncryptFinal_ex(cipher->seal, out + HEADER_BYTES + written, &last) == 1 &&
         EVP_CIPHER_CTX_ctrl(cipher->seal, EVP_CTRL_GCM_GET_TAG, TAG_BYTES,
                             out + HEADER_BYTES + body_length) == 1;
}

/* sealPipe(cipher, header, body): header · ciphertext · tag, the 12-byte header as the nonce. */
static napi_value seal_pipe(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value args[3];
  uint8_t *header, *body;
  size_t header_length, body_length;
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  PipeCipher *cipher = argc < 3 ? NULL : pipe_cipher_of(env, args[0]);
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
  if (!seal_into(cipher, header, body, body_length, out)) {
    napi_throw_error(env, NULL, "sealPipe: OpenSSL failed");
    return NULL;
  }
  return result;
}

bool open_sealed(PipeCipher *cipher, const uint8_t *datagram, size_t length, uint8_t *out) {
  if (length < HEADER_BYTES + TAG_BYTES || length > INT32_MAX) return false;
  size_t body_length = length - HEADER_BYTES - TAG_BYTES;
  int written = 0, last = 0;
  /* The tag is set before the ciphertext goes in: GCM checks it in Final. */
  return EVP_DecryptInit_ex(cipher->open, NULL, NULL, NULL, datagram) == 1 &&
         EVP_CIPHER_CTX_ctrl(cipher->open, EVP_CTRL_GCM_SET_TAG, TAG_BYTES,
                             (void *)(datagram + length - TAG_BYTES)) == 1 &&
         EVP_DecryptUpdate(cipher->open, out, &written, datagram + HEADER_BYTES,
                           (int)body_length) == 1 &&
         EVP_DecryptFinal_ex(cipher->open, out + written, &last) == 1;
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
  PipeCipher *cipher = argc < 2 ? NULL : pipe_cipher_of(env, args[0]);
  if (!cipher || !buffer_arg(env, args[1], &datagram, &length)) {
    napi_throw_type_error(env, NULL, "openPipe: (cipher, datagram)");
    return NULL;
  }
  if (length < HEADER_BYTES + TAG_BYTES || length > INT32_MAX) return nothing;
  napi_value result;
  uint8_t *out;
  if (napi_create_buffer(env, length - HEADER_BYTES - TAG_BYTES, (void **)&out, &result) !=
      napi_ok) {
    return NULL;
  }
  return open_sealed(cipher, datagram, length, out) ? result : nothing;
}

/* A pipe socket's own duplicate of its descriptor, so that Node closing the socket never leaves
 * it pointing at whatever reuses the number (as srtp_sender.c's senders). */
typedef struct {
  int fd;
} PipeOut;

static void pipe_out_free(napi_env env, void *data, void *hint) {
  PipeOut *out = data;
  if (out->fd >= 0) close(out->fd);
  free(out);
}

static PipeOut *pipe_out_of(napi_env env, napi_value value) { return external_arg(env, value); }

/* createPipeOut(fd): sends on the bound pipe socket whose descriptor is `fd`. */
static napi_value create_pipe_out(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value args[1];
  int32_t fd = -1;
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  if (argc < 1 || napi_get_value_int32(env, args[0], &fd) != napi_ok || fd < 0) {
    napi_throw_type_error(env, NULL, "createPipeOut: a socket descriptor");
    return NULL;
  }
  PipeOut *out = calloc(1, sizeof(PipeOut));
  if (!out) {
    napi_throw_error(env, NULL, "createPipeOut: out of memory");
    return NULL;
  }
  out->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (out->fd < 0) {
    free(out);
    napi_throw_error(env, NULL, "createPipeOut: cannot duplicate the descriptor");
    return NULL;
  }
  napi_value external;
  napi_create_external(env, out, pipe_out_free, NULL, &external);
  return external;
}

/* closePipeOut(out): closes its descriptor now; later sends return false. */
static napi_value close_pipe_out(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value args[1];
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  PipeOut *out = argc < 1 ? NULL : pipe_out_of(env, args[0]);
  if (!out) {
    napi_throw_type_error(env, NULL, "closePipeOut: (out)");
    return NULL;
  }
  if (out->fd >= 0) close(out->fd);
  out->fd = -1;
  return NULL;
}

/*
 * pipeAddress(host, port, ipv6Socket): the socket address to send to `host` (an IP literal) from
 * a socket of that family, as bytes; an IPv6 socket reaches an IPv4 host by its IPv4-mapped
 * address. null when `host` is not an IP literal or the families cannot meet.
 */
static napi_value pipe_address(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value args[3];
  char host[INET6_ADDRSTRLEN + 8];
  size_t host_length = 0;
  uint32_t port = 0;
  bool ipv6 = false;
  napi_value nothing;
  napi_get_null(env, &nothing);
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  if (argc < 3 ||
      napi_get_value_string_utf8(env, args[0], host, sizeof host, &host_length) != napi_ok ||
      napi_get_value_uint32(env, args[1], &port) != napi_ok ||
      napi_get_value_bool(env, args[2], &ipv6) != napi_ok || port > 0xffff) {
    napi_throw_type_error(env, NULL, "pipeAddress: (host, port, ipv6Socket)");
    return NULL;
  }
  if (host_length >= sizeof host - 1) return nothing;
  struct in_addr v4;
  struct in6_addr v6;
  bool is_v4 = inet_pton(AF_INET, host, &v4) == 1;
  bool is_v6 = !is_v4 && inet_pton(AF_INET6, host, &v6) == 1;
  if (!is_v4 && !is_v6) return nothing;
  napi_value result;
  void *bytes;
  if (!ipv6) {
    if (!is_v4) return nothing;
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    address.sin_addr = v4;
    if (napi_create_buffer_copy(env, sizeof address, &address, &bytes, &result) != napi_ok) {
      return NULL;
    }
    return result;
  }
  struct sockaddr_in6 address = {.sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port)};
  if (is_v4) {
    address.sin6_addr.s6_addr[10] = 0xff;
    address.sin6_addr.s6_addr[11] = 0xff;
    memcpy(&address.sin6_addr.s6_addr[12], &v4, 4);
  } else {
    address.sin6_addr = v6;
  }
  if (napi_create_buffer_copy(env, sizeof address, &address, &bytes, &result) != napi_ok) {
    return NULL;
  }
  return result;
}

/*
 * sendPipe(cipher, out, header, body, address): seals like sealPipe and sends the datagram to
 * `address` (pipeAddress's bytes) on `out`'s socket without waiting; true if the kernel took it.
 * One call where node:dgram's send took a lookup turn, a send wrap and a sealed Buffer.
 */
static napi_value send_pipe(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value args[5];
  uint8_t *header, *body, *address;
  size_t header_length, body_length, address_length;
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  PipeCipher *cipher = argc < 5 ? NULL : pipe_cipher_of(env, args[0]);
  PipeOut *out = argc < 5 ? NULL : pipe_out_of(env, args[1]);
  if (!cipher || !out || !buffer_arg(env, args[2], &header, &header_length) ||
      header_length != HEADER_BYTES || !buffer_arg(env, args[3], &body, &body_length) ||
      body_length > MAX_DATAGRAM - HEADER_BYTES - TAG_BYTES ||
      !buffer_arg(env, args[4], &address, &address_length) ||
      address_length > sizeof(struct sockaddr_storage)) {
    napi_throw_type_error(env, NULL, "sendPipe: (cipher, out, 12-byte header, body, address)");
    return NULL;
  }
  uint8_t datagram[MAX_DATAGRAM];
  if (!seal_into(cipher, header, body, body_length, datagram)) {
    napi_throw_error(env, NULL, "sendPipe: OpenSSL failed");
    return NULL;
  }
  struct sockaddr_storage to;
  memcpy(&to, address, address_length);
  bool sent = out->fd >= 0 && sendto(out->fd, datagram, HEADER_BYTES + body_length + TAG_BYTES,
                                     MSG_DONTWAIT, (struct sockaddr *)&to,
                                     (socklen_t)address_length) >= 0;
  napi_value result;
  napi_get_boolean(env, sent, &result);
  return result;
}

void define_pipe_seal(napi_env env, napi_value exports) {
  napi_property_descriptor properties[] = {
      {"createPipeCipher", NULL, create_pipe_cipher, NULL, NULL, NULL, napi_default, NULL},
      {"sealPipe", NULL, seal_pipe, NULL, NULL, NULL, napi_default, NULL},
      {"openPipe", NULL, open_pipe, NULL, NULL, NULL, napi_default, NULL},
      {"createPipeOut", NULL, create_pipe_out, NULL, NULL, NULL, napi_default, NULL},
      {"closePipeOut", NULL, close_pipe_out, NULL, NULL, NULL, napi_default, NULL},
      {"pipeAddress", NULL, pipe_address, NULL, NULL, NULL, napi_default, NULL},
      {"sendPipe", NULL, send_pipe, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, 7, properties);
  define_pipe_receive(env, exports);
}
