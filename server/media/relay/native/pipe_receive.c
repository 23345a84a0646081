/*
 * Receives the datagrams piped to a relay worker (pipe-seal.ts has their format): reads the pipe
 * socket itself, in recvmmsg(2) batches when libuv says it is readable, drops what is oversized,
 * forged, altered or replayed (counting each), and hands JavaScript one Buffer per batch with the
 * opened bodies. Why native: through node:dgram, each piped packet took a UDPWrap callback, a
 * Buffer, an address object and an event, then an openPipe call and a second Buffer, with the
 * replay window in JavaScript, about 110-130 µs a packet on this host, half of what a piped
 * packet may cost for a space over two workers to cost no more per copy than on one
 * (bench/cascade). The replay window is pipe-seal.ts's, which stays where the addon is not built.
 * Where JavaScript has armed a route (pipe_route.c), an opened packet is forwarded to its slot's
 * listeners here and never reaches JavaScript.
 */
#define NAPI_VERSION 8
#define _GNU_SOURCE /* recvmmsg */
#include <errno.h>
#include <fcntl.h>
#include <node_api.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#include "napi_args.h"
#include "pipe_receive.h"
#include "pipe_route.h"
#include "pipe_seal.h"

#define HEADER_BYTES 12
#define TAG_BYTES 16
#define MAX_DATAGRAM 2048
#define BATCH 32
/* Batches read in one readable turn at most, so a flood cannot hold the loop. */
#define ROUNDS_PER_TURN 8
/* Datagrams may arrive this many counters out of order; older ones are dropped (pipe-seal.ts). */
#define REPLAY_WINDOW 1024
/* In each opened datagram handed to JavaScript: sender id (4) and body length (2). */
#define ENTRY_HEADER 6

typedef struct {
  uint32_t sender;
  uint64_t highest;
  uint64_t seen[REPLAY_WINDOW];
} ReplayWindow;

typedef struct {
  napi_env env;
  uv_poll_t poll;
  int fd; /* our own duplicate of the pipe socket's descriptor */
  PipeCipher *cipher;
  napi_ref cipher_ref; /* keeps the cipher alive while this receiver uses it */
  napi_ref callback;
  napi_async_context context;
  bool polling;
  /* Freed when both the JavaScript object and libuv's handle are done with it. */
  int holds;
  ReplayWindow **windows;
  size_t window_count;
  PipeRoutes routes;
  double received, forged, replayed, oversized;
  struct mmsghdr messages[BATCH];
  struct iovec iovecs[BATCH];
  /* One byte over the largest datagram: a longer one shows as MSG_TRUNC. */
  uint8_t datagrams[BATCH][MAX_DATAGRAM + 1];
  /* Each opened: entry header and body, for JavaScript unless a route forwards it. */
  uint8_t opened[BATCH][ENTRY_HEADER + MAX_DATAGRAM];
} Receiver;

static void release(Receiver *receiver) {
  if (--receiver->holds > 0) return;
  for (size_t i = 0; i < receiver->window_count; i++) free(receiver->windows[i]);
  free(receiver->windows);
  free(receiver);
}

static void poll_closed(uv_handle_t *handle) { release(handle->data); }

/* Stops reading and lets go of the socket and of JavaScript; the last step frees it. */
static void stop(Receiver *receiver) {
  if (!receiver->polling) return;
  receiver->polling = false;
  uv_poll_stop(&receiver->poll);
  uv_close((uv_handle_t *)&receiver->poll, poll_closed);
  close(receiver->fd);
  receiver->fd = -1;
  pipe_routes_clear(receiver->env, &receiver->routes);
  napi_delete_reference(receiver->env, receiver->callback);
  napi_delete_reference(receiver->env, receiver->cipher_ref);
  napi_async_destroy(receiver->env, receiver->context);
}

static void receiver_free(napi_env env, void *data, void *hint) {
  Receiver *receiver = data;
  /* A receiver dropped without close() stops here. */
  stop(receiver);
  release(receiver);
}

static ReplayWindow *window_of(Receiver *receiver, uint32_t sender) {
  for (size_t i = 0; i < receiver->window_count; i++) {
    if (receiver->windows[i]->sender == sender) return receiver->windows[i];
  }
  return NULL;
}

/* Whether `counter` from `window`'s sender was seen or is too old. */
static bool is_replay(const ReplayWindow *window, uint64_t counter) {
  if (!window) return false;
  return counter + REPLAY_WINDOW <= window->highest ||
         window->seen[counter % REPLAY_WINDOW] == counter;
}

/* Only an authentic datagram may move a window, or create one; false when out of memory. */
static bool remember(Receiver *receiver, ReplayWindow *window, uint32_t sender, uint64_t counter) {
  if (!window) {
    ReplayWindow **grown =
        realloc(receiver->windows, (receiver->window_count + 1) * sizeof(ReplayWindow *));
    if (!grown) return false;
    receiver->windows = grown;
    window = malloc(sizeof(ReplayWindow));
    if (!window) return false;
    window->sender = sender;
    window->highest = counter;
    memset(window->seen, 0xff, sizeof window->seen);
    receiver->windows[receiver->window_count++] = window;
  }
  window->seen[counter % REPLAY_WINDOW] = counter;
  if (counter > window->highest) window->highest = counter;
  return true;
}

