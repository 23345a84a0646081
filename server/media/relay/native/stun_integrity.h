#ifndef AMPHI_STUN_INTEGRITY_H
#define AMPHI_STUN_INTEGRITY_H
#include <node_api.h>

void define_stun_integrity(napi_env env, napi_value exports);
#endif
