{
  "targets": [
    {
      "target_name": "srtp_sender",
      "sources": ["srtp_sender.c", "srtp_protect.c", "pipe_seal.c", "pipe_receive.c", "pipe_route.c", "dtls_context.c", "dtls_session.c", "stun_integrity.c"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"]
    }
  ]
}
