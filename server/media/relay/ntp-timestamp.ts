/** Seconds from the NTP epoch (1900) to the Unix epoch (1970), RFC 5905. */
const UNIX_EPOCH_IN_NTP_SECONDS = 2_208_988_800;

/**
 * A wall-clock time as a 64-bit NTP timestamp (RFC 3550 §4): whole seconds since 1900, then the
 * fraction of a second in units of 2^-32 s. Computed when a sender report goes out, not for
 * every forwarded packet (werift's ntpTime() builds strings and buffers each call, and reads the
 * fraction's decimal digits as the binary fraction).
 */
export function ntpTimestamp(unixMs: number): bigint {
  const seconds = Math.floor(unixMs / 1000);
  const fraction = Math.min(Math.floor(((unixMs - seconds * 1000) / 1000) * 2 ** 32), 2 ** 32 - 1);
  return (BigInt(seconds + UNIX_EPOCH_IN_NTP_SECONDS) << 32n) | BigInt(fraction);
}

/** Now, as milliseconds since the Unix epoch with the monotonic clock's resolution. */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}
