/* Sending one packet's copies to many listeners' native senders (see srtp_sender.c). */
#ifndef AMPHI_SRTP_SENDER_H
#define AMPHI_SRTP_SENDER_H
#include <node_api.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One incoming packet as every listener's copy carries it. */
typedef struct {
  bool marker;
  uint16_t sequence;
  uint32_t rollover; /* the slot's roll-over counter */
  uint32_t timestamp;
  const uint8_t *payload;
  size_t payload_length;
  const uint8_t *level;
  size_t level_length;
} Copy;

/* One listener's native sender (createSender's External), and a slot's senders (senderList's). */
typedef struct Sender Sender;
typedef struct SenderList SenderList;

#define SEND_NOT_A_SENDER (-1)
#define SEND_OPENSSL_FAILED (-2)
#define SEND_NO_OUTBOX (-3)

/*
 * Protects and sends `copy` to the first `count` senders (createSender's Externals) of the
 * JavaScript array `senders`, in sendmmsg(2) batches; returns the copies the kernel took, or one
 * of the SEND_* codes above (nothing is thrown).
 */
int64_t send_copies(napi_env env, napi_value senders, uint32_t count, const Copy *copy);

/* The same to the first `count` senders of `list`, without reading any JavaScript value. */
int64_t send_to_list(napi_env env, const SenderList *list, uint32_t count, const Copy *copy);

/* The list behind a senderList External, or NULL for any other value. */
SenderList *sender_list_of(napi_env env, napi_value value);
#endif
