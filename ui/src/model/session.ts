/**
 * The UI session (SPEC §10): what `GET /api/session` says, which screen that
 * leads to, and the words shown when a sign-in is refused. React-free.
 *
 * @module
 */

/** The caller's session as the server reports it. */
export interface Session {
  /** Whether the server has API keys configured (false: it is open). */
  authRequired: boolean;
  /** Whether this browser may use the API (always true on an open server). */
  authenticated: boolean;
  /** The tenant the session acts for; null on an open server or when signed out. */
  tenant: string | null;
  /** `read`, `admin`, `open`, or null when signed out. */
  role: string | null;
  /** Set by the UI when the user signed out (not when the session ran out). */
  signedOut?: boolean;
}

/** What to show: nothing yet, the login card, or the app. */
export type SessionGate = "loading" | "login" | "app";

/**
 * The screen for a session query's state. An answer that never came (a server
 * without `/api/session`, or one that cannot be reached) shows the app, as
 * before sessions existed: its queries then report the problem.
 */
export function sessionGate(state: { data: Session | undefined; isPending: boolean }): SessionGate {
  if (state.data) return state.data.authRequired && !state.data.authenticated ? "login" : "app";
  return state.isPending ? "loading" : "app";
}

/** The session of a signed-out user. */
export const SIGNED_OUT: Session = {
  authRequired: true,
  authenticated: false,
  tenant: null,
  role: null,
  signedOut: true,
};

/** Whether the session may use `/api/admin/*` (an open server or an admin key). */
export function canAdminister(session: Session | undefined): boolean {
  return !session || !session.authRequired || session.role === "admin";
}

/** "acme · read": the header's line about who is signed in. */
export function describeSession(session: Session): string {
  return [session.tenant, session.role].filter(Boolean).join(" · ");
}

/** What the login card says when `POST /api/session` is refused (`status` 0: no answer). */
export function loginErrorMessage(status: number, serverMessage: string): { title: string; message: string } {
  switch (status) {
    case 0:
      return { title: "Cannot reach Argus", message: "The server did not answer. Check that it is running." };
    case 401:
      return {
        title: "Key not recognised",
        message: "No API key of this server matches it. Check for a typo or a missing character.",
      };
    case 403:
      return {
        title: "This key cannot open the UI",
        message: `${serverMessage.replace(/\.?$/, ".")} An ingest key can only send telemetry: ` +
          "sign in with a read or admin key.",
      };
    default:
      return { title: "Sign-in failed", message: serverMessage || `The server answered ${status}.` };
  }
}

/** Why the login card shows: the session ended by itself, or the user has yet to sign in. */
export const SESSION_ENDED = "Your session has ended. Sign in again to continue.";
