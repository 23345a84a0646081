/*
 * DTLS 1.2 (RFC 6347) with the DTLS-SRTP extension (RFC 5764) for the relay's sessions, in
 * OpenSSL, over memory BIOs: JavaScript hands each datagram from the client in and sends what
 * comes out, so the relay's one shared socket and its ICE routing stay in JavaScript. This is
 * not a protocol implementation of its own: the handshake, its key exchange, the check of the
 * client's CertificateVerify signature and Finished, retransmission and the record layer are
 * OpenSSL's (the node binary's own, whose symbols it exports to addons). werift's DTLS, which
 * it replaces where the addon is built, spent ~2 ms of the relay's one thread per handshake in
 * JavaScript (a burst of 500 joins took the relay ~1 s of CPU for DTLS alone), where OpenSSL
 * needs ~0.3 ms.
 *
 * The client's certificate is self-signed, so any chain is accepted here: its identity is the
 * fingerprint in its SDP answer, which dtls-session.ts checks against the DER this returns
 * before any key is used (RFC 8122).
 *
 * No HelloVerifyRequest cookie (RFC 6347 §4.2.1): the relay's socket only hands a session
 * datagrams from addresses that passed its ICE connectivity check (udp-mux.ts), which already
 * proves the client receives at its address; werift's cookie cost every join a round trip.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/srtp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>

#include "dtls_context.h"
#include "dtls_session.h"
#include "napi_args.h"

/* The largest datagram of records: the IPv6 minimum MTU less its headers, as the relay's others. */
#define DATAGRAM_MTU 1200
#define MAX_RECORD 16384
/* A flight's first retransmission, as werift's: RFC 6347 §4.2.4.1 suggests 1 s, but a client
 * that lost a flight in a burst of joins would then wait that long; later ones double. */
#define FIRST_RETRANSMISSION_US 500000
#define LAST_RETRANSMISSION_US 60000000
#define STATE_HANDSHAKING 0
#define STATE_CONNECTED 1
#define STATE_CLOSED 2

typedef struct {
  SSL *ssl; /* NULL once freed */
  int state;
} Session;

static napi_value int_value(napi_env env, int value) {
  napi_value result;
  napi_create_int32(env, value, &result);
  return result;
}

static napi_value null_value(napi_env env) {
  napi_value result;
  napi_get_null(env, &result);
  return result;
}

static void session_free(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  Session *session = data;
  if (session->ssl) SSL_free(session->ssl);
  free(session);
}

static unsigned int retransmission_after(SSL *ssl, unsigned int previous_us) {
  (void)ssl;
  if (previous_us == 0) return FIRST_RETRANSMISSION_US;
  return previous_us >= LAST_RETRANSMISSION_US / 2 ? LAST_RETRANSMISSION_US : previous_us * 2;
}

static Session *session_arg(napi_env env, napi_callback_info info, napi_value *rest,
                            size_t rest_count) {
  size_t argc = 1 + rest_count;
  napi_value args[3];
  if (argc > 3) return NULL;
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  if (argc < 1 + rest_count) return NULL;
  Session *session = NULL;
  if (napi_get_value_external(env, args[0], (void **)&session) != napi_ok) return NULL;
  for (size_t index = 0; index < rest_count; index++) rest[index] = args[index + 1];
  return session;
}

