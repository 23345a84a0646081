/* Sealing and opening piped datagrams with OpenSSL contexts keyed once (see pipe_seal.c). */
#ifndef AMPHI_PIPE_SEAL_H
#define AMPHI_PIPE_SEAL_H
#include <node_api.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A pool pipe key keyed into OpenSSL contexts (createPipeCipher's External). */
typedef struct PipeCipher PipeCipher;

/* The cipher behind a createPipeCipher External, or NULL. */
PipeCipher *pipe_cipher_of(napi_env env, napi_value value);

/* Opens a sealed datagram's body into `out` (length - 28 bytes); false when short or forged. */
bool open_sealed(PipeCipher *cipher, const uint8_t *datagram, size_t length, uint8_t *out);

/* Adds createPipeCipher, sealPipe, openPipe, the pipe's native sending and receiving
 * (pipe_receive.c) to the addon's exports. */
void define_pipe_seal(napi_env env, napi_value exports);
#endif
