import { MantineProvider } from '@mantine/core';
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { theme } from '../app/theme';
import { ErrorAlert } from './error-alert';

const show = (error: unknown, title?: string) =>
  render(
    <MantineProvider theme={theme}>
      <ErrorAlert error={error} title={title} />
    </MantineProvider>,
  );

describe('ErrorAlert', () => {
  it('says what failed in plain words, not the HTTP phrase, with the server’s detail', () => {
    show(new ApiError(409, { title: 'Conflict', detail: 'Run #2 of this pipeline is still active.' }), 'Could not run the pipeline');

    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('Could not run the pipeline');
    expect(alert).toHaveTextContent('Run #2 of this pipeline is still active.');
    expect(alert).not.toHaveTextContent('Conflict');
  });

  it('keeps a title the server chose for the problem', () => {
    show(new ApiError(429, { title: 'Account locked', detail: 'Try again in 15 minutes.' }), 'Could not sign in');

    expect(screen.getByRole('alert')).toHaveTextContent('Account locked');
  });

  it('without a title from anyone, names the status in words', () => {
    show(new ApiError(409, {}));

    expect(screen.getByRole('alert')).toHaveTextContent('This cannot be done now');
  });
});
