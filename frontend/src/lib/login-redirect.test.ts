import { describe, expect, it } from 'vitest';
import { loginHref, safeNext } from './login-redirect';

describe('loginHref', () => {
  it('remembers the page, its query and hash', () => {
    expect(loginHref({ pathname: '/aws/runs/r1', search: '?tab=log', hash: '#end' })).toBe(
      '/login?next=%2Faws%2Fruns%2Fr1%3Ftab%3Dlog%23end',
    );
  });

  it('leaves out a next that is the start page or the sign-in page', () => {
    expect(loginHref({ pathname: '/' })).toBe('/login');
    expect(loginHref({ pathname: '/login', search: '?next=%2Faws' })).toBe('/login');
  });
});

describe('safeNext', () => {
  it.each([
    ['/aws/projects?q=web', '/aws/projects?q=web'],
    [null, '/'],
    ['', '/'],
    ['https://evil.example/', '/'],
    ['//evil.example/', '/'],
    ['/\\evil.example/', '/'],
    ['javascript:alert(1)', '/'],
    ['/login?next=%2Faws', '/'],
  ])('%s → %s', (next, expected) => {
    expect(safeNext(next)).toBe(expected);
  });
});
