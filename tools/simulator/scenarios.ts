/**
 * What the simulated shop's users do: checkouts, order and profile lookups,
 * logins and catalogue pages, each a tree of operations across the seven
 * services, and the ways each can fail. Pure: a random source in, a laid-out
 * tree out.
 *
 * @module
 */

import { db, Dice, http, layout, type Op, op, type Random, verify } from "./ops.ts";

/** Failure modes a trace may carry (chosen when the trace is an error one). */
type Failure = "payment_declined" | "out_of_stock" | "auth_expired" | "db_timeout" | "shipping_down";

function checkout(d: Dice, failure: Failure | undefined): Op {
  const user = `usr_${d.int(1, 500)}`;
  const order = d.id("ord");
  const items = d.int(1, 5);
  const amount = Number((d.int(500, 50_000) / 100).toFixed(2));
  const children: Op[] = [verify(d, "order", user, failure === "auth_expired")];
  const root = op(
    "order",
    "POST /api/orders",
    "SERVER",
    {
      "http.method": "POST",
      "http.route": "/api/orders",
      "http.target": "/api/orders",
      "http.scheme": "https",
      "http.status_code": 201,
      "net.host.name": "order.shop.svc",
      "enduser.id": user,
      "order.id": order,
      "order.items": items,
      "order.amount": amount,
    },
    d.latency(3),
    children,
  );
  const fail = (status: number, message: string, type: string) => {
    root.attributes["http.status_code"] = status;
    root.error = { type, message };
    root.logs.push({
      severity: "ERROR",
      body: `order ${order} failed: ${message}`,
      attributes: { "order.id": order },
    });
  };
  if (failure === "auth_expired") {
    fail(401, "session expired", "AuthError");
    return root;
  }
  children.push(
    http(d, "order", "user", "GET", "/users/{id}", `/users/${user}`, 200, [
      db(d, "user", "postgresql", "SELECT", "users", "SELECT id, email, tier FROM users WHERE id = $1", 1.2),
    ], [{ severity: "INFO", body: `loaded profile ${user}`, attributes: { "enduser.id": user } }]),
  );
  const stock = http(
    d,
    "order",
    "inventory",
    "POST",
    "/inventory/reserve",
    "/inventory/reserve",
    failure === "out_of_stock" ? 409 : 200,
    [
      db(
        d,
        "inventory",
        "postgresql",
        "SELECT",
        "stock",
        "SELECT sku, available FROM stock WHERE sku = ANY($1)",
        1.5,
      ),
      ...(failure === "out_of_stock" ? [] : [
        db(
          d,
          "inventory",
          "postgresql",
          "UPDATE",
          "stock",
          "UPDATE stock SET reserved = reserved + $2 WHERE sku = $1",
          2,
        ),
      ]),
    ],
    [
      failure === "out_of_stock"
        ? {
          severity: "WARN",
          body: `cannot reserve ${items} items for ${order}: sku-${d.int(100, 999)} out of stock`,
        }
        : {
          severity: "INFO",
          body: `reserved ${items} items for ${order}`,
          attributes: { "order.id": order },
        },
    ],
  );
  children.push(stock);
  if (failure === "out_of_stock") {
    fail(409, "items out of stock", "OutOfStockError");
    return root;
  }
  const declined = failure === "payment_declined";
  const bank = op("payment", "POST /v1/charges", "CLIENT", {
    "http.method": "POST",
    "http.url": "https://psp.example/v1/charges",
    "http.status_code": declined ? 402 : 200,
    "net.peer.name": "psp.example",
    "peer.service": "card-processor",
  }, d.latency(45));
  const charge = http(
    d,
    "order",
    "payment",
    "POST",
    "/payments/charge",
    "/payments/charge",
    declined ? 402 : 200,
    [
      db(
        d,
        "payment",
        "postgresql",
        "INSERT",
        "charges",
        "INSERT INTO charges (order_id, amount) VALUES ($1, $2)",
        1.8,
      ),
      bank,
    ],
    [
      declined
        ? {
          severity: "ERROR",
          body: `card declined for order ${order}: insufficient funds`,
          attributes: { "order.id": order, "payment.amount": amount },
        }
        : { severity: "INFO", body: `charged ${amount} EUR for ${order}`, attributes: { "order.id": order } },
    ],
  );
  if (declined) {
    charge.children[0].children[1].error = { type: "CardDeclined", message: "insufficient funds" };
    charge.children[0].error = { type: "CardDeclined", message: "card declined: insufficient funds" };
  }
  children.push(charge);
  if (declined) {
    fail(402, "payment declined", "PaymentError");
    return root;
  }
  const shippingDown = failure === "shipping_down";
  children.push(
    http(d, "order", "shipping", "POST", "/shipments", "/shipments", shippingDown ? 503 : 201, [
      db(
        d,
        "shipping",
        "postgresql",
        "INSERT",
        "shipments",
        "INSERT INTO shipments (order_id, carrier) VALUES ($1, $2)",
        1.6,
      ),
    ], [
      shippingDown
        ? { severity: "ERROR", body: "carrier API unavailable: connect ETIMEDOUT 10.20.0.14:443" }
        : { severity: "INFO", body: `shipment created for ${order}`, attributes: { "order.id": order } },
    ]),
  );
  if (shippingDown) {
    fail(503, "shipping service unavailable", "UpstreamError");
    return root;
  }
  children.push(
    db(
      d,
      "order",
      "postgresql",
      "INSERT",
      "orders",
      "INSERT INTO orders (id, user_id, total) VALUES ($1, $2, $3)",
      1.5,
    ),
  );
  children.push(publishOrderCreated(d, order, user));
  root.logs.push({
    severity: "INFO",
    body: `order ${order} created for ${user}`,
    attributes: { "order.id": order },
  });
  return root;
}

