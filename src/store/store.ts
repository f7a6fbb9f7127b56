/**
 * The store: one open database, handing out a {@link Repository} per tenant.
 *
 * @module
 */

import type { Database } from "../db/contract.ts";
import { Repository } from "./repository.ts";
import type { StatementObserver } from "./scope.ts";

/** Opens repositories on one database. */
export class Store {
  readonly db: Database;
  readonly #observe?: StatementObserver;
  readonly #repos = new Map<string, Repository>();

  constructor(db: Database, observe?: StatementObserver) {
    this.db = db;
    this.#observe = observe;
  }

  /** The repository of `tenant`; the caller has validated the tenant id. */
  forTenant(tenant: string): Repository {
    let repo = this.#repos.get(tenant);
    if (!repo) {
      repo = new Repository(this.db, tenant, this.#observe);
      // Tenants are few; the bound only protects against a flood of distinct ids.
      if (this.#repos.size > 10_000) this.#repos.clear();
      this.#repos.set(tenant, repo);
    }
    return repo;
  }

  /** Closes the database. */
  close(): Promise<void> {
    return this.db.driver.close();
  }
}
