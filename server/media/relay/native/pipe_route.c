/*
 * A piped publisher's packets forwarded to a slot's listeners without entering JavaScript: the
 * receiving worker's JavaScript handles a piped packet as any publisher's (space.ts `receive`:
 * seat, slot numbering, a full walk of the slot's members every 25 packets), then, where every
 * member it reached is sent natively, arms a route to the slot's lane (slot-lane.ts) and stream
 * (slot-stream.ts). Until the lane's next walk, or any change that disarms it, the packets that
 * simply continue the publisher's stream are numbered and sent here, from the same state in
 * shared Float64Arrays, exactly as JavaScript would; anything else (a late, repeated or far
 * packet, another SSRC, a disarmed lane) is left to JavaScript. Why: handing each piped packet to
 * JavaScript cost the receiving worker ~32 k instructions, most of the ~75 k a piped packet cost,
 * which made a space over two workers dearer per copy than on one (bench/cascade).
 */
#define NAPI_VERSION 8
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>

#include "napi_args.h"
#include "pipe_route.h"
#include "srtp_sender.h"

/* slot-lane.ts LaneState */
#define LANE_PACKETS_LEFT 0
#define LANE_SKIPPED 1
#define LANE_SKIPPED_OCTETS 2
#define LANE_LAST_TIMESTAMP 3
#define LANE_LAST_ARRIVED_AT 4
#define LANE_FORWARDED 5
#define LANE_PIPED_ARMED 6
#define LANE_LENGTH 7
/* slot-stream.ts SlotState */
#define SLOT_SOURCE_TAG 0
#define SLOT_SSRC 1
#define SLOT_NEWEST 2
#define SLOT_INDEX_OFFSET 3
#define SLOT_TIMESTAMP_OFFSET 4
#define SLOT_PENDING_RESTART 5
#define SLOT_TOP 6
#define SLOT_FLOOR 7
#define SLOT_LAST_TIMESTAMP 8
#define SLOT_LAST_AT 9
#define SLOT_LENGTH 10
/* slot-stream.ts: MAX_DROPOUT and SENT_WINDOW */
#define MAX_DROPOUT 3000
#define SENT_WINDOW 128
/* A worker pipes in the publishers of the spaces it shares, a handful each: a short list. */
#define MAX_ROUTES 1024
/* pipe-datagram.ts: flags (1), sequence number (2), timestamp (4), SSRC (4). */
#define PIPED_HEADER 11
#define MAX_KEY (2 + 255 + 255)

struct PipeRoute {
  uint32_t sender;
  size_t key_length;
  uint8_t key[MAX_KEY]; /* the datagram's space and participant fields, as piped */
  napi_ref lane_ref, stream_ref, sent_ref, senders_ref;
  double *lane, *stream, *sent;
  SenderList *senders;
  double source_tag;
  /* The stream's clock is performance.now(): this much behind uv_hrtime() in ms. */
  double clock_offset;
};

static double monotonic_ms(void) { return (double)uv_hrtime() / 1e6; }

static double wall_clock_ms(void) {
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  return (double)now.tv_sec * 1e3 + (double)now.tv_nsec / 1e6;
}

/* Where the space and participant fields end; 0 when the body is shorter than they say. */
static size_t key_length_of(const uint8_t *body, size_t length) {
  if (length < 1) return 0;
  size_t participant_at = 1 + (size_t)body[0];
  if (length < participant_at + 1) return 0;
  size_t end = participant_at + 1 + (size_t)body[participant_at];
  return length < end ? 0 : end;
}

static PipeRoute *find(PipeRoutes *routes, uint32_t sender, const uint8_t *key, size_t key_length) {
  for (size_t i = 0; i < routes->count; i++) {
    PipeRoute *route = routes->routes[i];
    if (route->sender == sender && route->key_length == key_length &&
        memcmp(route->key, key, key_length) == 0) {
      return route;
    }
  }
  return NULL;
}

static void release_refs(napi_env env, PipeRoute *route) {
  napi_ref *refs[] = {&route->lane_ref, &route->stream_ref, &route->sent_ref, &route->senders_ref};
  for (size_t i = 0; i < 4; i++) {
    if (*refs[i]) napi_delete_reference(env, *refs[i]);
    *refs[i] = NULL;
  }
}

void pipe_routes_clear(napi_env env, PipeRoutes *routes) {
  for (size_t i = 0; i < routes->count; i++) {
    release_refs(env, routes->routes[i]);
    free(routes->routes[i]);
  }
  free(routes->routes);
  routes->routes = NULL;
  routes->count = 0;
}