static uint32_t read_u32(const uint8_t *bytes) {
  return (uint32_t)bytes[0] << 24 | (uint32_t)bytes[1] << 16 | (uint32_t)bytes[2] << 8 | bytes[3];
}

/* Opens datagram `i` of the batch into `out` (entry header, then body); its length, or 0. */
static size_t open_one(Receiver *receiver, unsigned i, uint8_t *out) {
  const uint8_t *datagram = receiver->datagrams[i];
  size_t length = receiver->messages[i].msg_len;
  if ((receiver->messages[i].msg_hdr.msg_flags & MSG_TRUNC) || length > MAX_DATAGRAM) {
    receiver->oversized++;
    return 0;
  }
  if (length < HEADER_BYTES + TAG_BYTES) {
    receiver->forged++;
    return 0;
  }
  uint32_t sender = read_u32(datagram);
  uint64_t counter = (uint64_t)read_u32(datagram + 4) << 32 | read_u32(datagram + 8);
  ReplayWindow *window = window_of(receiver, sender);
  if (is_replay(window, counter)) {
    receiver->replayed++;
    return 0;
  }
  size_t body_length = length - HEADER_BYTES - TAG_BYTES;
  if (!open_sealed(receiver->cipher, datagram, length, out + ENTRY_HEADER)) {
    receiver->forged++;
    return 0;
  }
  if (!remember(receiver, window, sender, counter)) return 0;
  memcpy(out, datagram, 4);
  out[4] = (uint8_t)(body_length >> 8);
  out[5] = (uint8_t)body_length;
  receiver->received++;
  return ENTRY_HEADER + body_length;
}

/* Reads one batch; false when the socket had nothing more (or failed). */
static bool read_batch(Receiver *receiver) {
  for (unsigned i = 0; i < BATCH; i++) {
    receiver->iovecs[i] = (struct iovec){receiver->datagrams[i], MAX_DATAGRAM + 1};
    receiver->messages[i].msg_hdr = (struct msghdr){.msg_iov = &receiver->iovecs[i], .msg_iovlen = 1};
  }
  int count = recvmmsg(receiver->fd, receiver->messages, BATCH, MSG_DONTWAIT, NULL);
  if (count <= 0) return false;
  napi_env env = receiver->env;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return false;
  /* Once one packet goes to JavaScript, the rest of the batch follows it, in order. */
  size_t lengths[BATCH], room = 0;
  for (int i = 0; i < count; i++) {
    uint8_t *opened = receiver->opened[i];
    size_t length = open_one(receiver, (unsigned)i, opened);
    if (length > 0 && room == 0 &&
        pipe_routes_forward(env, &receiver->routes, read_u32(opened), opened + ENTRY_HEADER,
                            length - ENTRY_HEADER)) {
      length = 0;
    }
    lengths[i] = length;
    room += length;
  }
  uint8_t *bytes;
  napi_value batch, callback, global, result;
  /* A fresh Buffer per batch: what JavaScript keeps of a packet (views) stays valid. */
  if (room > 0 && napi_create_buffer(env, room, (void **)&bytes, &batch) == napi_ok) {
    size_t used = 0;
    for (int i = 0; i < count; i++) {
      memcpy(bytes + used, receiver->opened[i], lengths[i]);
      used += lengths[i];
    }
    napi_value args[2];
    args[0] = batch;
    napi_create_uint32(env, (uint32_t)used, &args[1]);
    /* make_callback wants an object for `this`. */
    napi_get_global(env, &global);
    napi_get_reference_value(env, receiver->callback, &callback);
    /* make_callback runs the microtasks after it and reports a throw as uncaught. */
    if (napi_make_callback(env, receiver->context, global, callback, 2, args, &result) ==
        napi_pending_exception) {
      napi_value error;
      napi_get_and_clear_last_exception(env, &error);
      napi_fatal_exception(env, error);
    }
  }
  napi_close_handle_scope(env, scope);
  return count == BATCH && receiver->polling;
}

static void readable(uv_poll_t *poll, int status, int events) {
  Receiver *receiver = poll->data;
  if (status < 0 || !(events & UV_READABLE)) return;
  for (int round = 0; round < ROUNDS_PER_TURN && receiver->polling; round++) {
    if (!read_batch(receiver)) return;
  }
}

/* The receiver an addon function was given as its one argument; NULL (and a TypeError) if not. */
static Receiver *receiver_arg(napi_env env, napi_callback_info info, const char *usage) {
  size_t argc = 1;
  napi_value args[1];
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  Receiver *receiver = argc < 1 ? NULL : external_arg(env, args[0]);
  if (!receiver) napi_throw_type_error(env, NULL, usage);
  return receiver;
}