/** Kafka: order publishes, notification consumes and sends an e-mail. */
function publishOrderCreated(d: Dice, order: string, user: string): Op {
  const consume = op(
    "notification",
    "order-events process",
    "CONSUMER",
    {
      "messaging.system": "kafka",
      "messaging.destination.name": "order-events",
      "messaging.operation": "process",
      "messaging.kafka.consumer.group": "notification",
      "messaging.message.id": order,
    },
    d.latency(0.8),
    [
      op(
        "notification",
        "render order-confirmation",
        "INTERNAL",
        { "template.name": "order-confirmation" },
        d.latency(2),
      ),
      op("notification", "POST /v3/mail/send", "CLIENT", {
        "http.method": "POST",
        "http.url": "https://mail-relay.internal/v3/mail/send",
        "http.status_code": 202,
        "net.peer.name": "mail-relay.internal",
        "peer.service": "mail-relay",
      }, d.latency(25)),
    ],
    [{ severity: "INFO", body: `confirmation e-mail queued for ${user}`, attributes: { "order.id": order } }],
  );
  return op(
    "order",
    "order-events publish",
    "PRODUCER",
    {
      "messaging.system": "kafka",
      "messaging.destination.name": "order-events",
      "messaging.operation": "publish",
      "messaging.message.id": order,
      "messaging.kafka.partition": d.int(0, 11),
    },
    d.latency(1.2),
    [consume],
  );
}

function getOrder(d: Dice, failure: Failure | undefined): Op {
  const user = `usr_${d.int(1, 500)}`;
  const order = d.id("ord");
  const timeout = failure === "db_timeout";
  const query = db(
    d,
    "order",
    "postgresql",
    "SELECT",
    "orders",
    "SELECT * FROM orders WHERE id = $1 AND user_id = $2",
    1.4,
  );
  if (timeout) {
    query.selfMs = 5000;
    query.error = { type: "QueryTimeout", message: "canceling statement due to statement timeout" };
  }
  const root = op(
    "order",
    "GET /api/orders/{id}",
    "SERVER",
    {
      "http.method": "GET",
      "http.route": "/api/orders/{id}",
      "http.target": `/api/orders/${order}`,
      "http.scheme": "https",
      "http.status_code": timeout ? 500 : 200,
      "net.host.name": "order.shop.svc",
      "enduser.id": user,
      "order.id": order,
    },
    d.latency(1.5),
    [verify(d, "order", user, false), query],
  );
  if (timeout) {
    root.error = { type: "QueryTimeout", message: "orders query timed out after 5000 ms" };
    root.logs.push({
      severity: "ERROR",
      body: `GET order ${order} failed: canceling statement due to statement timeout`,
    });
    return root;
  }
  root.children.push(
    http(d, "order", "shipping", "GET", "/shipments/{id}", `/shipments/${order}`, 200, [
      db(
        d,
        "shipping",
        "postgresql",
        "SELECT",
        "shipments",
        "SELECT status, carrier FROM shipments WHERE order_id = $1",
        1,
      ),
    ]),
  );
  return root;
}

