/* DTLS-SRTP sessions in OpenSSL over memory BIOs (see dtls_session.c). */
#ifndef AMPHI_DTLS_SESSION_H
#define AMPHI_DTLS_SESSION_H
#include <node_api.h>

/* Adds createDtlsContext, createDtls and the dtls* calls to the addon's exports. */
void define_dtls_session(napi_env env, napi_value exports);
#endif
