// The IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and its updates), plus the
// few blocks outside them that a probe must never reach either (multicast, cloud metadata, IPv6
// space not allocated for global unicast). The probe policy (policy.ts) takes the MOST SPECIFIC
// entry covering an address: 192.0.0.9/32 (globally reachable) inside 192.0.0.0/24 (not), a
// metadata address inside a private range. An address no entry covers is an ordinary public one.
//
// `reach`:
//   'global'   the registry says "Globally Reachable: True" (or the block is ordinary unicast):
//              probed, though an IPv4 address it embeds is still checked (policy.ts)
//   'private'  not globally reachable, but what on-call engineers probe every day (RFC 1918,
//              shared address space 100.64/10, unique-local fc00::/7): allowed by default
//   'denied'   not globally reachable (or "N/A" inside a block that is not): refused unless an
//              allow entry covers the address
//
// Sources: https://www.iana.org/assignments/iana-ipv4-special-registry and
// https://www.iana.org/assignments/iana-ipv6-special-registry (entries as of 2025), the IPv4
// multicast and IPv6 address-space registries, and the metadata endpoints of the big clouds.

export type SpecialReach = 'global' | 'private' | 'denied';

export type SpecialRule =
  | 'metadata'
  | 'loopback'
  | 'unspecified'
  | 'link-local'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | 'documentation'
  | 'benchmarking'
  | 'ietf-protocol-assignments'
  | 'discard-only'
  | 'dummy'
  | 'deprecated'
  | 'site-local'
  | 'nat64-local-use'
  | 'teredo'
  | 'segment-routing'
  | 'private'
  | 'global';

export interface SpecialBlock {
  readonly cidr: string;
  readonly rule: SpecialRule;
  readonly reach: SpecialReach;
  /** The registry's name for the block, and where it comes from. */
  readonly name: string;
  readonly source: string;
}

const block = (cidr: string, rule: SpecialRule, reach: SpecialReach, name: string, source: string): SpecialBlock => ({ cidr, rule, reach, name, source });

