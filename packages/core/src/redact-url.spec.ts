import { describe, expect, it } from 'vitest';
import { redactUrl, redactUrlsIn } from './redact-url.js';

describe('redactUrl', () => {
  it('replaces the password and keeps the user, host and database', () => {
    expect(redactUrl('postgresql://ltlab:s3cret@db:5432/ltlab')).toBe('postgresql://ltlab:***@db:5432/ltlab');
    expect(redactUrl('postgres://:s3cret@db/ltlab')).toBe('postgres://:***@db/ltlab');
    expect(redactUrl('mysql://root:s3cret@h/db')).toBe('mysql://root:***@h/db');
    expect(redactUrl('redis://:s3cret@127.0.0.1:6379/0')).toBe('redis://:***@127.0.0.1:6379/0');
    expect(redactUrl('rediss://default:s3cret@cache:6380')).toBe('rediss://default:***@cache:6380');
  });

  it('hides an empty password as well, so the output does not tell it is empty', () => {
    expect(redactUrl('postgresql://ltlab:@postgres:5432/ltlab')).toBe('postgresql://ltlab:***@postgres:5432/ltlab');
  });

  it('hides every part of an unencoded password holding / @ : # or spaces', () => {
    for (const password of ['pa/ss', 'p@ss', 'a:b:c', 'x#y?z', 'two words', '/@/@']) {
      const redacted = redactUrl(`redis://user:${password}@host:6379/0`);
      expect(redacted).toBe('redis://user:***@host:6379/0');
    }
  });

  it('leaves URLs without a password as they are', () => {
    for (const url of ['postgresql://ltlab@db/ltlab', 'redis://127.0.0.1:6379', 'file:/tmp/x.db', 'not a url', '']) {
      expect(redactUrl(url)).toBe(url);
    }
  });
});

describe('redactUrlsIn', () => {
  it('redacts every URL in a message and leaves the rest of the text alone', () => {
    const message =
      "Cannot reach postgresql://u:pw1@a:5432/x (tried 'redis://:pw2@b:6379/1' too); mail me@example.org.";
    expect(redactUrlsIn(message)).toBe(
      "Cannot reach postgresql://u:***@a:5432/x (tried 'redis://:***@b:6379/1' too); mail me@example.org.",
    );
  });

  it('redacts a password with / and @ inside a longer text', () => {
    const text = 'connect redis://:pa/ss@w0rd@cache:6379/0 failed\nat line 2';
    expect(redactUrlsIn(text)).toBe('connect redis://:***@cache:6379/0 failed\nat line 2');
    expect(redactUrlsIn(text)).not.toContain('pa/ss');
  });

  it('keeps text without URLs unchanged', () => {
    expect(redactUrlsIn('ENOENT: /tmp/a@b is missing')).toBe('ENOENT: /tmp/a@b is missing');
  });
});