bool pipe_routes_forward(napi_env env, PipeRoutes *routes, uint32_t sender, const uint8_t *body,
                         size_t length) {
  size_t key_length = key_length_of(body, length);
  if (key_length == 0 || routes->count == 0) return false;
  PipeRoute *route = find(routes, sender, body, key_length);
  if (!route) return false;
  double *lane = route->lane, *stream = route->stream;
  if (lane[LANE_PIPED_ARMED] != 1 || lane[LANE_PACKETS_LEFT] <= 0) return false;
  if (length <= key_length) return false;
  size_t level_length = body[key_length];
  size_t header_at = key_length + 1 + level_length;
  if (length < header_at + PIPED_HEADER) return false;
  const uint8_t *header = body + header_at;
  uint16_t sequence = (uint16_t)(header[1] << 8 | header[2]);
  uint32_t timestamp = (uint32_t)header[3] << 24 | (uint32_t)header[4] << 16 |
                       (uint32_t)header[5] << 8 | header[6];
  uint32_t ssrc = (uint32_t)header[7] << 24 | (uint32_t)header[8] << 16 |
                  (uint32_t)header[9] << 8 | header[10];
  if (stream[SLOT_SOURCE_TAG] != route->source_tag || stream[SLOT_SSRC] != (double)ssrc) return false;

  /* slot-stream.ts `extend`, its one case that is not left to JavaScript: a step forward. */
  double newest = stream[SLOT_NEWEST];
  int delta = (int16_t)(uint16_t)((uint64_t)((int64_t)sequence - (int64_t)newest) & 0xffff);
  if (delta <= 0 || delta > MAX_DROPOUT) return false;
  double index = newest + delta + stream[SLOT_INDEX_OFFSET];
  /* Never so after a step forward; if it were, JavaScript decides. */
  if (index <= stream[SLOT_TOP] || index < stream[SLOT_FLOOR]) return false;
  uint32_t outgoing_timestamp = (uint32_t)((uint64_t)timestamp + (uint64_t)stream[SLOT_TIMESTAMP_OFFSET]);
  stream[SLOT_NEWEST] = newest + delta;
  stream[SLOT_PENDING_RESTART] = -1;
  route->sent[(uint64_t)index % SENT_WINDOW] = index;
  stream[SLOT_TOP] = index;
  stream[SLOT_LAST_TIMESTAMP] = outgoing_timestamp;
  stream[SLOT_LAST_AT] = monotonic_ms() - route->clock_offset;

  /* slot-lane.ts `send` between walks. */
  const uint8_t *payload = header + PIPED_HEADER;
  size_t payload_length = length - header_at - PIPED_HEADER;
  lane[LANE_PACKETS_LEFT] -= 1;
  lane[LANE_SKIPPED] += 1;
  lane[LANE_SKIPPED_OCTETS] += (double)payload_length;
  lane[LANE_LAST_TIMESTAMP] = outgoing_timestamp;
  lane[LANE_LAST_ARRIVED_AT] = wall_clock_ms();
  Copy copy = {
      .marker = (header[0] & 0x80) != 0,
      .sequence = (uint16_t)((uint64_t)index & 0xffff),
      .rollover = (uint32_t)((uint64_t)index >> 16),
      .timestamp = outgoing_timestamp,
      .payload = payload,
      .payload_length = payload_length,
      .level = level_length > 0 ? body + key_length + 1 : NULL,
      .level_length = level_length,
  };
  int64_t sent = send_to_list(env, route->senders, UINT32_MAX, &copy);
  if (sent > 0) lane[LANE_FORWARDED] += (double)sent;
  return true;
}

/* A Float64Array argument of at least `length` numbers: its data, and a reference to it. */
static double *numbers_arg(napi_env env, napi_value value, size_t length, napi_ref *ref) {
  bool is_typed = false;
  napi_typedarray_type type;
  size_t count;
  void *data = NULL;
  if (napi_is_typedarray(env, value, &is_typed) != napi_ok || !is_typed ||
      napi_get_typedarray_info(env, value, &type, &count, &data, NULL, NULL) != napi_ok ||
      type != napi_float64_array || count < length || !data) {
    return NULL;
  }
  if (napi_create_reference(env, value, 1, ref) != napi_ok) return NULL;
  return data;
}

/*
 * armPipeRoute(receiver, senderId, key, laneState, streamState, sent, senders, sourceTag, now):
 * `key` is the piped datagrams' space and participant fields as they come; the rest is what
 * space.ts `routeFor` returned (`senders` a senderList), and `now` is performance.now().
 */
bool pipe_routes_arm(napi_env env, PipeRoutes *routes, napi_value *args, size_t argc) {
  uint32_t sender;
  uint8_t *key;
  size_t key_length;
  double source_tag, now;
  SenderList *senders = argc < 8 ? NULL : sender_list_of(env, args[5]);
  if (argc < 8 || napi_get_value_uint32(env, args[0], &sender) != napi_ok ||
      !buffer_arg(env, args[1], &key, &key_length) || key_length == 0 || key_length > MAX_KEY ||
      key_length_of(key, key_length) != key_length || !senders ||
      napi_get_value_double(env, args[6], &source_tag) != napi_ok ||
      napi_get_value_double(env, args[7], &now) != napi_ok) {
    napi_throw_type_error(env, NULL,
                          "armPipeRoute: (receiver, senderId, key, laneState, streamState, sent, "
                          "senders, sourceTag, now)");
    return false;
  }
  PipeRoute *route = find(routes, sender, key, key_length);
  if (!route) {
    if (routes->count >= MAX_ROUTES) return true; /* JavaScript forwards the rest */
    PipeRoute **grown = realloc(routes->routes, (routes->count + 1) * sizeof(PipeRoute *));
    if (!grown) return true;
    routes->routes = grown;
    route = calloc(1, sizeof(PipeRoute));
    if (!route) return true;
    route->sender = sender;
    route->key_length = key_length;
    memcpy(route->key, key, key_length);
    routes->routes[routes->count++] = route;
  }
  release_refs(env, route);
  route->lane = numbers_arg(env, args[2], LANE_LENGTH, &route->lane_ref);
  route->stream = numbers_arg(env, args[3], SLOT_LENGTH, &route->stream_ref);
  route->sent = numbers_arg(env, args[4], SENT_WINDOW, &route->sent_ref);
  route->senders = senders;
  if (!route->lane || !route->stream || !route->sent ||
      napi_create_reference(env, args[5], 1, &route->senders_ref) != napi_ok) {
    /* Unusable: the lane it would read never counts as armed. */
    static double disarmed[LANE_LENGTH];
    release_refs(env, route);
    route->lane = disarmed;
    napi_throw_type_error(env, NULL, "armPipeRoute: the states must be Float64Arrays");
    return false;
  }
  route->source_tag = source_tag;
  route->clock_offset = monotonic_ms() - now;
  return true;
}
