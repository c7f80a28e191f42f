import { BlockList, isIP } from 'node:net';

/** 127.0.0.0/8 and ::1; BlockList also matches IPv4-mapped IPv6 addresses (::ffff:127.0.0.1). */
const LOOPBACK_ADDRESSES = new BlockList();
LOOPBACK_ADDRESSES.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK_ADDRESSES.addAddress('::1', 'ipv6');

/**
 * Whether a host (a bind address or the name of a Host header) is this machine's loopback:
 * `localhost`, or an IP address in 127.0.0.0/8 or ::1. A name is never an address, so
 * `127.0.0.1.evil.example` is not loopback however it starts.
 */
export function isLoopback(host: string): boolean {
  const name = host.toLowerCase();
  if (name === 'localhost') return true;
  const family = isIP(name);
  return family !== 0 && LOOPBACK_ADDRESSES.check(name, family === 6 ? 'ipv6' : 'ipv4');
}

export interface HostHeader {
  /** The name or address, lower-cased, without brackets (`::1`, `127.0.0.1`, `example.org`). */
  name: string;
  port: number | null;
}

/** Names as browsers send them (IDNs in punycode) and IPv4 addresses. */
const NAME_AND_PORT = /^([a-z0-9._-]+)(?::(\d{1,5}))?$/i;
const BRACKETED_AND_PORT = /^\[([^[\]]+)\](?::(\d{1,5}))?$/;

/**
 * Parses a Host header (`name`, `name:port`, `[v6]`, `[v6]:port`); null when it is malformed:
 * empty, a character no host name has (`user@host`), an IPv6 address without brackets, something other than an IPv6 address in brackets,
 * or a port that is not a number up to 65535.
 */
export function parseHostHeader(value: string | undefined): HostHeader | null {
  const text = (value ?? '').trim();
  const bracketed = BRACKETED_AND_PORT.exec(text);
  const plain = bracketed === null ? NAME_AND_PORT.exec(text) : null;
  const match = bracketed ?? plain;
  if (match === null) return null;
  const name = (match[1] ?? '').toLowerCase();
  if (bracketed !== null && isIP(name) !== 6) return null;
  const port = match[2] === undefined ? null : Number(match[2]);
  if (port !== null && port > 65_535) return null;
  return { name, port };
}
