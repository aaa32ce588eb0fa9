// Code a receiver uses to check this endpoint's signatures, per scheme and language: no dependencies (node:crypto,
// Python's standard library), constant-time comparisons, the 5-minute timestamp window where the scheme signs a
// time. test/engine/verify-snippets.test.ts runs every snippet against requests the engine really sent.
import type { SchemeName } from './schemas/endpoint';

export type SnippetLanguage = 'node' | 'python' | 'cli';

export const SNIPPET_LANGUAGES: { id: SnippetLanguage; label: string }[] = [
  { id: 'node', label: 'Node.js' },
  { id: 'python', label: 'Python' },
  { id: 'cli', label: 'CLI' },
];

const NODE_USAGE = `// rawBody: the body exactly as received (Express: express.raw({ type: 'application/json' }));
// headers: lowercase names (Node's req.headers). verifyWebhook(req.body, req.headers, process.env.WEBHOOK_SECRET)
import { createHmac, timingSafeEqual } from 'node:crypto';
`;

const PYTHON_USAGE = `# raw_body: the body exactly as received (Flask: request.get_data()); headers: lowercase names, e.g.
# verify_webhook(request.get_data(), {k.lower(): v for k, v in request.headers.items()}, os.environ["WEBHOOK_SECRET"])
import base64
import hashlib
import hmac
import time
`;

const NODE_EQUAL = `
function equal(a, b) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
`;

const node: Record<SchemeName, string> = {
  standard: `// Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature (v1,<base64>, space-separated)
${NODE_USAGE}${NODE_EQUAL}
export function verifyWebhook(rawBody, headers, secret) {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (!id || !timestamp || !signatures) return false;
  if (!(Math.abs(Date.now() / 1000 - Number(timestamp)) <= 300)) return false; // 5 minutes either way
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(\`\${id}.\${timestamp}.\`).update(rawBody).digest('base64');
  return signatures.split(' ').some((s) => s.startsWith('v1,') && equal(s.slice(3), expected));
}
`,
  stripe: `// Stripe: Stripe-Signature: t=<unix>,v1=<hex> (one v1 per secret during a rotation); the key is the whole
// whsec_… string. Stripe's library does the same: stripe.webhooks.constructEvent(rawBody, signature, secret)
${NODE_USAGE}${NODE_EQUAL}
export function verifyWebhook(rawBody, headers, secret) {
  const pairs = (headers['stripe-signature'] ?? '').split(',').map((p) => p.split('='));
  const t = pairs.find(([k]) => k === 't')?.[1];
  if (!t || !(Math.abs(Date.now() / 1000 - Number(t)) <= 300)) return false; // 5 minutes either way
  const expected = createHmac('sha256', secret).update(\`\${t}.\`).update(rawBody).digest('hex');
  return pairs.some(([k, v]) => k === 'v1' && equal(v ?? '', expected));
}
`,
  github: `// GitHub: X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body> (no timestamp: dedupe on X-GitHub-Delivery)
${NODE_USAGE}${NODE_EQUAL}
export function verifyWebhook(rawBody, headers, secret) {
  const expected = \`sha256=\${createHmac('sha256', secret).update(rawBody).digest('hex')}\`;
  return equal(headers['x-hub-signature-256'] ?? '', expected);
}
`,
  shopify: `// Shopify: X-Shopify-Hmac-Sha256: <base64 HMAC-SHA256 of the body> (dedupe on X-Shopify-Webhook-Id)
${NODE_USAGE}${NODE_EQUAL}
export function verifyWebhook(rawBody, headers, secret) {
  const expected = createHmac('sha256', secret).update(rawBody).digest('base64');
  return equal(headers['x-shopify-hmac-sha256'] ?? '', expected);
}
`,
};

const python: Record<SchemeName, string> = {
  standard: `# Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature (v1,<base64>, space-separated)
${PYTHON_USAGE}

def verify_webhook(raw_body: bytes, headers: dict, secret: str) -> bool:
    msg_id = headers.get("webhook-id")
    timestamp = headers.get("webhook-timestamp")
    signatures = headers.get("webhook-signature")
    if not msg_id or not timestamp or not signatures or not timestamp.isdigit():
        return False
    if abs(time.time() - int(timestamp)) > 300:  # 5 minutes either way
        return False
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{msg_id}.{timestamp}.".encode() + raw_body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(
        s.startswith("v1,") and hmac.compare_digest(s[3:], expected) for s in signatures.split(" ")
    )
`,
  stripe: `# Stripe: Stripe-Signature: t=<unix>,v1=<hex> (one v1 per secret during a rotation); the key is the whole
# whsec_... string. Stripe's library does the same: stripe.Webhook.construct_event(raw_body, signature, secret)
${PYTHON_USAGE}

def verify_webhook(raw_body: bytes, headers: dict, secret: str) -> bool:
    pairs = [p.partition("=") for p in headers.get("stripe-signature", "").split(",")]
    t = next((v for k, _, v in pairs if k == "t"), "")
    if not t.isdigit() or abs(time.time() - int(t)) > 300:  # 5 minutes either way
        return False
    expected = hmac.new(secret.encode(), f"{t}.".encode() + raw_body, hashlib.sha256).hexdigest()
    return any(k == "v1" and hmac.compare_digest(v, expected) for k, _, v in pairs)
`,
  github: `# GitHub: X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body> (no timestamp: dedupe on X-GitHub-Delivery)
${PYTHON_USAGE}

def verify_webhook(raw_body: bytes, headers: dict, secret: str) -> bool:
    expected = "sha256=" + hmac.new(secret.encode(), raw_body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(headers.get("x-hub-signature-256", ""), expected)
`,
  shopify: `# Shopify: X-Shopify-Hmac-Sha256: <base64 HMAC-SHA256 of the body> (dedupe on X-Shopify-Webhook-Id)
${PYTHON_USAGE}

def verify_webhook(raw_body: bytes, headers: dict, secret: str) -> bool:
    expected = base64.b64encode(hmac.new(secret.encode(), raw_body, hashlib.sha256).digest()).decode()
    return hmac.compare_digest(headers.get("x-shopify-hmac-sha256", ""), expected)
`,
};

function cli(scheme: SchemeName): string {
  return `# headers.json: the request's headers as a JSON object; body.raw: its body exactly as received
hookbench verify --scheme ${scheme} --secret "$WEBHOOK_SECRET" --headers headers.json --body body.raw
# exit 0: verified; 1: not, with the reason (bad signature, stale timestamp, missing header)
`;
}

/** The snippet that verifies `scheme`'s signatures in `language`. */
export function verifySnippet(scheme: SchemeName, language: SnippetLanguage): string {
  if (language === 'node') return node[scheme];
  if (language === 'python') return python[scheme];
  return cli(scheme);
}
