/* Reading arguments and refusing bad ones, shared by the addon's files. */
#ifndef AMPHI_NAPI_ARGS_H
#define AMPHI_NAPI_ARGS_H
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
/* The pointer an external made by this addon holds; NULL when `value` is not an external. */
static inline void *external_arg(napi_env env, napi_value value) {
  void *data = NULL;
  if (napi_get_value_external(env, value, &data) != napi_ok) return NULL;
  return data;
}
/* Throws a JavaScript Error; returns NULL, the value an addon function returns after throwing. */
static inline napi_value throw_error(napi_env env, const char *message) {
  napi_throw_error(env, NULL, message);
  return NULL;
}
#endif
