import { isIP } from 'node:net';

/** A host the viewer answers to: a name or address, and the port it must come with (any port when absent). */
export interface AllowedHost {
  /** Lower-case name or address, IPv6 without brackets. */
  name: string;
  port?: number;
}

/** A `Host` header taken apart. */
export interface HostHeader {
  /** Lower-case name or address, IPv6 without brackets, no trailing dot. */
  name: string;
  /** The port named, or 80 when none is (plain HTTP). */
  port: number;
}

const WILDCARD_ADDRESSES = new Set(['0.0.0.0', '::', '']);
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

/**
 * Reads a `Host` header (`name`, `name:port`, `[v6]`, `[v6]:port`); `undefined`
 * when it is missing or malformed.
 */
export function parseHostHeader(header: string | undefined): HostHeader | undefined {
  if (header === undefined) return undefined;
  const text = header.trim().toLowerCase();
  const match = /^(?:\[([0-9a-f:.]+)\]|([a-z0-9._-]+))(?::(\d{1,5}))?$/.exec(text);
  if (!match) return undefined;
  const name = (match[1] ?? match[2] ?? '').replace(/\.$/, '');
  if (name === '' || (match[1] !== undefined && isIP(name) !== 6)) return undefined;
  const port = match[3] === undefined ? 80 : Number(match[3]);
  if (port > 65_535) return undefined;
  return { name, port };
}

/**
 * Reads a `--allowed-host` value: `name` (any port) or `name:port`, IPv6 in
 * brackets. Throws on anything else.
 */
export function parseAllowedHost(text: string): AllowedHost {
  const trimmed = text.trim();
  const parsed = parseHostHeader(trimmed);
  if (!parsed)
    throw new Error(`--allowed-host takes a host name or address, optionally with :port, got "${text}"`);
  return /:\d+$/.test(trimmed) ? parsed : { name: parsed.name };
}

/**
 * The hosts a viewer bound to `bindHost:port` answers to: its bound address
 * and port, `localhost` (and the loopback addresses) on that port, and the
 * extra names given. Bound to every interface (`0.0.0.0`, `::`), it also
 * answers to any IP address on its port: an address typed in a browser
 * cannot be rebound by a DNS server, only a name can.
 */
export function allowedHostsFor(
  bindHost: string,
  port: number,
  extra: readonly AllowedHost[] = [],
): HostPolicy {
  const bound = bindHost
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  const wildcard = WILDCARD_ADDRESSES.has(bound);
  const hosts: AllowedHost[] = [...LOOPBACK_NAMES.map((name) => ({ name, port })), ...extra];
  if (!wildcard) hosts.push({ name: bound, port });
  return { hosts, anyAddress: wildcard ? port : undefined };
}

/** Which `Host` headers a viewer accepts (see {@link allowedHostsFor}). */
export interface HostPolicy {
  hosts: readonly AllowedHost[];
  /** When set, any IP address is accepted with this port. */
  anyAddress?: number;
}

/**
 * Whether a request's `Host` header names the viewer. A page on another site
 * whose DNS name was rebound to 127.0.0.1 still sends its own name, so it is
 * refused here and cannot read the reports.
 */
export function isHostAllowed(header: string | undefined, policy: HostPolicy): boolean {
  const host = parseHostHeader(header);
  if (!host) return false;
  if (policy.anyAddress !== undefined && isIP(host.name) !== 0 && host.port === policy.anyAddress)
    return true;
  return policy.hosts.some(
    (allowed) => allowed.name === host.name && (allowed.port === undefined || allowed.port === host.port),
  );
}
