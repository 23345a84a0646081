/* Forwarding piped packets to a slot's listeners without JavaScript (see pipe_route.c). */
#ifndef AMPHI_PIPE_ROUTE_H
#define AMPHI_PIPE_ROUTE_H
#include <node_api.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct PipeRoute PipeRoute;

/* A receiver's routes, by sender id and piped publisher. */
typedef struct {
  PipeRoute **routes;
  size_t count;
} PipeRoutes;

/*
 * Forwards one opened piped packet (`body`, pipe-datagram.ts's format, from worker `sender`)
 * to its slot's listeners when a route may: true if it did, false to leave it to JavaScript.
 */
bool pipe_routes_forward(napi_env env, PipeRoutes *routes, uint32_t sender, const uint8_t *body,
                         size_t length);

/* armPipeRoute's arguments after the receiver (see pipe_route.c); throws and returns false. */
bool pipe_routes_arm(napi_env env, PipeRoutes *routes, napi_value *args, size_t argc);

/* Lets go of every route and what it holds of JavaScript. */
void pipe_routes_clear(napi_env env, PipeRoutes *routes);
#endif