function getProfile(d: Dice, failure: Failure | undefined): Op {
  const user = `usr_${d.int(1, 500)}`;
  const expired = failure === "auth_expired";
  const root = op(
    "user",
    "GET /api/users/{id}",
    "SERVER",
    {
      "http.method": "GET",
      "http.route": "/api/users/{id}",
      "http.target": `/api/users/${user}`,
      "http.scheme": "https",
      "http.status_code": expired ? 401 : 200,
      "net.host.name": "user.shop.svc",
      "enduser.id": user,
    },
    d.latency(1),
    [verify(d, "user", user, expired)],
  );
  if (expired) {
    root.error = { type: "AuthError", message: "session expired" };
    return root;
  }
  root.children.push(
    db(d, "user", "redis", "GET", "profiles", `GET profile:${user}`, 0.3),
    db(d, "user", "postgresql", "SELECT", "addresses", "SELECT * FROM addresses WHERE user_id = $1", 1.1),
  );
  return root;
}

function login(d: Dice, failure: Failure | undefined): Op {
  const user = `usr_${d.int(1, 500)}`;
  const timeout = failure === "db_timeout";
  const lookup = db(
    d,
    "auth",
    "postgresql",
    "SELECT",
    "credentials",
    "SELECT hash FROM credentials WHERE email = $1",
    1.3,
  );
  if (timeout) {
    lookup.selfMs = 3000;
    lookup.error = { type: "ConnectionTimeout", message: "timeout acquiring a connection from the pool" };
  }
  const root = op(
    "auth",
    "POST /auth/login",
    "SERVER",
    {
      "http.method": "POST",
      "http.route": "/auth/login",
      "http.target": "/auth/login",
      "http.scheme": "https",
      "http.status_code": timeout ? 503 : 200,
      "net.host.name": "auth.shop.svc",
      "enduser.id": user,
    },
    d.latency(2),
    [lookup],
    [
      timeout
        ? { severity: "ERROR", body: "login failed: timeout acquiring a connection from the pool (size 10)" }
        : { severity: "INFO", body: `user ${user} logged in`, attributes: { "enduser.id": user } },
    ],
  );
  if (timeout) root.error = { type: "ConnectionTimeout", message: "database pool exhausted" };
  else {
    root.children.push(
      op("auth", "bcrypt.compare", "INTERNAL", { "auth.method": "password" }, d.latency(40)),
      db(d, "auth", "redis", "SET", "sessions", `SET session:${user} EX 3600`, 0.4),
    );
  }
  return root;
}

function browseStock(d: Dice, _failure: Failure | undefined): Op {
  const page = d.int(1, 20);
  return op(
    "inventory",
    "GET /inventory/items",
    "SERVER",
    {
      "http.method": "GET",
      "http.route": "/inventory/items",
      "http.target": `/inventory/items?page=${page}`,
      "http.scheme": "https",
      "http.status_code": 200,
      "net.host.name": "inventory.shop.svc",
    },
    d.latency(1),
    [
      db(d, "inventory", "redis", "GET", "catalog", `GET catalog:page:${page}`, 0.3),
      db(
        d,
        "inventory",
        "postgresql",
        "SELECT",
        "stock",
        "SELECT sku, available FROM stock ORDER BY sku LIMIT 50 OFFSET $1",
        2.5,
      ),
    ],
  );
}

/** The requests users make, how often, and how each can fail. */
const SCENARIOS: { weight: number; build: (d: Dice, f: Failure | undefined) => Op; failures: Failure[] }[] = [
  {
    weight: 4,
    build: checkout,
    failures: ["payment_declined", "out_of_stock", "auth_expired", "shipping_down"],
  },
  { weight: 2, build: getOrder, failures: ["db_timeout"] },
  { weight: 2, build: getProfile, failures: ["auth_expired"] },
  { weight: 1, build: login, failures: ["db_timeout"] },
  { weight: 1, build: browseStock, failures: [] },
];

/** One user request as a tree of operations, laid out in time. */
export function generateRequest(random: Random, errorRate: number): Op {
  const d = new Dice(random);
  const wantError = d.random() < errorRate;
  const candidates = wantError ? SCENARIOS.filter((s) => s.failures.length > 0) : SCENARIOS;
  let r = d.random() * candidates.reduce((n, s) => n + s.weight, 0);
  const scenario = candidates.find((s) => (r -= s.weight) < 0) ?? candidates[0];
  const root = scenario.build(d, wantError ? d.pick(scenario.failures) : undefined);
  layout(root, 0);
  return root;
}