/* createDtls(context, isServer) -> External: a session speaking through memory BIOs. */
static napi_value create_session(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value args[2];
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  SSL_CTX *ctx = NULL;
  bool is_server = true;
  if (argc < 2 || napi_get_value_external(env, args[0], (void **)&ctx) != napi_ok ||
      napi_get_value_bool(env, args[1], &is_server) != napi_ok) {
    return throw_error(env, "createDtls takes a context and a role");
  }
  Session *session = calloc(1, sizeof(Session));
  SSL *ssl = SSL_new(ctx);
  BIO *in = BIO_new(BIO_s_mem());
  BIO *out = BIO_new(BIO_s_mem());
  if (!session || !ssl || !in || !out) {
    free(session);
    SSL_free(ssl);
    BIO_free(in);
    BIO_free(out);
    return throw_error(env, "createDtls: out of memory");
  }
  /* An empty BIO means "wait for more", not end of stream. */
  BIO_set_mem_eof_return(in, -1);
  BIO_set_mem_eof_return(out, -1);
  SSL_set_bio(ssl, in, out);
  SSL_set_mtu(ssl, DATAGRAM_MTU);
  DTLS_set_timer_cb(ssl, retransmission_after);
  if (is_server) SSL_set_accept_state(ssl);
  else SSL_set_connect_state(ssl);
  session->ssl = ssl;
  session->state = STATE_HANDSHAKING;
  napi_value result;
  if (napi_create_external(env, session, session_free, NULL, &result) != napi_ok) {
    SSL_free(ssl);
    free(session);
    return throw_error(env, "createDtls: out of memory");
  }
  return result;
}

/* Moves the handshake on with what has arrived; the session's state after it. */
static int advance(Session *session) {
  if (!session->ssl || session->state != STATE_HANDSHAKING) return session->state;
  ERR_clear_error();
  int done = SSL_do_handshake(session->ssl);
  if (done == 1) {
    session->state = STATE_CONNECTED;
  } else {
    int error = SSL_get_error(session->ssl, done);
    if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) {
      session->state = STATE_CLOSED;
    }
  }
  ERR_clear_error();
  return session->state;
}

/* dtlsHandshake(session) -> state: starts a client's handshake, or moves one on. */
static napi_value handshake(napi_env env, napi_callback_info info) {
  Session *session = session_arg(env, info, NULL, 0);
  if (!session) return throw_error(env, "dtlsHandshake takes a session");
  return int_value(env, advance(session));
}

/* dtlsReceive(session, datagram) -> state: hands one datagram from the client to OpenSSL. */
static napi_value receive(napi_env env, napi_callback_info info) {
  napi_value rest[1];
  Session *session = session_arg(env, info, rest, 1);
  uint8_t *data;
  size_t length;
  if (!session || !buffer_arg(env, rest[0], &data, &length)) {
    return throw_error(env, "dtlsReceive takes a session and a Buffer");
  }
  if (!session->ssl || session->state == STATE_CLOSED) return int_value(env, STATE_CLOSED);
  if (length > 0 && BIO_write(SSL_get_rbio(session->ssl), data, (int)length) <= 0) {
    return int_value(env, session->state);
  }
  return int_value(env, advance(session));
}

/*
 * dtlsRead(session) -> Buffer | null: the next application data record, or null when there is
 * none (the state then says whether the client closed or broke the association).
 */
static napi_value read_data(napi_env env, napi_callback_info info) {
  Session *session = session_arg(env, info, NULL, 0);
  if (!session) return throw_error(env, "dtlsRead takes a session");
  if (!session->ssl || session->state != STATE_CONNECTED) return null_value(env);
  uint8_t record[MAX_RECORD];
  ERR_clear_error();
  int read = SSL_read(session->ssl, record, sizeof record);
  if (read <= 0) {
    int error = SSL_get_error(session->ssl, read);
    if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) {
      session->state = STATE_CLOSED;
    }
    ERR_clear_error();
    return null_value(env);
  }
  napi_value result;
  if (napi_create_buffer_copy(env, (size_t)read, record, NULL, &result) != napi_ok) {
    return throw_error(env, "dtlsRead: out of memory");
  }
  return result;
}

/* dtlsState(session) -> state. */
static napi_value state(napi_env env, napi_callback_info info) {
  Session *session = session_arg(env, info, NULL, 0);
  if (!session) return throw_error(env, "dtlsState takes a session");
  return int_value(env, session->state);
}

/*
 * dtlsOutgoing(session) -> Buffer | null: every record OpenSSL wrote since the last call, back
 * to back (a memory BIO keeps no datagram boundaries; dtls-session.ts splits them again).
 */
