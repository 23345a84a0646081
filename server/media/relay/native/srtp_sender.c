/*
 * One listener's SRTP egress, natively: writes the RTP header of a copy, protects it (RFC 3711
 * AES-128-CM + HMAC-SHA1-80, or RFC 7714 AEAD-AES-128-GCM) with OpenSSL contexts keyed once per
 * session (srtp_protect.c), and sends it on the ICE pair's socket; one call sends a packet to
 * every listener of a slot, in sendmmsg(2) batches. The JavaScript path (srtp-protect.ts) does
 * the same bytes; this one avoids a cipher object, a buffer, an address lookup and a system call
 * per copy, which is what bounds a Node relay's listeners per core.
 *
 * Why not libsrtp's srtp_protect: no npm package exposes libsrtp (node-datachannel links it
 * statically, receive side only), Debian's libsrtp2-dev would become a build requirement for
 * every operator, and libsrtp keys itself from the DTLS master keys, which werift keeps to
 * itself (it exposes the derived session keys used here). The cryptography is OpenSSL's; what
 * is written here is only SRTP's framing (IV, tag, roll-over counter), and the tests check it
 * against libsrtp receivers (node-datachannel).
 */
#define NAPI_VERSION 8
#define _GNU_SOURCE /* sendmmsg */
#include <errno.h>
#include <fcntl.h>
#include <node_api.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dtls_session.h"
#include "napi_args.h"
#include "pipe_seal.h"
#include "srtp_protect.h"
#include "srtp_sender.h"
#include "stun_integrity.h"

#define PROFILE_PLAIN 0 /* benchmark baseline only: the same datagram, unprotected */
#define PROFILE_AES_CM_128_HMAC_SHA1_80 1
#define PROFILE_AEAD_AES_128_GCM 7
#define MAX_PACKET 1500

struct Sender {
  /* A duplicate of the socket's descriptor: Node closing its own never leaves this one pointing
   * at whatever reuses the number. Closed by close() or, failing that, by the finalizer. */
  int fd;
  /* The socket behind the descriptor (its inode): copies to one socket share a sendmmsg(2). */
  uint64_t socket;
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
};

/* A slot's senders as the addon reads them (senderList): no JavaScript array walked per copy. */
struct SenderList {
  napi_ref array; /* keeps the senders alive */
  uint32_t count;
  Sender *senders[];
};
/* Marks senderList's Externals: an External of any other kind is never read as one. */
static const napi_type_tag SENDER_LIST_TAG = {0x616d706869534c73ULL, 0x656e6465724c6973ULL};

/* Copies written and waiting for one sendmmsg(2): per loaded instance of the addon. */
#define OUTBOX_COPIES 128
#define OUTBOX_BYTES (OUTBOX_COPIES * 256)
typedef struct {
  int fd;
  uint64_t socket;
  uint32_t count;
  size_t used;
  struct mmsghdr messages[OUTBOX_COPIES];
  struct iovec iovecs[OUTBOX_COPIES];
  uint8_t bytes[OUTBOX_BYTES + MAX_PACKET + 64];
} Outbox;

static void outbox_free(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  free(data);
}

static void sender_free(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  Sender *sender = data;
  if (sender->fd >= 0) close(sender->fd);
  EVP_CIPHER_CTX_free(sender->cipher);
  EVP_MAC_CTX_free(sender->mac);
  free(sender);
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
  struct stat status;
  sender->socket = fstat(sender->fd, &status) == 0 ? (uint64_t)status.st_ino : (uint64_t)sender->fd;
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
 * Writes one listener's copy (header, payload, protection) at `packet`. Returns its length or
 * -errno; -ERANGE for a late packet from before this session's first roll-over (not
 * expressible), -EPROTO when OpenSSL fails.
 */
static int32_t write_copy(Sender *sender, uint8_t *packet, const Copy *copy) {
  int with_level = sender->level_id > 0 && copy->level_length >= 1 && copy->level_length <= 3;
  size_t header_length = with_level ? 20 : 12;
  size_t payload_length = copy->payload_length;
  if (sender->fd < 0) return -EBADF;
  if (header_length + payload_length + GCM_TAG_BYTES > MAX_PACKET) return -EMSGSIZE;
  if (copy->rollover < sender->rollover_base) return -ERANGE;
  uint32_t ssrc = sender->ssrc;
  uint32_t timestamp = copy->timestamp;
  uint16_t sequence = copy->sequence;
  packet[0] = with_level ? 0x90 : 0x80;
  packet[1] = (copy->marker ? 0x80 : 0) | (sender->payload_type & 0x7f);
  packet[2] = sequence >> 8, packet[3] = sequence;
  packet[4] = timestamp >> 24, packet[5] = timestamp >> 16, packet[6] = timestamp >> 8, packet[7] = timestamp;
  packet[8] = ssrc >> 24, packet[9] = ssrc >> 16, packet[10] = ssrc >> 8, packet[11] = ssrc;
  if (with_level) {
    packet[12] = 0xbe, packet[13] = 0xde, packet[14] = 0x00, packet[15] = 0x01;
    memset(packet + 16, 0, 4);
    packet[16] = (uint8_t)((sender->level_id << 4) | (copy->level_length - 1));
    memcpy(packet + 17, copy->level, copy->level_length);
  }
  memcpy(packet + header_length, copy->payload, payload_length);
  SrtpIndex index = {sender->salt, ssrc, copy->rollover - sender->rollover_base, sequence};
  int tag_length = 0;
  if (sender->profile == PROFILE_AES_CM_128_HMAC_SHA1_80) {
    tag_length = srtp_protect_cm(sender->cipher, sender->mac, packet, header_length, payload_length, &index);
  } else if (sender->profile == PROFILE_AEAD_AES_128_GCM) {
    tag_length = srtp_protect_gcm(sender->cipher, packet, header_length, payload_length, &index);
  }
  if (tag_length < 0) return -EPROTO;
  return (int32_t)(header_length + payload_length + tag_length);
}

