import { isIP } from 'node:net';

/**
 * Whether a peer's address (req.socket.remoteAddress) is this machine: 127.0.0.0/8, ::1, or an
 * IPv4 loopback address mapped into IPv6. The Host header plays no part: any client can send
 * `Host: localhost`.
 */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return isIP(address) === 6 && (address === '::1' || address === '0:0:0:0:0:0:0:1');
}

/** Whether binding to `host` (the HOST setting) only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return bare === 'localhost' || isLoopbackAddress(bare);
}