/*
 * createPipeReceiver(fd, cipher, onDatagrams): reads the bound pipe socket whose descriptor is
 * `fd` (through a duplicate of it) and calls onDatagrams(batch, length) with the opened ones:
 * each is sender id (4 bytes) · body length (2) · body, in `length` bytes of `batch`.
 */
static napi_value create_pipe_receiver(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value args[3];
  int32_t fd = -1;
  napi_valuetype type = napi_undefined;
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  PipeCipher *cipher = argc < 3 ? NULL : pipe_cipher_of(env, args[1]);
  if (!cipher || napi_get_value_int32(env, args[0], &fd) != napi_ok || fd < 0 ||
      napi_typeof(env, args[2], &type) != napi_ok || type != napi_function) {
    napi_throw_type_error(env, NULL, "createPipeReceiver: (fd, cipher, onDatagrams)");
    return NULL;
  }
  uv_loop_t *loop;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok) return throw_error(env, "createPipeReceiver: no loop");
  Receiver *receiver = calloc(1, sizeof(Receiver));
  if (!receiver) return throw_error(env, "createPipeReceiver: out of memory");
  receiver->env = env;
  receiver->cipher = cipher;
  receiver->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (receiver->fd < 0) {
    free(receiver);
    return throw_error(env, "createPipeReceiver: cannot duplicate the descriptor");
  }
  napi_value name;
  napi_create_string_utf8(env, "AmphiPipeReceiver", NAPI_AUTO_LENGTH, &name);
  if (napi_async_init(env, NULL, name, &receiver->context) != napi_ok) {
    close(receiver->fd);
    free(receiver);
    return throw_error(env, "createPipeReceiver: no async context");
  }
  /* A poll that failed to start is not in the loop yet: freeing it here is safe. */
  if (uv_poll_init(loop, &receiver->poll, receiver->fd) != 0) {
    napi_async_destroy(env, receiver->context);
    close(receiver->fd);
    free(receiver);
    return throw_error(env, "createPipeReceiver: cannot watch the socket");
  }
  receiver->poll.data = receiver;
  napi_create_reference(env, args[1], 1, &receiver->cipher_ref);
  napi_create_reference(env, args[2], 1, &receiver->callback);
  receiver->polling = true;
  receiver->holds = 2;
  uv_poll_start(&receiver->poll, UV_READABLE, readable);
  napi_value external;
  napi_create_external(env, receiver, receiver_free, NULL, &external);
  return external;
}

/* armPipeRoute(receiver, ...): see pipe_route.c. */
static napi_value arm_pipe_route(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value args[9];
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  Receiver *receiver = argc < 1 ? NULL : external_arg(env, args[0]);
  if (!receiver) {
    napi_throw_type_error(env, NULL, "armPipeRoute: (receiver, ...)");
    return NULL;
  }
  /* A closed receiver reads nothing more: nothing to arm. */
  if (receiver->polling) pipe_routes_arm(env, &receiver->routes, args + 1, argc - 1);
  return NULL;
}

/* forgetPipeRoutes(receiver): every piped packet goes to JavaScript until routes are armed again. */
static napi_value forget_pipe_routes(napi_env env, napi_callback_info info) {
  Receiver *receiver = receiver_arg(env, info, "forgetPipeRoutes: (receiver)");
  if (receiver) pipe_routes_clear(env, &receiver->routes);
  return NULL;
}

/* closePipeReceiver(receiver): stops reading and closes its descriptor now. */
static napi_value close_pipe_receiver(napi_env env, napi_callback_info info) {
  Receiver *receiver = receiver_arg(env, info, "closePipeReceiver: (receiver)");
  if (!receiver) return NULL;
  stop(receiver);
  return NULL;
}

static void set_number(napi_env env, napi_value object, const char *name, double number) {
  napi_value value;
  napi_create_double(env, number, &value);
  napi_set_named_property(env, object, name, value);
}

/* pipeReceiverStats(receiver): datagrams opened, and dropped by reason. */
static napi_value pipe_receiver_stats(napi_env env, napi_callback_info info) {
  Receiver *receiver = receiver_arg(env, info, "pipeReceiverStats: (receiver)");
  if (!receiver) return NULL;
  napi_value stats;
  napi_create_object(env, &stats);
  set_number(env, stats, "received", receiver->received);
  set_number(env, stats, "forged", receiver->forged);
  set_number(env, stats, "replayed", receiver->replayed);
  set_number(env, stats, "oversized", receiver->oversized);
  return stats;
}

void define_pipe_receive(napi_env env, napi_value exports) {
  napi_property_descriptor properties[] = {
      {"createPipeReceiver", NULL, create_pipe_receiver, NULL, NULL, NULL, napi_default, NULL},
      {"closePipeReceiver", NULL, close_pipe_receiver, NULL, NULL, NULL, napi_default, NULL},
      {"pipeReceiverStats", NULL, pipe_receiver_stats, NULL, NULL, NULL, napi_default, NULL},
      {"armPipeRoute", NULL, arm_pipe_route, NULL, NULL, NULL, napi_default, NULL},
      {"forgetPipeRoutes", NULL, forget_pipe_routes, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, 5, properties);
}
