import { generateAuthToken } from "aws-msk-iam-sasl-signer-js";

/** A signed MSK IAM token and the moment (ms since epoch) it stops being accepted. */
export interface MskToken {
  token: string;
  expiryTime: number;
}

export type MskTokenSigner = () => Promise<MskToken>;

export interface MskTokenProviderOptions {
  /** Signs a new token. Default: `generateAuthToken` from the default AWS credential chain. */
  sign?: MskTokenSigner;
  /** AWS region of the cluster; needed by the default signer. */
  region?: string;
  /**
   * A cached token is re-signed once it has less than this long to live. librdkafka asks for a new
   * token at 80% of its lifetime (3 minutes before the 15-minute expiry of MSK tokens), so the margin
   * must be larger than that for librdkafka's request to get a fresh token. Default: 5 minutes.
   */
  refreshMarginMs?: number;
  now?: () => number;
}

/**
 * Hands out MSK IAM tokens, signing a new one when the cached one is close to expiry. Concurrent
 * requests (producer and consumer in one process) share one signing call.
 */
export class MskTokenProvider {
  private readonly sign: MskTokenSigner;
  private readonly refreshMarginMs: number;
  private readonly now: () => number;
  private current?: MskToken;
  private signing?: Promise<MskToken>;

  constructor(options: MskTokenProviderOptions) {
    const region = options.region;
    this.sign =
      options.sign ??
      (() => {
        if (!region) throw new Error("MskTokenProvider needs a region to sign tokens");
        return generateAuthToken({ region });
      });
    this.refreshMarginMs = options.refreshMarginMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
  }

  async token(): Promise<MskToken> {
    if (this.current && this.current.expiryTime - this.now() > this.refreshMarginMs) return this.current;
    this.signing ??= this.signFresh().finally(() => {
      this.signing = undefined;
    });
    return this.signing;
  }

  private async signFresh(): Promise<MskToken> {
    const signed = await this.sign();
    if (!(signed.expiryTime > this.now())) {
      throw new Error(
        `the MSK IAM signer returned a token that expired at ${new Date(signed.expiryTime).toISOString()}`,
      );
    }
    this.current = signed;
    return signed;
  }

  /** The callback librdkafka calls (from its poll loop) when the OAUTHBEARER token needs refreshing. */
  librdkafkaRefreshCallback(): () => Promise<{ tokenValue: string; lifetime: number; principal: string }> {
    return async () => {
      const { token, expiryTime } = await this.token();
      // MSK authorizes by the IAM identity inside the token; the principal name is only a label.
      return { tokenValue: token, lifetime: expiryTime, principal: "loglake" };
    };
  }
}
