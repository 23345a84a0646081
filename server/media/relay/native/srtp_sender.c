/*
 * One listener's SRTP egress, natively: writes the RTP header of a copy, protects it (RFC 3711
 * AES-128-CM + HMAC-SHA1-80, or RFC 7714 AEAD-AES-128-GCM) with OpenSSL contexts keyed once per
 * session, and sends it with one sendto(2) on the ICE pair's socket; one call sends a packet to
 * every listener of a slot. The JavaScript path
 * (srtp-protect.ts) does the same bytes; this one avoids a cipher object, a buffer and an address
 * lookup per copy, which is what bounds a Node relay's listeners per core.
 *
 * Why not libsrtp's srtp_protect: no npm package exposes libsrtp (node-datachannel links it
 * statically, receive side only), Debian's libsrtp2-dev would become a build requirement for
 * every operator, and libsrtp keys itself from the DTLS master keys, which werift keeps to
 * itself (it exposes the derived session keys used here). The cryptography is OpenSSL's; what
 * is written here is only SRTP's framing (IV, tag, roll-over counter), and the tests check it
 * against libsrtp receivers (node-datachannel).
 */
#define NAPI_VERSION 8
#include <errno.h>
#include <fcntl.h>
#include <node_api.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define PROFILE_PLAIN 0 /* benchmark baseline only: the same datagram, unprotected */
#define PROFILE_AES_CM_128_HMAC_SHA1_80 1
#define PROFILE_AEAD_AES_128_GCM 7
#define MAX_PACKET 1500
#define HMAC_TAG_BYTES 10
#define GCM_TAG_BYTES 16

typedef struct {
  /* A duplicate of the socket's descriptor: Node closing its own never leaves this one pointing
   * at whatever reuses the number. Closed by close() or, failing that, by the finalizer. */
  int fd;
  struct sockaddr_storage address;
  socklen_t address_length;
  int profile;
  uint8_t salt[14];
  EVP_CIPHER_CTX *cipher;
  EVP_MAC_CTX *mac;
  /* The stream this session sends: fixed once the listener's answer is applied. */
  uint32_t ssrc;
  uint8_t payload_type;
  uint8_t level_id; /* 0: the listener did not negotiate the audio-level extension */
  /* RFC 3711 3.3.1: the slot counts its own packet index (never repeated, so never an IV twice);
   * this session's roll-over counter is the slot's minus the slot's at this session's first
   * packet, since a receiver starts every new SRTP context at roll-over counter 0. */
  uint32_t rollover_base;
} Sender;

static void sender_free(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  Sender *sender = data;
  if (sender->fd >= 0) close(sender->fd);
  EVP_CIPHER_CTX_free(sender->cipher);
  EVP_MAC_CTX_free(sender->mac);
  free(sender);
}

static napi_value throw_error(napi_env env, const char *message) {
  napi_throw_error(env, NULL, message);
  return NULL;
}

static int buffer_arg(napi_env env, napi_value value, uint8_t **data, size_t *length) {
  bool is_buffer = false;
  if (napi_is_buffer(env, value, &is_buffer) != napi_ok || !is_buffer) return 0;
  return napi_get_buffer_info(env, value, (void **)data, length) == napi_ok;
}

static int keyed_mac(Sender *sender, uint8_t *auth_key, size_t auth_key_length) {
  EVP_MAC *hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
  if (!hmac) return 0;
  sender->mac = EVP_MAC_CTX_new(hmac);
  EVP_MAC_free(hmac);
  if (!sender->mac) return 0;
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA1", 0),
      OSSL_PARAM_construct_end(),
  };
  return EVP_MAC_init(sender->mac, auth_key, auth_key_length, params) == 1;
}

/*
 * createSender(fd, ip, port, profile, key, salt, authKey | null, ssrc, payloadType, levelId,
 *              rolloverBase) -> External
 */
