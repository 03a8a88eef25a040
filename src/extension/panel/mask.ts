// Hides credentials in what the panel shows (never in what is copied or
// saved), with the same rules as the log (core/mask.ts): Authorization-like
// and cookie header values, and every secret string. On top of those, the
// panel hides URL passwords and percent-encoded secrets, and remembers
// whether it hid anything so it knows to offer "Show secrets".
import { MASK, maskHeaderValue, maskSecrets, withEncodedForms } from '../../core/mask';

export { MASK };

export class Masker {
  private readonly secrets: string[];
  /** Length of the longest hidden string: how far past a cut to look so a secret is not cut in two. */
  readonly longest: number;
  /** Set once anything was hidden. */
  masked = false;

  constructor(
    secrets: readonly string[],
    private readonly enabled: boolean,
  ) {
    // A secret in a query string or form body arrives percent-encoded, in a JSON body escaped; a secret
    // holding half an emoji has no percent-encoded form, which withEncodedForms allows for.
    this.secrets = withEncodedForms(secrets);
    this.longest = Math.max(0, ...this.secrets.map((s) => s.length));
  }

  /** Replaces every secret string. */
  text(value: string): string {
    return this.enabled ? this.note(value, maskSecrets(value, this.secrets)) : value;
  }

  /** A URL with secrets and the userinfo password hidden. */
  url(value: string): string {
    if (!this.enabled) return value;
    const hidden = value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/?#@:]*):[^/?#@]*@/i, `$1:${MASK}@`);
    return this.text(this.note(value, hidden));
  }

  /** A request or response header value, by the header's meaning. */
  header(name: string, value: string): string {
    return this.enabled ? this.text(this.note(value, maskHeaderValue(name, value))) : value;
  }

  /** A stored cookie's value: a credential like the Cookie header that carries it. */
  cookieValue(value: string): string {
    return this.enabled && value !== '' ? this.note(value, MASK) : value;
  }

  /** A raw `Set-Cookie` string, attributes kept. */
  setCookie(value: string): string {
    return this.header('set-cookie', value);
  }

  private note(before: string, after: string): string {
    if (after !== before) this.masked = true;
    return after;
  }
}