static napi_value outgoing(napi_env env, napi_callback_info info) {
  Session *session = session_arg(env, info, NULL, 0);
  if (!session) return throw_error(env, "dtlsOutgoing takes a session");
  if (!session->ssl) return null_value(env);
  BIO *out = SSL_get_wbio(session->ssl);
  size_t pending = BIO_ctrl_pending(out);
  if (pending == 0) return null_value(env);
  void *bytes;
  napi_value result;
  if (napi_create_buffer(env, pending, &bytes, &result) != napi_ok) {
    return throw_error(env, "dtlsOutgoing: out of memory");
  }
  int read = BIO_read(out, bytes, (int)pending);
  if (read != (int)pending) return throw_error(env, "dtlsOutgoing: short read");
  return result;
}

/* dtlsWrite(session, data) -> boolean: one application data record. */
static napi_value write_data(napi_env env, napi_callback_info info) {
  napi_value rest[1];
  Session *session = session_arg(env, info, rest, 1);
  uint8_t *data;
  size_t length;
  if (!session || !buffer_arg(env, rest[0], &data, &length)) {
    return throw_error(env, "dtlsWrite takes a session and a Buffer");
  }
  napi_value result;
  bool written = false;
  if (session->ssl && session->state == STATE_CONNECTED && length > 0) {
    ERR_clear_error();
    written = SSL_write(session->ssl, data, (int)length) == (int)length;
    ERR_clear_error();
  }
  napi_get_boolean(env, written, &result);
  return result;
}

/* dtlsTimeout(session) -> ms until a flight's retransmission is due, or -1 if none is. */
static napi_value timeout(napi_env env, napi_callback_info info) {
  Session *session = session_arg(env, info, NULL, 0);
  if (!session) return throw_error(env, "dtlsTimeout takes a session");
  struct timeval left;
  if (!session->ssl || session->state == STATE_CLOSED || DTLSv1_get_timeout(session->ssl, &left) != 1) {
    return int_value(env, -1);
  }
  return int_value(env, (int)(left.tv_sec * 1000 + (left.tv_usec + 999) / 1000));
}

/* dtlsHandleTimeout(session) -> state: retransmits a flight that is due (or gives up). */
static napi_value handle_timeout(napi_env env, napi_callback_info info) {
  Session *session = session_arg(env, info, NULL, 0);
  if (!session) return throw_error(env, "dtlsHandleTimeout takes a session");
  if (session->ssl && session->state != STATE_CLOSED) {
    ERR_clear_error();
    if (DTLSv1_handle_timeout(session->ssl) < 0) session->state = STATE_CLOSED;
    ERR_clear_error();
  }
  return int_value(env, session->state);
}

/* dtlsPeerCertificate(session) -> Buffer | null: the client's certificate, DER. */
static napi_value peer_certificate(napi_env env, napi_callback_info info) {
  Session *session = session_arg(env, info, NULL, 0);
  if (!session) return throw_error(env, "dtlsPeerCertificate takes a session");
  X509 *cert = session->ssl ? SSL_get0_peer_certificate(session->ssl) : NULL;
  int length = cert ? i2d_X509(cert, NULL) : -1;
  if (length <= 0) return null_value(env);
  void *bytes;
  napi_value result;
  if (napi_create_buffer(env, (size_t)length, &bytes, &result) != napi_ok) {
    return throw_error(env, "dtlsPeerCertificate: out of memory");
  }
  unsigned char *cursor = bytes;
  i2d_X509(cert, &cursor);
  return result;
}

/* dtlsSrtpProfile(session) -> the negotiated SRTP protection profile (RFC 5764 §4.1.2), or 0. */
static napi_value srtp_profile(napi_env env, napi_callback_info info) {
  Session *session = session_arg(env, info, NULL, 0);
  if (!session) return throw_error(env, "dtlsSrtpProfile takes a session");
  SRTP_PROTECTION_PROFILE *profile =
      session->ssl ? SSL_get_selected_srtp_profile(session->ssl) : NULL;
  return int_value(env, profile ? (int)profile->id : 0);
}

