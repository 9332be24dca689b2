/** A CIDR that covers every IPv4 or IPv6 address. */
export const isOpenToInternet = (cidr: unknown) =>
  typeof cidr === "string" && /^(0\.0\.0\.0\/0|::\/0|0:0:0:0:0:0:0:0\/0)$/.test(cidr.trim());
