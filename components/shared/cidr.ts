/** IPv4 CIDR blocks as EC2 takes them: four octets, a prefix length, no host bits set. */

export interface Ipv4Block {
  /** The address as a 32-bit number. */
  address: number;
  mask: number;
}

const cidrPattern = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** The block a CIDR string names, or undefined when it is not an IPv4 CIDR block at all. */
export function parseIpv4Cidr(cidr: string): Ipv4Block | undefined {
  const match = cidrPattern.exec(cidr);
  const octets = match ? match.slice(1, 5).map(Number) : [];
  const mask = Number(match?.[5]);
  if (!match || octets.some((octet) => octet > 255) || mask > 32) return undefined;
  return { address: octets.reduce((value, octet) => value * 256 + octet, 0), mask };
}

/**
 * EC2 refuses a block with host bits set (InvalidParameterValue) rather than rounding it down; says
 * which block was meant, or nothing when the block is canonical.
 */
export function hostBitsProblem(block: Ipv4Block): string | undefined {
  const blockSize = 2 ** (32 - block.mask);
  if (block.address % blockSize === 0) return undefined;
  const base = block.address - (block.address % blockSize);
  const canonical = [24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256).join(".");
  return `has host bits set; EC2 refuses it: use ${canonical}/${block.mask}`;
}