/* dtlsExportSrtpKeys(session, length) -> Buffer | null: RFC 5764 §4.2 keying material. */
static napi_value export_srtp_keys(napi_env env, napi_callback_info info) {
  napi_value rest[1];
  Session *session = session_arg(env, info, rest, 1);
  uint32_t length;
  if (!session || napi_get_value_uint32(env, rest[0], &length) != napi_ok || length > 256) {
    return throw_error(env, "dtlsExportSrtpKeys takes a session and a length");
  }
  if (!session->ssl || session->state != STATE_CONNECTED) return null_value(env);
  void *bytes;
  napi_value result;
  if (napi_create_buffer(env, length, &bytes, &result) != napi_ok) {
    return throw_error(env, "dtlsExportSrtpKeys: out of memory");
  }
  static const char label[] = "EXTRACTOR-dtls_srtp";
  if (SSL_export_keying_material(session->ssl, bytes, length, label, sizeof label - 1, NULL, 0,
                                 0) != 1) {
    ERR_clear_error();
    return null_value(env);
  }
  return result;
}

/*
 * dtlsClose(session): sends close_notify (left in the outgoing records) and frees OpenSSL's
 * state at once rather than at the next collection.
 */
static napi_value close_session(napi_env env, napi_callback_info info) {
  Session *session = session_arg(env, info, NULL, 0);
  if (!session) return throw_error(env, "dtlsClose takes a session");
  if (session->ssl) {
    if (session->state == STATE_CONNECTED) {
      ERR_clear_error();
      SSL_shutdown(session->ssl);
      ERR_clear_error();
    }
    session->state = STATE_CLOSED;
  }
  return NULL;
}

/* dtlsFree(session): frees OpenSSL's state; the session is closed from then on. */
static napi_value free_session(napi_env env, napi_callback_info info) {
  Session *session = session_arg(env, info, NULL, 0);
  if (!session) return throw_error(env, "dtlsFree takes a session");
  if (session->ssl) SSL_free(session->ssl);
  session->ssl = NULL;
  session->state = STATE_CLOSED;
  return NULL;
}

void define_dtls_session(napi_env env, napi_value exports) {
  napi_property_descriptor properties[] = {
      {"createDtlsContext", NULL, create_dtls_context, NULL, NULL, NULL, napi_default, NULL},
      {"createDtls", NULL, create_session, NULL, NULL, NULL, napi_default, NULL},
      {"dtlsHandshake", NULL, handshake, NULL, NULL, NULL, napi_default, NULL},
      {"dtlsReceive", NULL, receive, NULL, NULL, NULL, napi_default, NULL},
      {"dtlsRead", NULL, read_data, NULL, NULL, NULL, napi_default, NULL},
      {"dtlsState", NULL, state, NULL, NULL, NULL, napi_default, NULL},
      {"dtlsOutgoing", NULL, outgoing, NULL, NULL, NULL, napi_default, NULL},
      {"dtlsWrite", NULL, write_data, NULL, NULL, NULL, napi_default, NULL},
      {"dtlsTimeout", NULL, timeout, NULL, NULL, NULL, napi_default, NULL},
      {"dtlsHandleTimeout", NULL, handle_timeout, NULL, NULL, NULL, napi_default, NULL},
      {"dtlsPeerCertificate", NULL, peer_certificate, NULL, NULL, NULL, napi_default, NULL},
      {"dtlsSrtpProfile", NULL, srtp_profile, NULL, NULL, NULL, napi_default, NULL},
      {"dtlsExportSrtpKeys", NULL, export_srtp_keys, NULL, NULL, NULL, napi_default, NULL},
      {"dtlsClose", NULL, close_session, NULL, NULL, NULL, napi_default, NULL},
      {"dtlsFree", NULL, free_session, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof properties / sizeof properties[0], properties);
}
