export const LOGIN_PATH = '/login';

interface PathParts {
  pathname: string;
  search?: string;
  hash?: string;
}

/** `/login?next=<where the user was>`; the sign-in page goes back there afterwards. */
export function loginHref(location: PathParts): string {
  const next = `${location.pathname}${location.search ?? ''}${location.hash ?? ''}`;
  return next === '/' || location.pathname === LOGIN_PATH ? LOGIN_PATH : `${LOGIN_PATH}?next=${encodeURIComponent(next)}`;
}

/** The `next` of the sign-in page if it is a path of this app, else `/` (never another site: `//evil.example`). */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next === LOGIN_PATH || next.startsWith(`${LOGIN_PATH}?`)) return '/';
  return next;
}

/** The part of a data router the redirect needs (the app's browser router, a test's memory router). */
interface NavigatingRouter {
  state: { location: PathParts; navigation: { location?: PathParts | null } };
  navigate: (to: string, options?: { replace?: boolean }) => unknown;
}

/** Sends the user to the sign-in page, remembering the page they were on; does nothing when already going there. */
export function redirectToLogin(router: NavigatingRouter): void {
  const { location, navigation } = router.state;
  if (location.pathname === LOGIN_PATH || navigation.location?.pathname === LOGIN_PATH) return;
  void router.navigate(loginHref(location), { replace: true });
}
