import { Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { ErrorAlert } from '../../../components/error-alert';
import { safeNext } from '../../../lib/login-redirect';
import { applyProblemToForm } from '../../../lib/problem-form-errors';
import { useLogin, type LoginBody } from '../api/use-login';
import { useDocumentTitle } from '../../../lib/use-document-title';

/** `/login?next=…`: email and password; afterwards back to `next` (or the start page). */
export function LoginPage() {
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const next = safeNext(searchParams.get('next'));
  const login = useLogin();
  const queryClient = useQueryClient();
  // Whoever arrives here (signed out, session expired) leaves nothing of their session in memory for the next user.
  useEffect(() => queryClient.removeQueries(), [queryClient]);
  // No client-side rules: the API's messages are the ones shown.
  const form = useForm<LoginBody>({ mode: 'uncontrolled', initialValues: { email: '', password: '' } });
  const [failure, setFailure] = useState<unknown>(null);

  const submit = form.onSubmit(async (values) => {
    setFailure(null);
    try {
      await login.mutateAsync({ email: values.email.trim(), password: values.password });
      await navigate(next, { replace: true });
    } catch (error) {
      // A 400 lands on the fields; a 401 (wrong credentials) or 429 (locked, rate-limited) above them.
      if (applyProblemToForm(form, error) !== null) setFailure(error);
    }
  });

  useDocumentTitle('Sign in');
  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" radius="md" w="100%" maw={400}>
        <form onSubmit={submit} noValidate aria-labelledby="login-title">
          <Stack>
            <Stack gap={4}>
              <Title order={1} size="h3" id="login-title">
                Sign in to Amnify Deploy
              </Title>
              <Text size="sm" c="dimmed">
                Use the email and password your administrator gave you.
              </Text>
            </Stack>
            {failure != null && <ErrorAlert error={failure} title="Could not sign in" />}
            <TextInput
              label="Email"
              type="email"
              autoComplete="username"
              autoFocus
              {...form.getInputProps('email')}
              key={form.key('email')}
            />
            <PasswordInput
              label="Password"
              autoComplete="current-password"
              {...form.getInputProps('password')}
              key={form.key('password')}
            />
            <Button type="submit" loading={login.isPending} fullWidth>
              Sign in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
