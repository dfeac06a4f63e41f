/**
 * Where the HTTP step may go: the operator's allowed hosts (`HTTP_STEP_ALLOWED_HOSTS`) and the
 * addresses no step may reach whatever the list says. Pure: the worker checks settings with
 * it at boot, and the adapter checks each request's host and the addresses it resolves to.
 */

/**
 * Cloud metadata services: they hand out the machine's credentials, so no step reaches them,
 * by name or by address, even when a wildcard or a name in the list would allow it.
 */
export const METADATA_HOSTS = ['metadata.google.internal', 'metadata.goog'] as const;
const METADATA_ADDRESSES = ['169.254.169.254', '100.100.100.200', 'fd00:ec2:0:0:0:0:0:254'] as const;

/** What an address is, as far as the HTTP step cares. */
export type AddressKind = 'metadata' | 'link-local' | 'loopback' | 'other';

/** A host as URLs and the list compare it: lower case, without IPv6 brackets or a trailing dot. */
export function normalizeHost(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
}

function ipv4Parts(address: string): number[] | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (!match) return undefined;
  const parts = match.slice(1).map(Number);
  return parts.every((part) => part <= 255) ? parts : undefined;
}

/** The eight 16-bit groups of an IPv6 address (an embedded IPv4 tail included), or undefined. */
function ipv6Groups(address: string): number[] | undefined {
  if (!address.includes(':') || !/^[0-9a-f:.]+$/.test(address)) return undefined;
  let text = address;
  const tail = /(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/.exec(text);
  if (tail) {
    const v4 = ipv4Parts(tail[1]);
    if (!v4) return undefined;
    text = `${text.slice(0, -tail[1].length)}${((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const read = (part: string) => (part === '' ? [] : part.split(':'));
  const head = read(halves[0]);
  const rest = halves.length === 2 ? read(halves[1]) : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  if (!groups.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return undefined;
  return groups.map((group) => parseInt(group, 16));
}

/** The IPv4 address an IPv6 one carries (IPv4-mapped `::ffff:a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`), if any. */
function embeddedIpv4(groups: number[]): number[] | undefined {
  const mapped = groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
  const nat64 = groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((group) => group === 0);
  if (!mapped && !nat64) return undefined;
  return [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff];
}

function ipv4Kind([a, b]: number[], text: string): AddressKind {
  if ((METADATA_ADDRESSES as readonly string[]).includes(text)) return 'metadata';
  if (a === 169 && b === 254) return 'link-local';
  // 0.0.0.0/8 reaches this machine too.
  if (a === 127 || a === 0) return 'loopback';
  return 'other';
}

/** What `address` (an IP literal) is; undefined when it is not an IP address. */
export function addressKind(address: string): AddressKind | undefined {
  const host = normalizeHost(address);
  const v4 = ipv4Parts(host);
  if (v4) return ipv4Kind(v4, v4.join('.'));
  const groups = ipv6Groups(host);
  if (!groups) return undefined;
  const inner = embeddedIpv4(groups);
  if (inner) return ipv4Kind(inner, inner.join('.'));
  if ((METADATA_ADDRESSES as readonly string[]).includes(groups.map((group) => group.toString(16)).join(':'))) return 'metadata';
  if ((groups[0] & 0xffc0) === 0xfe80) return 'link-local';
  if (groups.slice(0, 7).every((group) => group === 0) && groups[7] <= 1) return 'loopback';
  return 'other';
}

/** Why `host` (a name or IP literal) may never be reached, or undefined. */
export function forbiddenHost(host: string): string | undefined {
  const name = normalizeHost(host);
  if ((METADATA_HOSTS as readonly string[]).includes(name)) return `${name} is a cloud metadata service`;
  const kind = addressKind(name);
  if (kind === 'metadata') return `${name} is a cloud metadata address`;
  if (kind === 'link-local') return `${name} is a link-local address (169.254.0.0/16, fe80::/10)`;
  return undefined;
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * Why `entry` of `HTTP_STEP_ALLOWED_HOSTS` is not a host the list can hold, or undefined: a
 * host name, `*.` and a domain of two labels or more, or an IP literal (IPv6 in brackets or
 * not); never a metadata or link-local address.
 */
export function allowedHostProblem(entry: string): string | undefined {
  const host = normalizeHost(entry);
  const forbidden = forbiddenHost(host);
  if (forbidden) return `${forbidden}, which no HTTP step may reach`;
  if (addressKind(host)) return undefined;
  const name = host.startsWith('*.') ? host.slice(2) : host;
  const labels = name.split('.');
  if (!labels.every((label) => LABEL.test(label))) {
    return `"${entry}" is not a host name, *.domain or IP address`;
  }
  if (host.startsWith('*.') && labels.length < 2) return `"${entry}": a wildcard needs a domain of two labels or more, e.g. *.example.com`;
  return undefined;
}

/** The list's entries, normalized. */
export function parseAllowedHosts(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map(normalizeHost)
    .filter((entry) => entry !== '');
}

/**
 * How the list allows `host`: `exact` (named, or the same IP literal), `wildcard` (a name
 * under a `*.` entry: one label or more), or undefined when it does not.
 */
export function allowedBy(host: string, allowed: readonly string[]): 'exact' | 'wildcard' | undefined {
  const name = normalizeHost(host);
  const kind = addressKind(name);
  const same = (entry: string) => (kind ? addressKind(entry) !== undefined && canonicalAddress(entry) === canonicalAddress(name) : entry === name);
  if (allowed.some(same)) return 'exact';
  if (kind) return undefined;
  return allowed.some((entry) => entry.startsWith('*.') && name.endsWith(entry.slice(1)) && name.length > entry.length - 1) ? 'wildcard' : undefined;
}

/** One spelling per IP address, so `::1` and `0:0:0:0:0:0:0:1` compare equal. */
function canonicalAddress(address: string): string {
  const v4 = ipv4Parts(address);
  if (v4) return v4.join('.');
  return ipv6Groups(address)?.map((group) => group.toString(16)).join(':') ?? address;
}
