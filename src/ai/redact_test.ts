import assert from "node:assert/strict";
import { isIPv6, looksSecret, redact } from "./redact.ts";

Deno.test("personal data and secrets are masked", () => {
  const cases: [string, string][] = [
    ["login failed for alice.smith+qa@example.co.uk", "login failed for <email>"],
    ["peer 192.168.10.24:443 reset", "peer <ip>:443 reset"],
    ["dial [2001:db8::8a2e:370:7334]:5432", "dial [<ip>]:5432"],
    ["from ::1 and fe80::1%eth0 and ::ffff:10.0.0.1", "from <ip> and <ip>%eth0 and <ip>"],
    ["full 2001:0db8:85a3:0000:0000:8a2e:0370:7334 ok", "full <ip> ok"],
    ["Authorization: Bearer abc.def-ghi_jkl", "Authorization: <redacted> <token>"],
    ["header Bearer 9f86d081884c7d659a2feaa0c55ad015", "header Bearer <token>"],
    [
      "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
      "jwt <token>",
    ],
    ["url https://bob:hunter2@db.internal/x", "url https://<credentials>@db.internal/x"],
    ["GET /x?api_key=abcdef123456&page=2", "GET /x?api_key=<redacted>&page=2"],
    ["password=hunter2 user=bob", "password=<redacted> user=bob"],
    ["db.password: 's3cr3t' retry", "db.password: <redacted> retry"],
    [
      '{"db.password":"s3cr3t!","user":"app","apiKey":"k-1"}',
      '{"db.password":"<redacted>","user":"app","apiKey":"<redacted>"}',
    ],
    ["cache key=AbC123 missing", "cache key=<redacted> missing"],
    ["X-Api-Key: live_abc123XYZ", "X-Api-Key: <redacted>"],
    ["using sk-proj-AbCdEf0123456789ghIJkl now", "using <secret> now"],
    ["aws AKIAIOSFODNN7EXAMPLE", "aws <secret>"],
    ["gh ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", "gh <secret>"],
    ["blob Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg== end", "blob <secret> end"],
    ["digest 4bf92f3577b34da6a3ce929d0e0e4736", "digest <secret>"],
    ["card 4111 1111 1111 1111 declined", "card <number> declined"],
    ["card 4111111111111111 declined", "card <number> declined"],
    ["call +1 555 123 4567", "call <number>"],
    ["ssn 123-45-6789", "ssn <number>"],
    ["account 00012345678 closed", "account <number> closed"],
  ];
  for (const [input, expected] of cases) assert.equal(redact(input), expected, input);
});

Deno.test("ordinary words, names, times and short numbers survive", () => {
  const keep = [
    "payment-service-eu-west-1 threw InternalServerErrorException2 in com.example.PaymentServiceImpl",
    "order 12345 failed with status 500 after 3 retries in 250ms (v1.2.3)",
    "at 2024-01-15T10:20:30Z the job took 12:34:56; std::vector<int> overflow",
    'Duplicate key value violates unique constraint "users_pkey"',
    "uuid 550e8400-e29b-41d4-a716-446655440000 span 00f067aa0ba902b7",
    "connection refused: port 5432, pool size 20, timeout 30s",
    "MAC 00:1A:2B:3C:4D:5E and ratio 3:2",
  ];
  for (const text of keep) assert.equal(redact(text), text);
});

Deno.test("IPv6 validation and the secret heuristic", () => {
  assert.ok(isIPv6("::1"));
  assert.ok(isIPv6("2001:db8::1"));
  assert.ok(isIPv6("::ffff:10.0.0.1"));
  assert.ok(!isIPv6("10:20:30"));
  assert.ok(!isIPv6("1::2::3"));
  assert.ok(!isIPv6("1:2:3:4:5:6:7"));
  assert.ok(looksSecret("Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFi"));
  assert.ok(!looksSecret("payment-service-eu-west-1-canary"));
  assert.ok(!looksSecret("ThisIsAVeryLongClassName2Handler"));
});

Deno.test("redaction is idempotent", () => {
  const once = redact("mail bob@example.com from 10.1.2.3 with Bearer abcdefghijkl password=x");
  assert.equal(redact(once), once);
});