export const SPECIAL_PURPOSE_BLOCKS: readonly SpecialBlock[] = [
  // IPv4 Special-Purpose Address Registry
  block('0.0.0.0/8', 'unspecified', 'denied', '"This network"', 'RFC 791'),
  block('0.0.0.0/32', 'unspecified', 'denied', '"This host on this network"', 'RFC 1122'),
  block('10.0.0.0/8', 'private', 'private', 'Private-Use', 'RFC 1918'),
  block('100.64.0.0/10', 'private', 'private', 'Shared Address Space', 'RFC 6598'),
  block('127.0.0.0/8', 'loopback', 'denied', 'Loopback', 'RFC 1122'),
  block('169.254.0.0/16', 'link-local', 'denied', 'Link Local', 'RFC 3927'),
  block('172.16.0.0/12', 'private', 'private', 'Private-Use', 'RFC 1918'),
  block('192.0.0.0/24', 'ietf-protocol-assignments', 'denied', 'IETF Protocol Assignments', 'RFC 6890'),
  block('192.0.0.0/29', 'ietf-protocol-assignments', 'denied', 'IPv4 Service Continuity Prefix', 'RFC 7335'),
  block('192.0.0.8/32', 'dummy', 'denied', 'IPv4 dummy address', 'RFC 7600'),
  block('192.0.0.9/32', 'global', 'global', 'Port Control Protocol Anycast', 'RFC 7723'),
  block('192.0.0.10/32', 'global', 'global', 'Traversal Using Relays around NAT Anycast', 'RFC 8155'),
  block('192.0.0.170/32', 'ietf-protocol-assignments', 'denied', 'NAT64/DNS64 Discovery', 'RFC 8880'),
  block('192.0.0.171/32', 'ietf-protocol-assignments', 'denied', 'NAT64/DNS64 Discovery', 'RFC 8880'),
  block('192.0.2.0/24', 'documentation', 'denied', 'Documentation (TEST-NET-1)', 'RFC 5737'),
  block('192.31.196.0/24', 'global', 'global', 'AS112-v4', 'RFC 7535'),
  block('192.52.193.0/24', 'global', 'global', 'AMT', 'RFC 7450'),
  block('192.88.99.0/24', 'deprecated', 'denied', 'Deprecated (6to4 Relay Anycast)', 'RFC 7526'),
  block('192.168.0.0/16', 'private', 'private', 'Private-Use', 'RFC 1918'),
  block('192.175.48.0/24', 'global', 'global', 'Direct Delegation AS112 Service', 'RFC 7534'),
  block('198.18.0.0/15', 'benchmarking', 'denied', 'Benchmarking', 'RFC 2544'),
  block('198.51.100.0/24', 'documentation', 'denied', 'Documentation (TEST-NET-2)', 'RFC 5737'),
  block('203.0.113.0/24', 'documentation', 'denied', 'Documentation (TEST-NET-3)', 'RFC 5737'),
  block('240.0.0.0/4', 'reserved', 'denied', 'Reserved', 'RFC 1112'),
  block('255.255.255.255/32', 'broadcast', 'denied', 'Limited Broadcast', 'RFC 919'),
  // Not in the special-purpose registry, never a TLS endpoint.
  block('224.0.0.0/4', 'multicast', 'denied', 'Multicast', 'RFC 5771'),

  // IPv6: everything outside the blocks allocated for use is reserved by the IETF (IPv6 address
  // space registry): global unicast is 2000::/3 only.
  block('::/0', 'reserved', 'denied', 'Reserved by IETF (outside global unicast 2000::/3)', 'RFC 4291'),
  block('2000::/3', 'global', 'global', 'Global Unicast', 'RFC 4291'),
  block('ff00::/8', 'multicast', 'denied', 'Multicast', 'RFC 4291'),
  block('fec0::/10', 'site-local', 'denied', 'Site-local (deprecated)', 'RFC 3879'),
  // IPv6 Special-Purpose Address Registry
  block('::1/128', 'loopback', 'denied', 'Loopback Address', 'RFC 4291'),
  block('::/128', 'unspecified', 'denied', 'Unspecified Address', 'RFC 4291'),
  // ::ffff:0:0/96 (IPv4-mapped) is not listed: the normaliser turns such an address into the IPv4
  // address it maps, which is then looked up in the IPv4 part of this table.
  block('64:ff9b::/96', 'global', 'global', 'IPv4-IPv6 Translat.', 'RFC 6052'),
  block('64:ff9b:1::/48', 'nat64-local-use', 'denied', 'IPv4-IPv6 Translat. (local use)', 'RFC 8215'),
  block('100::/64', 'discard-only', 'denied', 'Discard-Only Address Block', 'RFC 6666'),
  block('100:0:0:1::/64', 'dummy', 'denied', 'Dummy IPv6 Prefix', 'RFC 9780'),
  block('2001::/23', 'ietf-protocol-assignments', 'denied', 'IETF Protocol Assignments', 'RFC 2928'),
  block('2001::/32', 'teredo', 'denied', 'TEREDO', 'RFC 4380'),
  block('2001:1::1/128', 'global', 'global', 'Port Control Protocol Anycast', 'RFC 7723'),
  block('2001:1::2/128', 'global', 'global', 'Traversal Using Relays around NAT Anycast', 'RFC 8155'),
  block('2001:1::3/128', 'global', 'global', 'DNS-SD Service Registration Protocol Anycast', 'RFC 9665'),
  block('2001:2::/48', 'benchmarking', 'denied', 'Benchmarking', 'RFC 5180'),
  block('2001:3::/32', 'global', 'global', 'AMT', 'RFC 7450'),
  block('2001:4:112::/48', 'global', 'global', 'AS112-v6', 'RFC 7535'),
  block('2001:10::/28', 'deprecated', 'denied', 'Deprecated (previously ORCHID)', 'RFC 4843'),
  block('2001:20::/28', 'global', 'global', 'ORCHIDv2', 'RFC 7343'),
  block('2001:30::/28', 'global', 'global', 'Drone Remote ID Protocol Entity Tags (DETs) Prefix', 'RFC 9374'),
  block('2001:db8::/32', 'documentation', 'denied', 'Documentation', 'RFC 3849'),
  block('2002::/16', 'global', 'global', '6to4', 'RFC 3056'),
  block('2620:4f:8000::/48', 'global', 'global', 'Direct Delegation AS112 Service', 'RFC 7534'),
  block('3fff::/20', 'documentation', 'denied', 'Documentation', 'RFC 9637'),
  block('5f00::/16', 'segment-routing', 'denied', 'Segment Routing (SRv6) SIDs', 'RFC 9602'),
  block('fc00::/7', 'private', 'private', 'Unique-Local', 'RFC 4193'),
  block('fe80::/10', 'link-local', 'denied', 'Link-Local Unicast', 'RFC 4291'),

  // Cloud metadata services: inside link-local or private ranges, and refused even where those are not.
  block('169.254.169.254/32', 'metadata', 'denied', 'cloud metadata endpoint (AWS, GCP, Azure, OCI, DigitalOcean)', 'vendor documentation'),
  block('169.254.170.2/32', 'metadata', 'denied', 'cloud metadata endpoint (AWS ECS task metadata)', 'vendor documentation'),
  block('fd00:ec2::254/128', 'metadata', 'denied', 'cloud metadata endpoint (AWS IMDS over IPv6)', 'vendor documentation'),
  block('100.100.100.200/32', 'metadata', 'denied', 'cloud metadata endpoint (Alibaba Cloud)', 'vendor documentation'),
  block('192.0.0.192/32', 'metadata', 'denied', 'cloud metadata endpoint (Oracle Cloud, legacy)', 'vendor documentation'),
  block('168.63.129.16/32', 'metadata', 'denied', 'cloud platform endpoint (Azure WireServer)', 'vendor documentation'),
];
