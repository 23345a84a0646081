/* Reading piped datagrams natively, in batches (see pipe_receive.c). */
#ifndef AMPHI_PIPE_RECEIVE_H
#define AMPHI_PIPE_RECEIVE_H
#include <node_api.h>

/* Adds createPipeReceiver, closePipeReceiver and pipeReceiverStats to the addon's exports. */
void define_pipe_receive(napi_env env, napi_value exports);
#endif
