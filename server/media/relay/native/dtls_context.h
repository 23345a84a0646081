/* The relay's DTLS context: its certificate and shared settings (see dtls_context.c). */
#ifndef AMPHI_DTLS_CONTEXT_H
#define AMPHI_DTLS_CONTEXT_H
#include <node_api.h>

/* createDtlsContext(certPem, keyPem) -> External: one per relay certificate. */
napi_value create_dtls_context(napi_env env, napi_callback_info info);
#endif
