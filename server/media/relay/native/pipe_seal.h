/* Sealing and opening piped datagrams with OpenSSL contexts keyed once (see pipe_seal.c). */
#ifndef AMPHI_PIPE_SEAL_H
#define AMPHI_PIPE_SEAL_H
#include <node_api.h>

/* Adds createPipeCipher, sealPipe, openPipe and the pipe's native sending to the addon's
 * exports. */
void define_pipe_seal(napi_env env, napi_value exports);
#endif
