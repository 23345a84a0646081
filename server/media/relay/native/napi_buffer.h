/* Reading a Node.js Buffer argument, shared by the addon's files. */
#ifndef AMPHI_NAPI_BUFFER_H
#define AMPHI_NAPI_BUFFER_H
#include <node_api.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Points `data` and `length` at `value`'s bytes; 0 when `value` is not a Buffer. */
static inline int buffer_arg(napi_env env, napi_value value, uint8_t **data, size_t *length) {
  bool is_buffer = false;
  if (napi_is_buffer(env, value, &is_buffer) != napi_ok || !is_buffer) return 0;
  return napi_get_buffer_info(env, value, (void **)data, length) == napi_ok;
}
#endif
