import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AuthRequestError } from '../session/auth-session.js';
import { errorMessageOf } from './error-message.js';

describe('API error messages for people', () => {
  test('the API message becomes a sentence', () => {
    assert.equal(errorMessageOf(new AuthRequestError(401, 'email or password is incorrect', 'invalid_credentials')), 'Email or password is incorrect.');
  });

  test('validation issues name the field', () => {
    const error = new AuthRequestError(400, 'invalid request body: email: must be an email address; password: at least 8 characters', 'invalid_body');
    assert.equal(errorMessageOf(error), 'Email must be an email address. Password at least 8 characters.');
  });

  test('a network failure says the server was not reached', () => {
    assert.match(errorMessageOf(new TypeError('Failed to fetch')), /Could not reach the server/);
  });
});