/*
 * Hands the pending copies to the kernel in as few sendmmsg(2) calls as it takes; a copy the
 * kernel refuses (a full buffer) is dropped, as UDP would, and the rest still go. Returns the
 * copies the kernel took.
 */
static uint32_t flush(Outbox *outbox) {
  uint32_t sent = 0, at = 0;
  while (at < outbox->count) {
    int taken = sendmmsg(outbox->fd, outbox->messages + at, outbox->count - at, MSG_DONTWAIT);
    if (taken > 0) {
      sent += (uint32_t)taken;
      at += (uint32_t)taken;
    } else {
      at++;
    }
  }
  outbox->count = 0;
  outbox->used = 0;
  return sent;
}

/* Each copy's slot in the outbox: its size rounded to a cache line, so copies stay dense. */
static size_t stride_of(const Copy *copy) {
  return (20 + copy->payload_length + GCM_TAG_BYTES + 63) & ~(size_t)63;
}

/*
 * Writes one copy into the outbox, flushing it first where the copy cannot join the pending
 * ones; adds what a flush sent to `*sent`. False when OpenSSL failed (the outbox is flushed).
 */
static bool add_copy(Outbox *outbox, Sender *sender, const Copy *copy, size_t stride, int64_t *sent) {
  if (sender->fd < 0) return true;
  if (outbox->count > 0 && (outbox->socket != sender->socket || outbox->count == OUTBOX_COPIES ||
                            outbox->used + stride > OUTBOX_BYTES)) {
    *sent += flush(outbox);
  }
  uint8_t *packet = outbox->bytes + outbox->used;
  int32_t written = write_copy(sender, packet, copy);
  if (written == -EPROTO) {
    flush(outbox);
    return false;
  }
  if (written < 0) return true;
  /* Any descriptor of the socket sends for all of its senders (each holds a duplicate). */
  outbox->fd = sender->fd;
  outbox->socket = sender->socket;
  uint32_t at = outbox->count++;
  outbox->iovecs[at] = (struct iovec){packet, (size_t)written};
  outbox->messages[at].msg_hdr = (struct msghdr){
      .msg_name = &sender->address,
      .msg_namelen = sender->address_length,
      .msg_iov = &outbox->iovecs[at],
      .msg_iovlen = 1,
  };
  outbox->used += stride;
  return true;
}

int64_t send_copies(napi_env env, napi_value senders, uint32_t count, const Copy *copy) {
  uint32_t length;
  Outbox *outbox = NULL;
  if (napi_get_instance_data(env, (void **)&outbox) != napi_ok || !outbox) return SEND_NO_OUTBOX;
  if (napi_get_array_length(env, senders, &length) != napi_ok) return SEND_NOT_A_SENDER;
  if (count > length) count = length;
  int64_t sent = 0;
  size_t stride = stride_of(copy);
  for (uint32_t i = 0; i < count; i++) {
    napi_value element;
    Sender *sender = NULL;
    if (napi_get_element(env, senders, i, &element) != napi_ok ||
        napi_get_value_external(env, element, (void **)&sender) != napi_ok || !sender) {
      flush(outbox);
      return SEND_NOT_A_SENDER;
    }
    if (!add_copy(outbox, sender, copy, stride, &sent)) return SEND_OPENSSL_FAILED;
  }
  if (outbox->count > 0) sent += flush(outbox);
  return sent;
}

int64_t send_to_list(napi_env env, const SenderList *list, uint32_t count, const Copy *copy) {
  Outbox *outbox = NULL;
  if (napi_get_instance_data(env, (void **)&outbox) != napi_ok || !outbox) return SEND_NO_OUTBOX;
  if (count > list->count) count = list->count;
  int64_t sent = 0;
  size_t stride = stride_of(copy);
  for (uint32_t i = 0; i < count; i++) {
    if (!add_copy(outbox, list->senders[i], copy, stride, &sent)) return SEND_OPENSSL_FAILED;
  }
  if (outbox->count > 0) sent += flush(outbox);
  return sent;
}

