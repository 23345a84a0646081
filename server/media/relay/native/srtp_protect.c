/*
 * RFC 3711 AES-128-CM + HMAC-SHA1-80 and RFC 7714 AEAD-AES-128-GCM for one packet, with
 * OpenSSL contexts keyed once per session: only the IV changes per packet.
 */
#include "srtp_protect.h"
#include <string.h>

/*
 * The per-packet IV: SSRC, roll-over counter and sequence number at `ssrc_at` (RFC 3711 4.1.1:
 * 4 in 16 bytes; RFC 7714 8.1: 2 in 12 bytes), XORed with the session salt.
 */
static void write_iv(uint8_t *iv, size_t length, size_t ssrc_at, const SrtpIndex *index) {
  memset(iv, 0, length);
  uint8_t *at = iv + ssrc_at;
  uint32_t ssrc = index->ssrc, roc = index->roc;
  uint16_t sequence = index->sequence;
  at[0] = ssrc >> 24, at[1] = ssrc >> 16, at[2] = ssrc >> 8, at[3] = ssrc;
  at[4] = roc >> 24, at[5] = roc >> 16, at[6] = roc >> 8, at[7] = roc;
  at[8] = sequence >> 8, at[9] = sequence;
  size_t salted = length < 14 ? length : 14;
  for (size_t i = 0; i < salted; i++) iv[i] ^= index->salt[i];
}

int srtp_protect_cm(EVP_CIPHER_CTX *cipher, EVP_MAC_CTX *mac, uint8_t *packet, size_t header_length,
                    size_t payload_length, const SrtpIndex *index) {
  uint8_t iv[16];
  write_iv(iv, sizeof iv, 4, index);
  int written = 0;
  uint8_t *body = packet + header_length;
  if (EVP_EncryptInit_ex(cipher, NULL, NULL, NULL, iv) != 1 ||
      EVP_EncryptUpdate(cipher, body, &written, body, (int)payload_length) != 1) {
    return -1;
  }
  uint32_t roc = index->roc;
  uint8_t roc_bytes[4] = {roc >> 24, roc >> 16, roc >> 8, roc};
  uint8_t tag[EVP_MAX_MD_SIZE];
  size_t tag_length = 0;
  /* A null key re-initialises with the session's key: OpenSSL keeps the padded key states. */
  if (EVP_MAC_init(mac, NULL, 0, NULL) != 1 ||
      EVP_MAC_update(mac, packet, header_length + payload_length) != 1 ||
      EVP_MAC_update(mac, roc_bytes, 4) != 1 || EVP_MAC_final(mac, tag, &tag_length, sizeof tag) != 1) {
    return -1;
  }
  memcpy(body + payload_length, tag, HMAC_TAG_BYTES);
  return HMAC_TAG_BYTES;
}

int srtp_protect_gcm(EVP_CIPHER_CTX *cipher, uint8_t *packet, size_t header_length,
                     size_t payload_length, const SrtpIndex *index) {
  uint8_t iv[12];
  write_iv(iv, sizeof iv, 2, index);
  int written = 0;
  uint8_t *body = packet + header_length;
  if (EVP_EncryptInit_ex(cipher, NULL, NULL, NULL, iv) != 1 ||
      EVP_EncryptUpdate(cipher, NULL, &written, packet, (int)header_length) != 1 ||
      EVP_EncryptUpdate(cipher, body, &written, body, (int)payload_length) != 1 ||
      EVP_EncryptFinal_ex(cipher, body + payload_length, &written) != 1 ||
      EVP_CIPHER_CTX_ctrl(cipher, EVP_CTRL_GCM_GET_TAG, GCM_TAG_BYTES, body + payload_length) != 1) {
    return -1;
  }
  return GCM_TAG_BYTES;
}
