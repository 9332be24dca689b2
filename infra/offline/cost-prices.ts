import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";

/**
 * The dated price table (infra/offline/prices/<region>.json): one file per priced region, each row a
 * unit price with the page it comes from and the day it was noted. `npm run cost` reads nothing
 * else, so an estimate changes only when a row (or the plan, or the usage) does.
 */

/** A public page, read on `read`, that states the row's figure in its own words (`says`). */
export const verification = z.strictObject({
  url: z.url({ protocol: /^https$/ }),
  read: z.iso.date(),
  says: z.string().min(1),
});

export const priceRow = z.strictObject({
  key: z.string().min(1),
  usd: z.number().min(0),
  unit: z.string().min(1),
  /** The AWS pricing page the figure belongs to. */
  source: z.url({ protocol: /^https$/ }),
  date: z.iso.date(),
  /**
   * The page that confirmed the figure, or `false` where no public page stating it was found: such a
   * row is the table author's figure, and every estimate that uses it says so.
   */
  verified: z.union([z.literal(false), verification]),
  /** What the row means where the unit does not say it (assumptions, how it is applied). */
  note: z.string().optional(),
});
export type PriceRow = z.infer<typeof priceRow>;

export const priceFile = z.strictObject({
  region: z.string(),
  currency: z.literal("USD"),
  date: z.iso.date(),
  note: z.string(),
  prices: z.array(priceRow),
});
export type PriceFile = z.infer<typeof priceFile>;

export const pricesDir = path.join(__dirname, "prices");

/** A region the tool cannot price, or a price the table lacks; the CLI prints the message alone. */
export class CostError extends Error {}

/** Regions with a price table, from the files present. */
export function pricedRegions(): string[] {
  return fs
    .readdirSync(pricesDir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -".json".length))
    .sort();
}

export class Prices {
  private readonly rows: Map<string, PriceRow>;
  /** Keys read while estimating, so a report can list the rows it used. */
  readonly used = new Set<string>();

  constructor(readonly file: PriceFile) {
    this.rows = new Map(file.prices.map((row) => [row.key, row]));
  }

  get region(): string {
    return this.file.region;
  }

  has(key: string): boolean {
    return this.rows.has(key);
  }

  row(key: string): PriceRow {
    const row = this.rows.get(key);
    if (!row) {
      throw new CostError(
        `no price for ${key} in ${this.region} (add a row with its source and date to infra/offline/prices/${this.region}.json)`,
      );
    }
    this.used.add(key);
    return row;
  }

  usd(key: string): number {
    return this.row(key).usd;
  }

  /** Of these keys, the rows no public page confirmed, sorted. */
  unverified(keys: Iterable<string>): string[] {
    return [...new Set(keys)].filter((key) => this.rows.get(key)?.verified === false).sort();
  }
}

/** The price table of a region, or a message naming the region and the ones that are priced. */
export function pricesFor(region: string): Prices {
  const file = path.join(pricesDir, `${region}.json`);
  if (!fs.existsSync(file)) {
    throw new CostError(
      `region ${region} is not priced: infra/offline/prices/ has tables for ${pricedRegions().join(", ")} only; add ${region}.json (each row with its AWS page, date and verified) to estimate it`,
    );
  }
  const parsed = priceFile.safeParse(JSON.parse(fs.readFileSync(file, "utf8")));
  if (!parsed.success) throw new CostError(`${file}: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
  if (parsed.data.region !== region) throw new CostError(`${file} is the table of ${parsed.data.region}`);
  return new Prices(parsed.data);
}