SenderList *sender_list_of(napi_env env, napi_value value) {
  bool tagged = false;
  if (napi_check_object_type_tag(env, value, &SENDER_LIST_TAG, &tagged) != napi_ok || !tagged) {
    return NULL;
  }
  return external_arg(env, value);
}

static void sender_list_free(napi_env env, void *data, void *hint) {
  (void)hint;
  SenderList *list = data;
  napi_delete_reference(env, list->array);
  free(list);
}

/* senderList(senders) -> External: the senders, read once, for sendBatch and pipe routes. */
static napi_value sender_list(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value args[1];
  bool is_array = false;
  uint32_t length = 0;
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  if (argc < 1 || napi_is_array(env, args[0], &is_array) != napi_ok || !is_array ||
      napi_get_array_length(env, args[0], &length) != napi_ok) {
    return throw_error(env, "senderList: (senders)");
  }
  SenderList *list = malloc(sizeof(SenderList) + length * sizeof(Sender *));
  if (!list) return throw_error(env, "senderList: out of memory");
  list->count = length;
  for (uint32_t i = 0; i < length; i++) {
    napi_value element;
    Sender *sender = NULL;
    if (napi_get_element(env, args[0], i, &element) != napi_ok ||
        napi_get_value_external(env, element, (void **)&sender) != napi_ok || !sender) {
      free(list);
      return throw_error(env, "senderList: not a sender");
    }
    list->senders[i] = sender;
  }
  napi_value external;
  if (napi_create_reference(env, args[0], 1, &list->array) != napi_ok) {
    free(list);
    return throw_error(env, "senderList: no reference");
  }
  if (napi_create_external(env, list, sender_list_free, NULL, &external) != napi_ok ||
      napi_type_tag_object(env, external, &SENDER_LIST_TAG) != napi_ok) {
    napi_delete_reference(env, list->array);
    free(list);
    return throw_error(env, "senderList: no external");
  }
  return external;
}

/*
 * sendBatch(senders | senderList, count, marker, sequenceNumber, rolloverCounter, timestamp,
 *           payload, levelPayload | undefined)
 * -> copies the kernel took. One call per incoming packet for every listener of a slot: the
 * per-copy work stays out of JavaScript, and the copies leave in sendmmsg(2) batches (one
 * system call per OUTBOX_COPIES copies on one socket rather than one per copy, which was half
 * the cost of a copy here).
 */
static napi_value send_batch(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value args[8];
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  uint32_t count, sequence;
  Copy copy = {0};
  bool is_array = false;
  SenderList *list = NULL;
  if (argc < 7 || napi_is_array(env, args[0], &is_array) != napi_ok ||
      (!is_array && !(list = sender_list_of(env, args[0]))) ||
      napi_get_value_uint32(env, args[1], &count) != napi_ok ||
      napi_get_value_bool(env, args[2], &copy.marker) != napi_ok ||
      napi_get_value_uint32(env, args[3], &sequence) != napi_ok ||
      napi_get_value_uint32(env, args[4], &copy.rollover) != napi_ok ||
      napi_get_value_uint32(env, args[5], &copy.timestamp) != napi_ok ||
      !buffer_arg(env, args[6], (uint8_t **)&copy.payload, &copy.payload_length)) {
    return throw_error(env, "sendBatch: bad argument types");
  }
  if (argc > 7) buffer_arg(env, args[7], (uint8_t **)&copy.level, &copy.level_length);
  copy.sequence = (uint16_t)sequence;
  int64_t sent = list ? send_to_list(env, list, count, &copy) : send_copies(env, args[0], count, &copy);
  if (sent == SEND_NO_OUTBOX) return throw_error(env, "sendBatch: no outbox");
  if (sent == SEND_NOT_A_SENDER) return throw_error(env, "sendBatch: not a sender");
  if (sent == SEND_OPENSSL_FAILED) return throw_error(env, "sendBatch: OpenSSL failed to protect a packet");
  napi_value value;
  napi_create_uint32(env, (uint32_t)sent, &value);
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
      {"senderList", NULL, sender_list, NULL, NULL, NULL, napi_default, NULL},
      {"close", NULL, close_sender, NULL, NULL, NULL, napi_default, NULL},
  };
  Outbox *outbox = calloc(1, sizeof(Outbox));
  if (!outbox || napi_set_instance_data(env, outbox, outbox_free, NULL) != napi_ok) {
    free(outbox);
    napi_throw_error(env, NULL, "srtp_sender: out of memory");
    return NULL;
  }
  napi_define_properties(env, exports, 4, properties);
  define_pipe_seal(env, exports);
  define_dtls_session(env, exports);
  define_stun_integrity(env, exports);
  return exports;
}

NAPI_MODULE_INIT() { return init(env, exports); }