static napi_value create_sender(napi_env env, napi_callback_info info) {
  size_t argc = 11;
  napi_value args[11];
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  if (argc < 11) return throw_error(env, "createSender takes 11 arguments");
  int32_t fd, port, profile;
  uint32_t ssrc, payload_type, level_id, rollover_base;
  char ip[64];
  size_t ip_length;
  uint8_t *key, *salt, *auth_key = NULL;
  size_t key_length, salt_length, auth_key_length = 0;
  if (napi_get_value_int32(env, args[0], &fd) != napi_ok ||
      napi_get_value_string_utf8(env, args[1], ip, sizeof ip, &ip_length) != napi_ok ||
      napi_get_value_int32(env, args[2], &port) != napi_ok ||
      napi_get_value_int32(env, args[3], &profile) != napi_ok ||
      !buffer_arg(env, args[4], &key, &key_length) || !buffer_arg(env, args[5], &salt, &salt_length)) {
    return throw_error(env, "createSender: bad argument types");
  }
  buffer_arg(env, args[6], &auth_key, &auth_key_length);
  if (napi_get_value_uint32(env, args[7], &ssrc) != napi_ok ||
      napi_get_value_uint32(env, args[8], &payload_type) != napi_ok ||
      napi_get_value_uint32(env, args[9], &level_id) != napi_ok ||
      napi_get_value_uint32(env, args[10], &rollover_base) != napi_ok) {
    return throw_error(env, "createSender: bad stream arguments");
  }
  if (port <= 0 || port > 65535) return throw_error(env, "createSender: bad port");
  if (payload_type > 127 || level_id > 14) {
    return throw_error(env, "createSender: bad payload type or extension id");
  }
  if (profile != PROFILE_PLAIN) {
    if (key_length != 16) return throw_error(env, "createSender: the key must be 16 bytes");
    size_t want_salt = profile == PROFILE_AEAD_AES_128_GCM ? 12 : 14;
    if (salt_length < want_salt) return throw_error(env, "createSender: the salt is too short");
    if (profile == PROFILE_AES_CM_128_HMAC_SHA1_80 && auth_key_length == 0) {
      return throw_error(env, "createSender: AES-CM needs an authentication key");
    }
    if (profile != PROFILE_AES_CM_128_HMAC_SHA1_80 && profile != PROFILE_AEAD_AES_128_GCM) {
      return throw_error(env, "createSender: unsupported SRTP profile");
    }
  }

  Sender *sender = calloc(1, sizeof(Sender));
  if (!sender) return throw_error(env, "createSender: out of memory");
  sender->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (sender->fd < 0) {
    free(sender);
    return throw_error(env, "createSender: cannot duplicate the socket's descriptor");
  }
  sender->profile = profile;
  sender->ssrc = ssrc;
  sender->payload_type = (uint8_t)payload_type;
  sender->level_id = (uint8_t)level_id;
  sender->rollover_base = rollover_base;
  memcpy(sender->salt, salt, salt_length < 14 ? salt_length : 14);
  struct sockaddr_in *v4 = (struct sockaddr_in *)&sender->address;
  struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&sender->address;
  if (inet_pton(AF_INET, ip, &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons((uint16_t)port);
    sender->address_length = sizeof *v4;
  } else if (inet_pton(AF_INET6, ip, &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons((uint16_t)port);
    sender->address_length = sizeof *v6;
  } else {
    close(sender->fd);
    free(sender);
    return throw_error(env, "createSender: not an IP address");
  }

  int ok = 1;
  if (profile != PROFILE_PLAIN) {
    sender->cipher = EVP_CIPHER_CTX_new();
    const EVP_CIPHER *kind = profile == PROFILE_AEAD_AES_128_GCM ? EVP_aes_128_gcm() : EVP_aes_128_ctr();
    ok = sender->cipher && EVP_EncryptInit_ex(sender->cipher, kind, NULL, key, NULL) == 1;
    if (ok && profile == PROFILE_AES_CM_128_HMAC_SHA1_80) ok = keyed_mac(sender, auth_key, auth_key_length);
  }
  if (!ok) {
    sender_free(env, sender, NULL);
    return throw_error(env, "createSender: OpenSSL refused the keys");
  }
  napi_value external;
  napi_create_external(env, sender, sender_free, NULL, &external);
  return external;
}

/*
 * The per-packet IV: SSRC, roll-over counter and sequence number at `ssrc_at` (RFC 3711 4.1.1:
 * 4 in 16 bytes; RFC 7714 8.1: 2 in 12 bytes), XORed with the session salt.
 */
static void write_iv(uint8_t *iv, size_t length, size_t ssrc_at, const uint8_t *salt, uint32_t ssrc,
                     uint32_t roc, uint16_t sequence) {
  memset(iv, 0, length);
  uint8_t *at = iv + ssrc_at;
  at[0] = ssrc >> 24, at[1] = ssrc >> 16, at[2] = ssrc >> 8, at[3] = ssrc;
  at[4] = roc >> 24, at[5] = roc >> 16, at[6] = roc >> 8, at[7] = roc;
  at[8] = sequence >> 8, at[9] = sequence;
  size_t salted = length < 14 ? length : 14;
  for (size_t i = 0; i < salted; i++) iv[i] ^= salt[i];
}

static int protect_cm(Sender *sender, uint8_t *packet, size_t header_length, size_t payload_length,
                      uint32_t ssrc, uint32_t roc, uint16_t sequence) {
  uint8_t iv[16];
  write_iv(iv, sizeof iv, 4, sender->salt, ssrc, roc, sequence);
  int written = 0;
  uint8_t *body = packet + header_length;
  if (EVP_EncryptInit_ex(sender->cipher, NULL, NULL, NULL, iv) != 1 ||
      EVP_EncryptUpdate(sender->cipher, body, &written, body, (int)payload_length) != 1) {
    return -1;
  }
  uint8_t *end = body + payload_length;
  uint8_t roc_bytes[4] = {roc >> 24, roc >> 16, roc >> 8, roc};
  uint8_t tag[EVP_MAX_MD_SIZE];
  size_t tag_length = 0;
  /* A null key re-initialises with the session's key: OpenSSL keeps the padded key states. */
  if (EVP_MAC_init(sender->mac, NULL, 0, NULL) != 1 ||
      EVP_MAC_update(sender->mac, packet, header_length + payload_length) != 1 ||
      EVP_MAC_update(sender->mac, roc_bytes, 4) != 1 ||
      EVP_MAC_final(sender->mac, tag, &tag_length, sizeof tag) != 1) {
    return -1;
  }
  memcpy(end, tag, HMAC_TAG_BYTES);
  return HMAC_TAG_BYTES;
}

static int protect_gcm(Sender *sender, uint8_t *packet, size_t header_length, size_t payload_length,
                       uint32_t ssrc, uint32_t roc, uint16_t sequence) {
  uint8_t iv[12];
  write_iv(iv, sizeof iv, 2, sender->salt, ssrc, roc, sequence);
  int written = 0;
  uint8_t *body = packet + header_length;
  if (EVP_EncryptInit_ex(sender->cipher, NULL, NULL, NULL, iv) != 1 ||
      EVP_EncryptUpdate(sender->cipher, NULL, &written, packet, (int)header_length) != 1 ||
      EVP_EncryptUpdate(sender->cipher, body, &written, body, (int)payload_length) != 1 ||
      EVP_EncryptFinal_ex(sender->cipher, body + payload_length, &written) != 1 ||
      EVP_CIPHER_CTX_ctrl(sender->cipher, EVP_CTRL_GCM_GET_TAG, GCM_TAG_BYTES, body + payload_length) != 1) {
    return -1;
  }
  return GCM_TAG_BYTES;
}

/*
 * One copy for one listener: header, payload, protection, sendto. Returns bytes or -errno;
 * -ERANGE for a late packet from before this session's first roll-over (not expressible).
 */
static int32_t send_one(Sender *sender, bool marker, uint16_t sequence, uint32_t slot_rollover,
                        uint32_t timestamp,
                        const uint8_t *payload, size_t payload_length, const uint8_t *level,
                        size_t level_length) {
  uint8_t packet[MAX_PACKET + 64];
  int with_level = sender->level_id > 0 && level_length >= 1 && level_length <= 3;
  size_t header_length = with_level ? 20 : 12;
  if (sender->fd < 0) return -EBADF;
  if (header_length + payload_length + GCM_TAG_BYTES > MAX_PACKET) return -EMSGSIZE;
  if (slot_rollover < sender->rollover_base) return -ERANGE;
  uint32_t ssrc = sender->ssrc;
  uint32_t roc = slot_rollover - sender->rollover_base;
  packet[0] = with_level ? 0x90 : 0x80;
  packet[1] = (marker ? 0x80 : 0) | (sender->payload_type & 0x7f);
  packet[2] = sequence >> 8, packet[3] = sequence;
  packet[4] = timestamp >> 24, packet[5] = timestamp >> 16, packet[6] = timestamp >> 8, packet[7] = timestamp;
  packet[8] = ssrc >> 24, packet[9] = ssrc >> 16, packet[10] = ssrc >> 8, packet[11] = ssrc;
  if (with_level) {
    packet[12] = 0xbe, packet[13] = 0xde, packet[14] = 0x00, packet[15] = 0x01;
    memset(packet + 16, 0, 4);
    packet[16] = (uint8_t)((sender->level_id << 4) | (level_length - 1));
    memcpy(packet + 17, level, level_length);
  }
  memcpy(packet + header_length, payload, payload_length);
  int tag_length = 0;
  if (sender->profile == PROFILE_AES_CM_128_HMAC_SHA1_80) {
    tag_length = protect_cm(sender, packet, header_length, payload_length, ssrc, roc, sequence);
  } else if (sender->profile == PROFILE_AEAD_AES_128_GCM) {
    tag_length = protect_gcm(sender, packet, header_length, payload_length, ssrc, roc, sequence);
  }
  if (tag_length < 0) return -EPROTO;
  ssize_t sent = sendto(sender->fd, packet, header_length + payload_length + tag_length, MSG_DONTWAIT,
                        (struct sockaddr *)&sender->address, sender->address_length);
  return sent < 0 ? -errno : (int32_t)sent;
}

/*
 * sendBatch(senders, count, marker, sequenceNumber, rolloverCounter, timestamp, payload,
 *           levelPayload | undefined)
 * -> copies the kernel took. One call per incoming packet for every listener of a slot: the
 * per-copy work stays out of JavaScript. A full socket buffer drops that copy (as UDP would).
 */
static napi_value send_batch(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value args[8];
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  uint32_t count, sequence, rollover, timestamp, length;
  bool marker = false, is_array = false;
  uint8_t *payload, *level = NULL;
  size_t payload_length, level_length = 0;
  if (argc < 7 || napi_is_array(env, args[0], &is_array) != napi_ok || !is_array ||
      napi_get_array_length(env, args[0], &length) != napi_ok ||
      napi_get_value_uint32(env, args[1], &count) != napi_ok ||
      napi_get_value_bool(env, args[2], &marker) != napi_ok ||
      napi_get_value_uint32(env, args[3], &sequence) != napi_ok ||
      napi_get_value_uint32(env, args[4], &rollover) != napi_ok ||
      napi_get_value_uint32(env, args[5], &timestamp) != napi_ok ||
      !buffer_arg(env, args[6], &payload, &payload_length)) {
    return throw_error(env, "sendBatch: bad argument types");
  }
  if (argc > 7) buffer_arg(env, args[7], &level, &level_length);
  if (count > length) count = length;
  uint32_t sent = 0;
  for (uint32_t i = 0; i < count; i++) {
    napi_value element;
    Sender *sender = NULL;
    if (napi_get_element(env, args[0], i, &element) != napi_ok ||
        napi_get_value_external(env, element, (void **)&sender) != napi_ok || !sender) {
      return throw_error(env, "sendBatch: not a sender");
    }
    int32_t result = send_one(sender, marker, (uint16_t)sequence, rollover, timestamp, payload,
                              payload_length, level, level_length);
    if (result == -EPROTO) return throw_error(env, "sendBatch: OpenSSL failed to protect a packet");
    if (result >= 0) sent++;
  }
  napi_value value;
  napi_create_uint32(env, sent, &value);
  return value;
}

/* The sender a one-argument function was called with, or NULL with an exception pending. */
static Sender *only_sender_arg(napi_env env, napi_callback_info info, const char *error) {
  size_t argc = 1;
  napi_value args[1];
  Sender *sender = NULL;
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  if (argc < 1 || napi_get_value_external(env, args[0], (void **)&sender) != napi_ok || !sender) {
    napi_throw_error(env, NULL, error);
    return NULL;
  }
  return sender;
}

/* close(sender): closes its descriptor now; later sends to it are dropped. */
static napi_value close_sender(napi_env env, napi_callback_info info) {
  Sender *sender = only_sender_arg(env, info, "close: not a sender");
  if (!sender) return NULL;
  if (sender->fd >= 0) close(sender->fd);
  sender->fd = -1;
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor properties[] = {
      {"createSender", NULL, create_sender, NULL, NULL, NULL, napi_default, NULL},
      {"sendBatch", NULL, send_batch, NULL, NULL, NULL, napi_default, NULL},
      {"close", NULL, close_sender, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, 3, properties);
  return exports;
}

NAPI_MODULE_INIT() { return init(env, exports); }
