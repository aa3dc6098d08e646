import { HazardNoticeError } from '../errors';
import { resolveDatabase } from './storage';

function refusal(option: string | undefined, env: NodeJS.ProcessEnv = {}): HazardNoticeError {
  try {
    resolveDatabase(option, env);
  } catch (e) {
    return e as HazardNoticeError;
  }
  throw new Error('not refused');
}

test('a password in --database is refused, and the refusal does not repeat it', () => {
  const e = refusal('postgres://hn:s3cret-口令@db.example:5432/hazard');
  expect(e.code).toBe('E_DATABASE_PASSWORD_ARG');
  expect(e.message).toContain('PGPASSWORD');
  expect(`${e.message}${JSON.stringify(e.details)}`).not.toContain('s3cret');
});

test('a password in an address the URL parser cannot read is refused too; a socket address without one is taken', () => {
  const e = refusal('postgres://hn:s3c#ret@db.example/hazard');
  expect(e.code).toBe('E_DATABASE_PASSWORD_ARG');
  expect(`${e.message}${JSON.stringify(e.details)}`).not.toContain('s3c');
  expect(resolveDatabase('postgres://hn@/hazard?host=/run/postgresql', {})).toBe('postgres://hn@/hazard?host=/run/postgresql');
});

test('a password in HAZARD_NOTICE_DATABASE, or none in --database, is taken', () => {
  const withPassword = 'postgres://hn:s3cret@db.example:5432/hazard';
  expect(resolveDatabase(undefined, { HAZARD_NOTICE_DATABASE: withPassword })).toBe(withPassword);
  expect(resolveDatabase('postgres://hn@db.example:5432/hazard', {})).toBe('postgres://hn@db.example:5432/hazard');
  expect(resolveDatabase('登记簿.sqlite', {})).toBe('登记簿.sqlite');
});

test('another scheme is refused without showing its password', () => {
  const e = refusal(undefined, { HAZARD_NOTICE_DATABASE: 'mysql://hn:s3cret@db.example/hazard' });
  expect(e.code).toBe('E_DATABASE_URL');
  expect(`${e.message}${JSON.stringify(e.details)}`).not.toContain('s3cret');
});
