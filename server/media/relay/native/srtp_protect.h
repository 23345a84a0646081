/* SRTP's framing around OpenSSL contexts keyed once per session (see srtp_protect.c). */
#ifndef AMPHI_SRTP_PROTECT_H
#define AMPHI_SRTP_PROTECT_H
#include <openssl/evp.h>
#include <stddef.h>
#include <stdint.h>

#define HMAC_TAG_BYTES 10
#define GCM_TAG_BYTES 16

/* The stream a copy belongs to: what the IV (and, for AES-CM, the tag) depend on. */
typedef struct {
  const uint8_t *salt; /* 14 bytes (AES-CM) or 12 (GCM) */
  uint32_t ssrc;
  uint32_t roc;
  uint16_t sequence;
} SrtpIndex;

/* Encrypts the payload in place and appends the tag; returns the tag's length or -1. */
int srtp_protect_cm(EVP_CIPHER_CTX *cipher, EVP_MAC_CTX *mac, uint8_t *packet, size_t header_length,
                    size_t payload_length, const SrtpIndex *index);
int srtp_protect_gcm(EVP_CIPHER_CTX *cipher, uint8_t *packet, size_t header_length,
                     size_t payload_length, const SrtpIndex *index);
#endif
