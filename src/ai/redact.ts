/**
 * Redaction of everything that leaves the process for the AI model (SPEC §8):
 * e-mail addresses, IPv4/IPv6 addresses, credentials in URLs, bearer and basic
 * tokens, JWTs, well-known key formats, `key=…`/`password=…`-style pairs (also
 * as JSON members), long random-looking secrets and long digit runs become
 * placeholders such as `<email>` and `<secret>`. Ordinary words, identifiers,
 * versions, dates, times and short numbers (status codes, ports) survive, so
 * the model still sees what failed.
 *
 * @module
 */

/** Names whose value is a secret, in `name=value`, `name: value` and `"name": "value"` forms. */
const SECRET_NAME = String.raw`[\w.-]*(?:passw(?:or)?d|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|` +
  String.raw`private[_-]?key|credentials?|session[_-]?id|cookie|authorization)|\bkey`;

// A quoted value, or an unquoted one up to a separator.
const VALUE = String.raw`"(?:[^"\\]|\\.)*"|'[^']*'|[^\s&,;"'}\]]+`;

const RULES: readonly (readonly [RegExp, string | ((m: string, ...g: string[]) => string)])[] = [
  // user:password@ in URLs, before the e-mail rule sees "password@host".
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/:@]+:[^\s/@]+@/gi, "$1<credentials>@"],
  // Authorization schemes with their credential.
  [/\b(Bearer|Basic|Digest|Token|ApiKey)\s+[A-Za-z0-9._~+/=-]{6,}/g, "$1 <token>"],
  // JSON Web Tokens, anywhere.
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, "<token>"],
  // Key formats with a recognisable prefix (OpenAI, Stripe, AWS, GitHub, Slack, Google).
  [
    /\b(?:sk-[A-Za-z0-9_-]{16,}|(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{10,}|AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{20,}|xox[abposr]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{30,})/g,
    "<secret>",
  ],
  // name=value, name: value, "name": "value" where the name says secret.
  [
    new RegExp(String.raw`(?<![\w.-])((?:${SECRET_NAME})["']?\s*[=:]\s*)(${VALUE})`, "gi"),
    (_m, name, value) => `${name}${value.startsWith('"') ? '"<redacted>"' : "<redacted>"}`,
  ],
  [/(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g, "<email>"],
  // IPv6 candidates (validated below, so times such as 10:20:30 survive); an embedded IPv4 tail is allowed.
  [
    /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|\d{1,3}(?:\.\d{1,3}){3})?(?![\w:.])/g,
    (m) => isIPv6(m) ? "<ip>" : m,
  ],
  [
    /(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\w]|\.\d)/g,
    "<ip>",
  ],
  // Long runs of base64/hex-ish characters that look random (see looksSecret).
  [/(?<![\w+/=-])[A-Za-z0-9+/_-]{24,}={0,2}(?![\w+/=-])/g, (m) => looksSecret(m) ? "<secret>" : m],
  // Card numbers in groups, US social security numbers, international phone numbers.
  [/\b\d{4}(?:[ -]\d{4}){2,3}\b/g, "<number>"],
  [/\b\d{3}-\d{2}-\d{4}\b/g, "<number>"],
  [/\+\d{1,3}[ -]?\d(?:[ -]?\d){6,13}\b/g, "<number>"],
  // Long digit runs: card and account numbers, phone numbers, national ids (not a UUID's last group).
  [/(?<![0-9A-Fa-f]{4}-|\d)\d{7,}/g, "<number>"],
];

/** True for a valid IPv6 text (with `::` compression or all eight groups, an IPv4 tail allowed). */
export function isIPv6(text: string): boolean {
  let s = text;
  // An IPv4 tail counts as the last two groups.
  const v4 = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(s);
  if (v4) {
    if (v4[1].split(".").some((p) => Number(p) > 255)) return false;
    s = s.slice(0, -v4[1].length) + "0:0";
  }
  const halves = s.split("::");
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => h === "" ? [] : h.split(":"));
  if (groups.some((g) => !/^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  return halves.length === 2 ? groups.length <= 7 : groups.length === 8;
}

/** Shannon entropy in bits per character. */
function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * Whether a long token looks like a key rather than a name: all-hex of 32+
 * characters (tokens, digests), or letters and digits with high entropy that
 * are not mostly words (names such as `payment-service-eu-west-1` or
 * `InternalServerErrorException2` survive).
 */
export function looksSecret(token: string): boolean {
  const t = token.replace(/=+$/, "");
  if (/^[0-9a-fA-F]{32,}$/.test(t)) return true;
  if (!/\d/.test(t) || !/[A-Za-z]/.test(t)) return false;
  // Names are mostly words (camelCase or kebab-case); random base64 almost never is (p99 ≈ 0.5).
  const words = t.match(/[A-Z]?[a-z]{3,}/g) ?? [];
  if (words.join("").length > 0.6 * t.length) return false;
  return entropy(t) >= 3.5;
}

/** `text` with personal data and secrets replaced by placeholders. */
export function redact(text: string): string {
  let out = text;
  for (const [pattern, replacement] of RULES) {
    out = typeof replacement === "string"
      ? out.replace(pattern, replacement)
      : out.replace(pattern, replacement as (m: string, ...g: string[]) => string);
  }
  return out;
}
